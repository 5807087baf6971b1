//! String literals (`"..."` with escapes), indented strings (`''...''` with Nix's
//! indentation stripping) and path literals, all with `${...}` interpolation.

use super::Parser;
use crate::diagnostic::codes;
use crate::syntax::ast::{Expr, ExprKind, Span, StrPart};
use crate::syntax::lexer::{is_path_byte, Op};

/// A piece of an indented string before indentation stripping.
enum RawPart {
    Text(String),
    /// Text from an escape (`''$`, `'''`, `''\n`): content for the indentation measure
    /// (an escaped newline does not start a line there), plain text when stripping, as in
    /// Nix.
    Escaped(String),
    Interp(Expr),
}

impl Parser<'_> {
    /// `"..."`; the cursor is on the opening quote.
    pub(super) fn string(&mut self) -> Expr {
        let open = self.bump();
        let start = open.start as usize;
        // Most strings are one piece of text.
        let mut parts = Vec::with_capacity(1);
        let mut lit = String::new();
        loop {
            // Plain text up to the next byte that may end it, in one piece.
            let rest = &self.src[self.pos..];
            let plain = rest
                .bytes()
                .position(|b| matches!(b, b'"' | b'\\' | b'$'))
                .unwrap_or(rest.len());
            lit.push_str(&rest[..plain]);
            self.pos += plain;
            let rest = &rest[plain..];
            let mut chars = rest.chars();
            let Some(c) = chars.next() else {
                self.unterminated_string(open, "\"");
                break;
            };
            match c {
                '"' => {
                    self.pos += 1;
                    break;
                }
                '\\' => match chars.next() {
                    Some(escaped) => {
                        lit.push(match escaped {
                            'n' => '\n',
                            't' => '\t',
                            'r' => '\r',
                            other => other,
                        });
                        self.pos += 1 + escaped.len_utf8();
                    }
                    None => self.pos += 1,
                },
                _ if rest.starts_with("${") => {
                    flush(&mut lit, &mut parts);
                    parts.push(StrPart::Interp(self.interpolation()));
                }
                _ if rest.starts_with("$$") => {
                    lit.push_str("$$");
                    self.pos += 2;
                }
                _ => {
                    lit.push('$');
                    self.pos += 1;
                }
            }
        }
        flush(&mut lit, &mut parts);
        self.last_end = self.pos;
        Expr::new(
            ExprKind::Str {
                parts,
                indented: false,
            },
            Span::new(start, self.pos),
        )
    }

    /// The file ended inside the string opened by `quote` at `open`. When the opener's line
    /// goes on to a `;`, the string was most likely meant to end before it: that is the fix.
    fn unterminated_string(&mut self, open: Span, quote: &str) {
        self.never_closed(open, quote, codes::E0102);
        let Some(error) = self.errors.last_mut().filter(|e| e.span == open) else {
            return;
        };
        let after = open.end as usize;
        let line = self.src[after..].split('\n').next().unwrap_or("");
        if let Some(semi) = line.rfind(';') {
            let at = Span::new(after + semi, after + semi);
            error.label = format!("never closed: add `{quote}` before the `;` of this line?");
            error.fix = Some((at, quote.to_string()));
        }
    }

    /// `${ expr }` inside a string or path; the cursor is on `$`.
    fn interpolation(&mut self) -> Expr {
        let open = Span::new(self.pos, self.pos + 2);
        self.pos += 2;
        self.last_end = self.pos;
        self.open_braces.push(open);
        let inner = self.expr();
        self.open_braces.pop();
        if self.eat(Op::RBrace).is_none() {
            self.error_with_context(
                Span::new(self.last_end, self.last_end),
                "expected `}` to close the interpolation",
                (open, "the interpolation starts here".to_string()),
            );
        }
        inner
    }

    /// `''...''`; the cursor is on the opening `''`.
    pub(super) fn indented_string(&mut self) -> Expr {
        let open = self.bump();
        let start = open.start as usize;
        // Nix's lexer swallows spaces and one newline right after the opening quotes.
        let after = &self.src[self.pos..];
        let spaces = after.len() - after.trim_start_matches(' ').len();
        if after[spaces..].starts_with('\n') {
            self.pos += spaces + 1;
        }
        let mut raw = Vec::new();
        let mut lit = String::new();
        loop {
            // Plain text up to the next byte that may end it, in one piece.
            let rest = &self.src[self.pos..];
            let plain = rest
                .bytes()
                .position(|b| matches!(b, b'\'' | b'$'))
                .unwrap_or(rest.len());
            lit.push_str(&rest[..plain]);
            self.pos += plain;
            let rest = &rest[plain..];
            let Some(c) = rest.chars().next() else {
                self.unterminated_string(open, "''");
                break;
            };
            if rest.starts_with("'''") {
                push_escaped(&mut raw, &mut lit, "''");
                self.pos += 3;
            } else if rest.starts_with("''$") {
                push_escaped(&mut raw, &mut lit, "$");
                self.pos += 3;
            } else if let Some(after_escape) = rest.strip_prefix("''\\") {
                match after_escape.chars().next() {
                    Some(escaped) => {
                        let text = match escaped {
                            'n' => '\n',
                            't' => '\t',
                            'r' => '\r',
                            other => other,
                        };
                        push_escaped(&mut raw, &mut lit, text.encode_utf8(&mut [0; 4]));
                        self.pos += 3 + escaped.len_utf8();
                    }
                    None => self.pos += 3,
                }
            } else if rest.starts_with("''") {
                self.pos += 2;
                break;
            } else if rest.starts_with("${") {
                if !lit.is_empty() {
                    raw.push(RawPart::Text(std::mem::take(&mut lit)));
                }
                raw.push(RawPart::Interp(self.interpolation()));
            } else if rest.starts_with("$$") {
                lit.push_str("$$");
                self.pos += 2;
            } else {
                lit.push(c);
                self.pos += c.len_utf8();
            }
        }
        if !lit.is_empty() {
            raw.push(RawPart::Text(lit));
        }
        self.last_end = self.pos;
        Expr::new(
            ExprKind::Str {
                parts: strip_indentation(raw),
                indented: true,
            },
            Span::new(start, self.pos),
        )
    }

    /// A path literal, possibly with interpolated segments (`./a/${b}.mlc`).
    pub(super) fn path(&mut self) -> Expr {
        let (_, start, end) = self.peek_full();
        self.pos = end;
        let mut parts = Vec::new();
        let mut lit = self.src[start..end].to_string();
        loop {
            let rest = &self.src[self.pos..];
            if rest.starts_with("${") {
                flush(&mut lit, &mut parts);
                parts.push(StrPart::Interp(self.interpolation()));
                continue;
            }
            // Continue with more path characters or `/segment`s after an interpolation.
            let more = path_continuation_len(rest);
            if more == 0 {
                break;
            }
            lit.push_str(&rest[..more]);
            self.pos += more;
        }
        flush(&mut lit, &mut parts);
        if let Some(StrPart::Lit(text)) = parts.last() {
            if text.ends_with('/') && text.len() > 1 {
                self.error_at(
                    Span::new(self.pos - 1, self.pos),
                    "a path cannot end with `/`",
                    codes::E0101,
                );
            }
        }
        self.last_end = self.pos;
        Expr::new(ExprKind::Path(parts), Span::new(start, self.pos))
    }
}

