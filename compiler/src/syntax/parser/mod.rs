//! The recursive-descent parser: cursor, trivia, token access and error recovery.
//!
//! Expressions are in [`expr`], bindings and lambda patterns in [`bindings`], string and
//! path literals in [`strings`]. The parser never fails: on a problem it records a
//! [`SyntaxError`], produces an `ExprKind::Error` node where an expression was missing and
//! resynchronises, so every input yields a whole tree.

mod bindings;
mod expr;
mod strings;
mod types;

use super::ast::{Binding, Comment, CommentKind, Expr, ExprKind, Span};
use super::lexer::{next_token, next_token_not_path, path_run_len, Keyword, Op, Tok};
use super::{Parse, SyntaxError};
use crate::diagnostic::codes;

/// Nesting deeper than this is reported instead of risking the stack.
const MAX_DEPTH: u32 = 512;

pub fn parse(text: &str) -> Parse {
    let mut parser = Parser::new(text);
    let root = parser.expr();
    parser.skip_trivia();
    if parser.pos < text.len() {
        parser.trailing_text(&root);
        // Collect the comments of the skipped text too, so none is lost.
        parser.skip_to_end();
    }
    Parse {
        root: std::sync::Arc::new(root),
        comments: parser.comments,
        errors: parser.errors,
    }
}

/// A type expression on its own (a builtin's signature), if the whole text is one without
/// errors.
pub fn parse_type(text: &str) -> Option<super::ast::TypeExpr> {
    let mut parser = Parser::new(text);
    let ty = parser.type_expr();
    parser.skip_trivia();
    (parser.pos == text.len() && parser.errors.is_empty()).then_some(ty)
}

/// Where a binding to parse again sits in its file (see [`parse_binding_at`]).
pub(crate) struct BindingContext {
    /// Among the bindings of a `let` (else of an attribute set).
    pub in_let: bool,
    /// How many attribute sets enclose it (their `{`s are open while it is parsed).
    pub open_sets: usize,
    /// At least the nesting depth the parser of the whole file is at when it starts it.
    pub depth: u32,
}

/// Parses the one binding whose first token is at or after `start` in `text`, in
/// `context`, exactly as the parser of the whole text would at that place: `None` unless
/// it parses with no error and its `;` ends at `end`. `comments` are the file's comments
/// before `start` (the binding's doc comment is among them); they come back followed by
/// the binding's own comments.
pub(crate) fn parse_binding_at(
    text: &str,
    start: usize,
    end: usize,
    context: &BindingContext,
    comments: Vec<Comment>,
) -> Option<(Binding, Vec<Comment>)> {
    let mut parser = Parser::new(text);
    parser.pos = start;
    parser.last_end = start;
    parser.comments_upto = start;
    parser.comments = comments;
    parser.depth = context.depth;
    parser.open_braces = vec![Span::new(0, 0); context.open_sets];
    let closer = if context.in_let {
        bindings::Closer::In
    } else {
        bindings::Closer::Brace
    };
    let stepped = parser.binding_step(closer, Span::new(start, start));
    if !stepped || !parser.errors.is_empty() || parser.binding_stack.len() != 1 {
        return None;
    }
    let binding = parser.binding_stack.pop()?;
    if binding.span.end as usize != end {
        return None;
    }
    // Lookahead after the `;` may have collected comments that follow the binding.
    let mut comments = parser.comments;
    let kept = comments.partition_point(|c| c.span.end as usize <= end);
    comments.truncate(kept);
    Some((binding, comments))
}

/// Whether the `{` at `at` in `text` would be read as a lambda's pattern (`{ a, b }:`),
/// a question whose answer depends on the first binding after it.
pub(crate) fn brace_starts_pattern(text: &str, at: usize) -> bool {
    let mut parser = Parser::new(text);
    parser.pos = at;
    parser.peek() == Tok::Op(Op::LBrace) && parser.looks_like_pattern()
}

