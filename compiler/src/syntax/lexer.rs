//! Token recognition: what the next token in normal (non-string) context is.
//!
//! The parser asks for one token at a time at a byte offset, so string and path
//! interpolation (which switch lexical context) stay in the parser's hands; it remembers
//! the tokens it has seen, so lookahead and backtracking never lex the same place twice.
//! Trivia (white space and comments) is skipped by the parser.
//!
//! The lexer is hand-written over bytes, with a table of what each byte may be part of:
//! every token of the language is ASCII, so it never decodes UTF-8 except for the one
//! character of an unknown token. (It was nom combinators over `char`s, which were about a
//! third of the parser's instructions.)

/// The kinds of token the parser distinguishes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok {
    Int,
    Float,
    Ident,
    Kw(Keyword),
    /// A path literal start such as `./a`, `/abs`, `a/b`, `~/x` (may continue with `${`).
    Path,
    /// `<name>`.
    SearchPath,
    /// `"`.
    StrOpen,
    /// `''`.
    IndStrOpen,
    /// `${`.
    DollarBrace,
    Op(Op),
    Eof,
    /// A character that starts no token.
    Unknown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keyword {
    If,
    Then,
    Else,
    Assert,
    With,
    Let,
    In,
    Rec,
    Inherit,
    Or,
}

impl Keyword {
    fn from_ident(text: &str) -> Option<Keyword> {
        Some(match text {
            "if" => Keyword::If,
            "then" => Keyword::Then,
            "else" => Keyword::Else,
            "assert" => Keyword::Assert,
            "with" => Keyword::With,
            "let" => Keyword::Let,
            "in" => Keyword::In,
            "rec" => Keyword::Rec,
            "inherit" => Keyword::Inherit,
            "or" => Keyword::Or,
            _ => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Plus,
    Minus,
    Star,
    Slash,
    Concat,
    Update,
    EqEq,
    NotEq,
    Less,
    LessEq,
    Greater,
    GreaterEq,
    AndAnd,
    OrOr,
    Implies,
    Not,
    Question,
    Dot,
    Ellipsis,
    Assign,
    Semi,
    Colon,
    /// `::`, the type annotation.
    ColonColon,
    /// `|`, between the members of a union type.
    Pipe,
    Comma,
    At,
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
}

impl Op {
    pub fn text(self) -> &'static str {
        match self {
            Op::Plus => "+",
            Op::Minus => "-",
            Op::Star => "*",
            Op::Slash => "/",
            Op::Concat => "++",
            Op::Update => "//",
            Op::EqEq => "==",
            Op::NotEq => "!=",
            Op::Less => "<",
            Op::LessEq => "<=",
            Op::Greater => ">",
            Op::GreaterEq => ">=",
            Op::AndAnd => "&&",
            Op::OrOr => "||",
            Op::Implies => "->",
            Op::Not => "!",
            Op::Question => "?",
            Op::Dot => ".",
            Op::Ellipsis => "...",
            Op::Assign => "=",
            Op::Semi => ";",
            Op::Colon => ":",
            Op::ColonColon => "::",
            Op::Pipe => "|",
            Op::Comma => ",",
            Op::At => "@",
            Op::LParen => "(",
            Op::RParen => ")",
            Op::LBracket => "[",
            Op::RBracket => "]",
            Op::LBrace => "{",
            Op::RBrace => "}",
        }
    }
}

/// The operator at the start of `input`, longest match first (`++` before `+`), by looking
/// at two or three bytes rather than comparing against every operator.
fn operator(input: &[u8]) -> Option<(Op, usize)> {
    let first = *input.first()?;
    let second = input.get(1).copied().unwrap_or(0);
    let two = |op| Some((op, 2));
    match (first, second) {
        (b'.', b'.') if input.get(2) == Some(&b'.') => Some((Op::Ellipsis, 3)),
        (b'+', b'+') => two(Op::Concat),
        (b'/', b'/') => two(Op::Update),
        (b'=', b'=') => two(Op::EqEq),
        (b'!', b'=') => two(Op::NotEq),
        (b'<', b'=') => two(Op::LessEq),
        (b'>', b'=') => two(Op::GreaterEq),
        (b'&', b'&') => two(Op::AndAnd),
        (b'|', b'|') => two(Op::OrOr),
        (b'-', b'>') => two(Op::Implies),
        (b':', b':') => two(Op::ColonColon),
        _ => {
            let op = match first {
                b'+' => Op::Plus,
                b'-' => Op::Minus,
                b'*' => Op::Star,
                b'/' => Op::Slash,
                b'<' => Op::Less,
                b'>' => Op::Greater,
                b'!' => Op::Not,
                b'?' => Op::Question,
                b'.' => Op::Dot,
                b'=' => Op::Assign,
                b';' => Op::Semi,
                b':' => Op::Colon,
                b'|' => Op::Pipe,
                b',' => Op::Comma,
                b'@' => Op::At,
                b'(' => Op::LParen,
                b')' => Op::RParen,
                b'[' => Op::LBracket,
                b']' => Op::RBracket,
                b'{' => Op::LBrace,
                b'}' => Op::RBrace,
                _ => return None,
            };
            Some((op, 1))
        }
    }
}

/// What a byte may be part of: bit flags of [`CLASS`].
const IDENT_START: u8 = 1;
const IDENT: u8 = 2;
const PATH: u8 = 4;
const DIGIT: u8 = 8;

/// The class of every byte (non-ASCII bytes are in none).
static CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 128 {
        let c = byte as u8;
        let mut class = 0;
        if c.is_ascii_alphabetic() || c == b'_' {
            class |= IDENT_START;
        }
        if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'\'' | b'-') {
            class |= IDENT;
        }
        if c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-' | b'+') {
            class |= PATH;
        }
        if c.is_ascii_digit() {
            class |= DIGIT;
        }
        table[byte] = class;
        byte += 1;
    }
    table
};