/// How many bytes at the start of `rest` continue a path literal: path characters, and
/// `/` when a segment or an interpolation follows.
fn path_continuation_len(rest: &str) -> usize {
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let continues_segment = c == b'/'
            && (bytes.get(i + 1).is_some_and(|&n| is_path_byte(n))
                || rest[i + 1..].starts_with("${"));
        if is_path_byte(c) || continues_segment {
            i += 1;
        } else {
            break;
        }
    }
    i
}

fn push_escaped(raw: &mut Vec<RawPart>, lit: &mut String, text: &str) {
    if !lit.is_empty() {
        raw.push(RawPart::Text(std::mem::take(lit)));
    }
    raw.push(RawPart::Escaped(text.to_string()));
}

fn flush(lit: &mut String, parts: &mut Vec<StrPart>) {
    if !lit.is_empty() {
        parts.push(StrPart::Lit(std::mem::take(lit)));
    }
}

/// Nix's indentation stripping for `''` strings: the smallest indentation of the lines
/// that have content is removed from every line, and a last line of only spaces is
/// dropped. Interpolations count as content.
fn strip_indentation(raw: Vec<RawPart>) -> Vec<StrPart> {
    let mut min_indent = usize::MAX;
    let mut cur_indent = 0;
    let mut at_line_start = true;
    for part in &raw {
        match part {
            RawPart::Interp(_) | RawPart::Escaped(_) => {
                if at_line_start {
                    at_line_start = false;
                    min_indent = min_indent.min(cur_indent);
                }
            }
            RawPart::Text(text) => {
                for c in text.chars() {
                    if at_line_start {
                        match c {
                            ' ' => cur_indent += 1,
                            '\n' => cur_indent = 0,
                            _ => {
                                at_line_start = false;
                                min_indent = min_indent.min(cur_indent);
                            }
                        }
                    } else if c == '\n' {
                        at_line_start = true;
                        cur_indent = 0;
                    }
                }
            }
        }
    }
    if min_indent == usize::MAX {
        min_indent = 0;
    }

    let count = raw.len();
    let mut parts = Vec::with_capacity(count);
    let mut at_line_start = true;
    let mut dropped = 0;
    for (index, part) in raw.into_iter().enumerate() {
        match part {
            RawPart::Interp(expr) => {
                at_line_start = false;
                dropped = 0;
                parts.push(StrPart::Interp(expr));
            }
            RawPart::Text(text) | RawPart::Escaped(text) => {
                let mut out = String::with_capacity(text.len());
                for c in text.chars() {
                    if at_line_start {
                        match c {
                            ' ' => {
                                if dropped >= min_indent {
                                    out.push(c);
                                }
                                dropped += 1;
                            }
                            '\n' => {
                                dropped = 0;
                                out.push(c);
                            }
                            _ => {
                                at_line_start = false;
                                dropped = 0;
                                out.push(c);
                            }
                        }
                    } else {
                        out.push(c);
                        if c == '\n' {
                            at_line_start = true;
                        }
                    }
                }
                if index + 1 == count {
                    if let Some(newline) = out.rfind('\n') {
                        if out[newline + 1..].chars().all(|c| c == ' ') {
                            out.truncate(newline + 1);
                        }
                    }
                }
                // Escapes split the text into pieces; the tree keeps one literal per run.
                match parts.last_mut() {
                    Some(StrPart::Lit(previous)) => previous.push_str(&out),
                    _ if !out.is_empty() => parts.push(StrPart::Lit(out)),
                    _ => {}
                }
            }
        }
    }
    parts
}