pub(crate) struct Parser<'a> {
    src: &'a str,
    pos: usize,
    errors: Vec<SyntaxError>,
    comments: Vec<Comment>,
    /// Comments before this offset are already collected (peeking scans trivia again).
    comments_upto: usize,
    depth: u32,
    /// End of the last consumed token: where "expected `;`" errors point.
    last_end: usize,
    /// The `{` of every attribute set being parsed, innermost last.
    open_braces: Vec<Span>,
    /// Sets whose `}` is indented differently from the line of their `{` (opener, closer):
    /// when a `{` turns out unclosed, the one it contains that is likely never closed.
    misindented: Vec<(Span, Span)>,
    /// The file ended inside a string or block comment: the delimiters still open around
    /// it are not reported again.
    ended_in_literal: bool,
    /// The tokens looked at lately (see [`Memo`]).
    memo: Memo,
    /// The bindings of the sets and `let`s being parsed, innermost last: each list is
    /// moved into a vector of its exact size when it ends, instead of growing one vector
    /// per set from empty.
    binding_stack: Vec<Binding>,
    /// The same for the items of the lists being parsed.
    item_stack: Vec<Expr>,
    /// The end of the run of path characters (`a.b-c`) the cursor is in, when the run's
    /// start was found not to start a path: no token before it does (see
    /// [`next_token_not_path`]), which keeps lexing linear.
    no_path_until: usize,
    /// What [`Parser::looks_like_typed_param`] found at each `(` it looked at: its scan
    /// parses the strings it meets, whose interpolations ask it again, so without this
    /// nested `"${(x :: "${(y :: ...` would be scanned once per enclosing level, twice
    /// over (exponential in the nesting).
    typed_param_at: rustc_hash::FxHashMap<usize, bool>,
}

impl<'a> Parser<'a> {
    fn new(src: &'a str) -> Self {
        Parser {
            src,
            pos: 0,
            errors: Vec::new(),
            comments: Vec::new(),
            comments_upto: 0,
            depth: 0,
            last_end: 0,
            open_braces: Vec::new(),
            misindented: Vec::new(),
            ended_in_literal: false,
            memo: Memo::new(),
            binding_stack: Vec::new(),
            item_stack: Vec::new(),
            no_path_until: 0,
            typed_param_at: Default::default(),
        }
    }

    /// Skips white space and comments at the cursor, collecting comments once.
    fn skip_trivia(&mut self) {
        let bytes = self.src.as_bytes();
        loop {
            while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(self.pos) {
                self.pos += 1;
            }
            match bytes.get(self.pos) {
                Some(b'#') => {
                    let rest = &bytes[self.pos..];
                    let len = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
                    self.record_comment(CommentKind::Line, self.pos, self.pos + len, 1, 0);
                    self.pos += len;
                }
                Some(b'/') if bytes.get(self.pos + 1) == Some(&b'*') => {
                    match self.src[self.pos + 2..].find("*/") {
                        Some(end) => {
                            let len = end + 4;
                            self.record_comment(CommentKind::Block, self.pos, self.pos + len, 2, 2);
                            self.pos += len;
                        }
                        None => {
                            let start = self.pos;
                            let first_time = start >= self.comments_upto;
                            self.record_comment(CommentKind::Block, start, self.src.len(), 2, 0);
                            if first_time {
                                self.never_closed(Span::new(start, start + 2), "/*", codes::E0102);
                            }
                            self.pos = self.src.len();
                        }
                    }
                }
                _ => return,
            }
        }
    }

    /// Consumes every remaining token, so that comments in text after a syntax error at
    /// the top level are still collected.
    fn skip_to_end(&mut self) {
        let mut guard = self.loop_guard();
        while self.peek() != Tok::Eof && guard.pass(self) {
            if matches!(self.peek(), Tok::StrOpen | Tok::IndStrOpen) {
                let _ = self.atom();
            } else {
                self.bump();
            }
        }
    }

    fn record_comment(
        &mut self,
        kind: CommentKind,
        start: usize,
        end: usize,
        open: usize,
        close: usize,
    ) {
        if start < self.comments_upto {
            return;
        }
        self.comments_upto = end;
        let text = self.src[start + open..end - close].to_string();
        self.comments.push(Comment {
            span: Span::new(start, end),
            kind,
            text,
        });
    }

    /// The next token after trivia, without consuming it.
    fn peek(&mut self) -> Tok {
        self.peek_full().0
    }

    #[inline]
    fn peek_full(&mut self) -> (Tok, usize, usize) {
        // The parser asks several times per token: the answer is almost always
        // remembered, so that path stays small enough to inline.
        if let Some((tok, start, end)) = self.memo.get(self.pos) {
            self.pos = start;
            return (tok, start, end);
        }
        self.lex_at_cursor()
    }