fn is(byte: u8, class: u8) -> bool {
    CLASS[byte as usize] & class != 0
}

/// How many bytes of `bytes` from `from` on are in `class`.
fn run(bytes: &[u8], from: usize, class: u8) -> usize {
    bytes[from.min(bytes.len())..]
        .iter()
        .take_while(|&&b| is(b, class))
        .count()
}

pub fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+')
}

/// [`is_path_char`] of a byte.
pub fn is_path_byte(byte: u8) -> bool {
    is(byte, PATH)
}

/// The length of the run of path characters at the start of `input` (`a.b-c`).
pub fn path_run_len(input: &str) -> usize {
    run(input.as_bytes(), 0, PATH)
}

/// `1.5`, `1.`, `.5`, `1.5e3`, `.5E-2` (Nix's FLOAT rule, which also needs a dot), or an
/// integer: the kind and length of the number at the start of `bytes`, which starts with
/// a digit or with a dot and a digit.
fn number(bytes: &[u8]) -> (Tok, usize) {
    let int = run(bytes, 0, DIGIT);
    if bytes.get(int) != Some(&b'.') {
        return (Tok::Int, int);
    }
    let mut len = int + 1 + run(bytes, int + 1, DIGIT);
    // An exponent only counts with its digits: `1.5e` is `1.5` and the name `e`.
    if matches!(bytes.get(len), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(bytes.get(len + 1), Some(b'+' | b'-')));
        let digits = run(bytes, len + 1 + sign, DIGIT);
        if digits > 0 {
            len += 1 + sign + digits;
        }
    }
    (Tok::Float, len)
}

/// Length of a path literal's first segment run at the start of `input` (`./a/b`, `a/b`,
/// `/abs`, `~/x`), or `None` when `input` does not start a path. Interpolated segments
/// (`./a/${b}`) are handled by the parser, which continues from the returned end.
pub fn path_len(input: &str) -> Option<usize> {
    let bytes = input.as_bytes();
    let mut i = if bytes.first() == Some(&b'~') {
        if bytes.get(1) != Some(&b'/') {
            return None;
        }
        1
    } else {
        run(bytes, 0, PATH)
    };
    // At least one `/` followed by a path character (or `${`): `a//b` is not a path.
    let mut segments = 0;
    while bytes.get(i) == Some(&b'/') {
        match bytes.get(i + 1).copied() {
            Some(c) if is(c, PATH) => {
                i += 1 + run(bytes, i + 1, PATH);
                segments += 1;
            }
            Some(b'$') if bytes.get(i + 2) == Some(&b'{') => {
                i += 1;
                segments += 1;
                break;
            }
            _ => break,
        }
    }
    (segments > 0).then_some(i)
}

