//! Token recognition: what the next token in normal (non-string) context is.
//!
//! The parser asks for one token at a time at a byte offset, so string and path
//! interpolation (which switch lexical context) stay in the parser's hands. Lexemes are
//! recognised with nom; trivia (white space and comments) is skipped by the parser.

use nom::bytes::complete::{take_while, take_while1};
use nom::character::complete::{digit0, digit1, one_of};
use nom::combinator::{opt, recognize};
use nom::sequence::pair;
use nom::{IResult, Parser as _};

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

pub fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

pub fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '\'' || c == '-'
}

pub fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+')
}

fn ident(input: &str) -> IResult<&str, &str> {
    recognize(pair(take_while1(is_ident_start), take_while(is_ident_char))).parse(input)
}

fn exponent(input: &str) -> IResult<&str, &str> {
    recognize((one_of("eE"), opt(one_of("+-")), digit1)).parse(input)
}

/// `1.5`, `1.`, `.5`, `1.5e3`, `.5E-2` (Nix's FLOAT rule, which also needs a dot).
fn float(input: &str) -> IResult<&str, &str> {
    let with_int_part = recognize((digit1, nom::character::complete::char('.'), digit0));
    let without = recognize((nom::character::complete::char('.'), digit1));
    recognize(pair(
        nom::branch::alt((with_int_part, without)),
        opt(exponent),
    ))
    .parse(input)
}

/// Length of a path literal's first segment run at the start of `input` (`./a/b`, `a/b`,
/// `/abs`, `~/x`), or `None` when `input` does not start a path. Interpolated segments
/// (`./a/${b}`) are handled by the parser, which continues from the returned end.
pub fn path_len(input: &str) -> Option<usize> {
    let bytes = input.as_bytes();
    let mut i = 0;
    if bytes.first() == Some(&b'~') {
        i = 1;
        if bytes.get(1) != Some(&b'/') {
            return None;
        }
    } else {
        while i < bytes.len() && is_path_char(bytes[i] as char) {
            i += 1;
        }
    }
    // At least one `/` followed by a path character (or `${`): `a//b` is not a path.
    let mut segments = 0;
    while i < bytes.len() && bytes[i] == b'/' {
        let next = bytes.get(i + 1).copied();
        match next {
            Some(c) if is_path_char(c as char) => {
                i += 1;
                while i < bytes.len() && is_path_char(bytes[i] as char) {
                    i += 1;
                }
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
    let rest = input.strip_prefix('<')?;
    let end = rest.find(|c: char| !(is_path_char(c) || c == '/'))?;
    let inner = &rest[..end];
    let valid = !inner.is_empty()
        && rest[end..].starts_with('>')
        && inner.split('/').all(|segment| !segment.is_empty());
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
    let Some(first) = input.chars().next() else {
        return (Tok::Eof, 0);
    };
    if first == '<' {
        if let Some(len) = search_path_len(input) {
            return (Tok::SearchPath, len);
        }
    }
    if first.is_ascii_digit()
        || (first == '.' && input[1..].starts_with(|c: char| c.is_ascii_digit()))
    {
        if let Ok((rest, _)) = float(input) {
            return (Tok::Float, input.len() - rest.len());
        }
        if let Ok((rest, _)) = digit1::<&str, nom::error::Error<&str>>(input) {
            return (Tok::Int, input.len() - rest.len());
        }
    }
    if is_ident_start(first) {
        if let Ok((rest, text)) = ident(input) {
            let kind = Keyword::from_ident(text).map_or(Tok::Ident, Tok::Kw);
            return (kind, input.len() - rest.len());
        }
    }
    if input.starts_with("${") {
        return (Tok::DollarBrace, 2);
    }
    if input.starts_with("''") {
        return (Tok::IndStrOpen, 2);
    }
    if first == '"' {
        return (Tok::StrOpen, 1);
    }
    match operator(input.as_bytes()) {
        Some((op, len)) => (Tok::Op(op), len),
        None => (Tok::Unknown, first.len_utf8()),
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