    /// Skips the trivia at the cursor, lexes the token after it and remembers it.
    #[inline(never)]
    fn lex_at_cursor(&mut self) -> (Tok, usize, usize) {
        let at = self.pos;
        self.skip_trivia();
        let start = self.pos;
        let rest = &self.src[start..];
        let (tok, len) = if start < self.no_path_until {
            next_token_not_path(rest)
        } else {
            // A path starts with `~` or has a `/` right after its first run of path
            // characters: without one, no start in that run begins a path either.
            let run = path_run_len(rest);
            let found = if matches!(rest.as_bytes().get(run), Some(b'/' | b'~')) {
                next_token(rest)
            } else {
                next_token_not_path(rest)
            };
            if found.0 != Tok::Path {
                self.no_path_until = start + run;
            }
            found
        };
        let end = start + len;
        self.memo.put(at, tok, start, end);
        if at != start {
            self.memo.put(start, tok, start, end);
        }
        (tok, start, end)
    }

    /// The token after the next one (for lambda detection), without consuming anything.
    fn peek_second(&mut self) -> Tok {
        let (_, _, end) = self.peek_full();
        let saved = self.pos;
        self.pos = end;
        let tok = self.peek();
        self.pos = saved;
        tok
    }

    fn at(&mut self, op: Op) -> bool {
        self.peek() == Tok::Op(op)
    }

    fn at_kw(&mut self, kw: Keyword) -> bool {
        self.peek() == Tok::Kw(kw)
    }

    /// Consumes the next token and returns its span.
    fn bump(&mut self) -> Span {
        let (_, start, end) = self.peek_full();
        self.pos = end;
        self.last_end = end;
        Span::new(start, end)
    }

    /// Consumes `op` if it is next.
    fn eat(&mut self, op: Op) -> Option<Span> {
        self.at(op).then(|| self.bump())
    }

    fn eat_kw(&mut self, kw: Keyword) -> Option<Span> {
        self.at_kw(kw).then(|| self.bump())
    }

    /// Consumes `op` or reports that it was expected (after the previous token).
    fn expect(&mut self, op: Op, what: &str) -> bool {
        if self.eat(op).is_some() {
            return true;
        }
        self.missing(op.text(), format!("expected `{}` {what}", op.text()));
        false
    }