/// The `<name/sub>` search path at the start of `input`, if any: its whole length.
pub fn search_path_len(input: &str) -> Option<usize> {
    let rest = input.strip_prefix('<')?.as_bytes();
    let end = rest.iter().position(|&b| !(is(b, PATH) || b == b'/'))?;
    let inner = &rest[..end];
    let valid = !inner.is_empty()
        && rest[end] == b'>'
        && inner
            .split(|&b| b == b'/')
            .all(|segment| !segment.is_empty());
    valid.then_some(end + 2)
}

/// Recognises the token at the start of `input` (trivia already skipped): its kind and
/// byte length. Never fails: unknown characters are `Tok::Unknown` of one char.
pub fn next_token(input: &str) -> (Tok, usize) {
    if let Some(len) = path_len(input) {
        return (Tok::Path, len);
    }
    next_token_not_path(input)
}

/// [`next_token`] for input known not to start a path: the cursor is inside a run of path
/// characters whose start was already found not to start one. Every start in the run ends
/// it at the same place, so the answer is the same; asking again would scan the run again
/// for each token in it, quadratic in a long `a.a.a...` select chain.
pub fn next_token_not_path(input: &str) -> (Tok, usize) {
    let bytes = input.as_bytes();
    let Some(&first) = bytes.first() else {
        return (Tok::Eof, 0);
    };
    let second = bytes.get(1).copied().unwrap_or(0);
    if is(first, IDENT_START) {
        let len = 1 + run(bytes, 1, IDENT);
        let kind = Keyword::from_ident(&input[..len]).map_or(Tok::Ident, Tok::Kw);
        return (kind, len);
    }
    if is(first, DIGIT) || (first == b'.' && is(second, DIGIT)) {
        return number(bytes);
    }
    match (first, second) {
        (b'<', _) => {
            if let Some(len) = search_path_len(input) {
                return (Tok::SearchPath, len);
            }
        }
        (b'$', b'{') => return (Tok::DollarBrace, 2),
        (b'\'', b'\'') => return (Tok::IndStrOpen, 2),
        (b'"', _) => return (Tok::StrOpen, 1),
        _ => {}
    }
    match operator(bytes) {
        Some((op, len)) => (Tok::Op(op), len),
        None => {
            let width = input.chars().next().map_or(1, char::len_utf8);
            (Tok::Unknown, width)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(next_token("42 "), (Tok::Int, 2));
        assert_eq!(next_token("1.5e3"), (Tok::Float, 5));
        assert_eq!(next_token(".5"), (Tok::Float, 2));
        assert_eq!(next_token("1."), (Tok::Float, 2));
    }

    #[test]
    fn paths_and_operators() {
        assert_eq!(next_token("./a/b.mlc;"), (Tok::Path, 9));
        assert_eq!(next_token("a/b"), (Tok::Path, 3));
        assert_eq!(next_token("a//b"), (Tok::Ident, 1));
        assert_eq!(next_token("//b"), (Tok::Op(Op::Update), 2));
        assert_eq!(next_token("/abs/x"), (Tok::Path, 6));
        assert_eq!(next_token("./${x}"), (Tok::Path, 2));
        assert_eq!(next_token("<mlflow/tls>"), (Tok::SearchPath, 12));
        assert_eq!(next_token("< b"), (Tok::Op(Op::Less), 1));
        assert_eq!(next_token("..."), (Tok::Op(Op::Ellipsis), 3));
    }

    #[test]
    fn identifiers_and_keywords() {
        assert_eq!(next_token("foo-bar' x"), (Tok::Ident, 8));
        assert_eq!(next_token("inherit"), (Tok::Kw(Keyword::Inherit), 7));
        assert_eq!(next_token("é"), (Tok::Unknown, 2));
    }
}