    fn text(&self, span: Span) -> &'a str {
        &self.src[span.range()]
    }

    /// Records an error, and returns it to be given a label, context or fix; `None` when
    /// it is a cascade of the previous error and was dropped.
    fn error_at(
        &mut self,
        span: Span,
        message: impl Into<String>,
        code: crate::diagnostic::Code,
    ) -> Option<&mut SyntaxError> {
        // One error per place: a second error at or right after the last one is a cascade
        // of it (a missing `then` leaves the branch without an expression, too).
        if self
            .errors
            .last()
            .is_some_and(|e| e.span.start <= span.start && span.start <= e.span.end + 1)
        {
            return None;
        }
        self.errors.push(SyntaxError {
            span,
            message: message.into(),
            label: String::new(),
            context: Vec::new(),
            fix: None,
            code,
        });
        self.errors.last_mut()
    }

    fn error_with_context(
        &mut self,
        span: Span,
        message: impl Into<String>,
        context: (Span, String),
    ) -> Option<&mut SyntaxError> {
        let error = self.error_at(span, message, codes::E0101)?;
        error.context.push(context);
        Some(error)
    }

    /// Reports that `what` (`;`, `in`, `else`) is missing right after the last token, with
    /// a fix that inserts it there.
    fn missing(&mut self, what: &str, message: impl Into<String>) -> Option<&mut SyntaxError> {
        let at = Span::new(self.last_end, self.last_end);
        let error = self.error_at(at, message, codes::E0101)?;
        error.label = format!("add `{what}` here");
        // A keyword needs a space to stand apart from the token before it.
        let text = if what.starts_with(char::is_alphabetic) {
            format!(" {what}")
        } else {
            what.to_string()
        };
        error.fix = Some((at, text));
        Some(error)
    }

    /// Reports an opener (`{`, `(`, `[`, `"`) whose closer the file never reaches, at the
    /// opener, with the end of the file as where the parser gave up.
    fn never_closed(&mut self, open: Span, what: &str, code: crate::diagnostic::Code) {
        if self.ended_in_literal {
            // The string or comment that runs to the end of the file is the one error.
            return;
        }
        if code == codes::E0102 {
            self.ended_in_literal = true;
        }
        let end = Span::new(self.src.len(), self.src.len());
        if let Some(error) = self.error_at(open, format!("this `{what}` is never closed"), code) {
            error.label = "never closed".to_string();
            error.context.push((end, "the file ends here".to_string()));
        }
    }

    /// The column where the text of the line holding `at` starts (its indentation).
    fn indentation_of_line(&self, at: usize) -> usize {
        let line_start = self.src[..at].rfind('\n').map_or(0, |i| i + 1);
        let line = &self.src[line_start..];
        line.len() - line.trim_start_matches([' ', '\t']).len()
    }

    /// The column of `at` when only white space precedes it on its line (looking back over
    /// that white space only, not the whole line).
    fn column_if_first_on_line(&self, at: usize) -> Option<usize> {
        for (index, c) in self.src[..at].char_indices().rev() {
            if c == '\n' {
                return Some(at - index - 1);
            }
            if !c.is_whitespace() {
                return None;
            }
        }
        Some(at)
    }

    /// The 1-based line of `at`.
    fn line_of(&self, at: usize) -> usize {
        self.src[..at].matches('\n').count() + 1
    }

    /// Text after the whole file's expression: a stray `}` (or `)`, `]`) gets a fix that
    /// deletes it; other text is reported with where the expression ended.
    fn trailing_text(&mut self, root: &Expr) {
        let (tok, start, end) = self.peek_full();
        let span = Span::new(start, end);
        if let Tok::Op(closer @ (Op::RBrace | Op::RParen | Op::RBracket)) = tok {
            let text = closer.text();
            if let Some(error) = self.error_at(
                span,
                format!("unexpected `{text}`: there is nothing to close"),
                codes::E0101,
            ) {
                error.label = format!("this `{text}` closes nothing");
                error.fix = Some((span, String::new()));
                let root_end = Span::new(root.span.end as usize, root.span.end as usize);
                error
                    .context
                    .push((root_end, "the file's expression ends here".to_string()));
            }
            return;
        }
        let found = match tok {
            Tok::Eof => "text".to_string(),
            _ => format!("`{}`", self.text(span)),
        };
        let root_end = root.span.end as usize;
        let misindented = self
            .misindented
            .iter()
            .rev()
            .find(|(_, close)| close.end as usize == root_end)
            .copied();
        if let Some(error) = self.error_at(
            span,
            format!("unexpected {found} after the end of the expression"),
            codes::E0101,
        ) {
            error.label = "the file's expression has ended before this".to_string();
            if let Some((open, close)) = misindented {
                error.context.push((
                    close,
                    "this `}` closes the whole expression: is it one too many?".to_string(),
                ));
                error.context.push((open, "the `{` it closes".to_string()));
            }
        }
    }

    /// Reports what the next token is when something else was expected.
    fn unexpected(&mut self, expected: &str) -> Span {
        let (tok, start, end) = self.peek_full();
        let span = Span::new(start, end);
        let (message, label) = match tok {
            Tok::Eof => (
                format!("expected {expected}, found the end of the file"),
                "the file ends here".to_string(),
            ),
            _ => (
                format!("expected {expected}, found `{}`", self.text(span)),
                format!("expected {expected}"),
            ),
        };
        if let Some(error) = self.error_at(span, message, codes::E0101) {
            error.label = label;
        }
        span
    }

    fn error_node(&self, at: usize) -> Expr {
        Expr::new(ExprKind::Error, Span::new(at, at))
    }

    /// Enters one level of nesting; false (and an error) when the input nests too deeply.
    fn enter(&mut self) -> bool {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            // The character at the cursor, or nothing at the end of the file.
            let at = self.pos.min(self.src.len());
            let width = self.src[at..].chars().next().map_or(0, char::len_utf8);
            self.error_at(
                Span::new(at, at + width),
                format!("expression nests more than {MAX_DEPTH} levels deep"),
                codes::E0104,
            );
            return false;
        }
        true
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// A guard for one parsing loop: see [`LoopGuard::pass`].
    fn loop_guard(&self) -> LoopGuard {
        LoopGuard { last: None }
    }

    /// Skips tokens until a `;` (consumed) or a `}` or `in` (not consumed), keeping
    /// brackets balanced, to resume after a broken binding.
    fn recover_binding(&mut self) {
        self.skip_until(Op::Semi, &[Tok::Op(Op::RBrace), Tok::Kw(Keyword::In)]);
    }

    /// Skips tokens at this nesting level until `end` (consumed) or one of `stops` (not
    /// consumed), keeping brackets balanced and strings whole.
    fn skip_until(&mut self, end: Op, stops: &[Tok]) {
        let mut nesting = 0usize;
        let mut guard = self.loop_guard();
        loop {
            if !guard.pass(self) {
                return;
            }
            let tok = self.peek();
            match tok {
                Tok::Eof => return,
                Tok::Op(op) if nesting == 0 && op == end => {
                    self.bump();
                    return;
                }
                _ if nesting == 0 && stops.contains(&tok) => return,
                Tok::Op(Op::LBrace | Op::LParen | Op::LBracket) | Tok::DollarBrace => {
                    nesting += 1;
                    self.bump();
                }
                Tok::Op(Op::RBrace | Op::RParen | Op::RBracket) => {
                    nesting = nesting.saturating_sub(1);
                    self.bump();
                }
                Tok::StrOpen | Tok::IndStrOpen => {
                    let _ = self.atom();
                }
                _ => {
                    self.bump();
                }
            }
        }
    }
}

/// The tokens the parser looked at lately, by the offset they were asked for (the cursor
/// before the trivia, and the token's start). Lexing is a function of the offset alone
/// (see [`next_token_not_path`]), so a remembered token is always right; remembering them
/// means that lookahead (`peek_second`, "is this a binding?", "is this a lambda's
/// pattern?") and backtracking never lex or skip trivia again. Direct-mapped on the low
/// bits of the offset: the parser never looks further ahead than a few hundred bytes, where
/// two offsets rarely share a slot, and a lost entry is only lexed again.
struct Memo {
    slots: Box<[MemoSlot; MEMO_SLOTS]>,
}

const MEMO_SLOTS: usize = 256;

#[derive(Clone, Copy)]
struct MemoSlot {
    /// The offset asked for, `u32::MAX` for none.
    at: u32,
    start: u32,
    end: u32,
    tok: Tok,
}

impl Memo {
    fn new() -> Memo {
        let empty = MemoSlot {
            at: u32::MAX,
            start: 0,
            end: 0,
            tok: Tok::Eof,
        };
        Memo {
            slots: Box::new([empty; MEMO_SLOTS]),
        }
    }

    #[inline]
    fn get(&self, at: usize) -> Option<(Tok, usize, usize)> {
        let slot = &self.slots[at % MEMO_SLOTS];
        (slot.at as usize == at).then_some((slot.tok, slot.start as usize, slot.end as usize))
    }

    fn put(&mut self, at: usize, tok: Tok, start: usize, end: usize) {
        self.slots[at % MEMO_SLOTS] = MemoSlot {
            at: at as u32,
            start: start as u32,
            end: end as u32,
            tok,
        };
    }
}

/// The progress guarantee of the parser's loops: every pass of a loop consumes a token or
/// the loop ends, so no input can make the parser spin. Each loop asks [`LoopGuard::pass`]
/// at the top of every pass.
struct LoopGuard {
    /// How far the parser had got at the top of the previous pass.
    last: Option<usize>,
}

impl LoopGuard {
    /// False when the previous pass consumed nothing: the loop must end. That is a bug in
    /// the parser's recovery, so debug builds (and the tests) stop on it; release builds
    /// leave the loop and carry on with what was parsed.
    fn pass(&mut self, parser: &Parser) -> bool {
        // Consuming a token moves `last_end`; giving up on a construct moves the cursor
        // to the end of the text (`pos`). Neither moves back between two passes.
        let now = parser.last_end.max(parser.pos);
        let stuck = self.last.is_some_and(|last| now <= last);
        debug_assert!(!stuck, "a parser loop consumed nothing at byte {now}");
        self.last = Some(now);
        !stuck
    }
}
