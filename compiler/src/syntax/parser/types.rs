//! Type expressions (after `::`, in `type Name = ...;`) and doc comments.
//!
//! ```text
//! type     := union ('->' type)?                  right-associative
//! union    := postfix ('|' postfix)*
//! postfix  := primary '?'*                        `?` not followed by an expression
//! primary  := Name ('.' Name)* refine? | "lit" | '[' type ']' | '(' type ')'
//!           | '{' '[' String ']' ':' type '}'     a map
//!           | '{' field (',' field)* (',' '...')? '}' | '{' '...' '}' | '{' '}'
//! field    := name '::' type ('=' expr)?
//! refine   := '(' int? '..' int? ')' | '(' '/' regex '/' ')'   directly after the name
//! ```

use super::Parser;
use crate::diagnostic::codes;
use crate::syntax::ast::{ExprKind, FieldType, Refinement, Span, StrPart, TypeExpr, TypeExprKind};
use crate::syntax::doc_comment;
use crate::syntax::lexer::{Keyword, Op, Tok};
use std::sync::Arc;

impl Parser<'_> {
    /// A whole type.
    pub(super) fn type_expr(&mut self) -> TypeExpr {
        if !self.enter() {
            let at = self.pos;
            self.pos = self.src.len();
            self.leave();
            return TypeExpr {
                kind: TypeExprKind::Error,
                span: Span::new(at, at),
            };
        }
        let ty = stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.function_type());
        self.leave();
        ty
    }

    fn function_type(&mut self) -> TypeExpr {
        let from = self.union_type();
        if self.eat(Op::Implies).is_none() {
            return from;
        }
        let to = self.type_expr();
        let span = from.span.cover(to.span);
        TypeExpr {
            kind: TypeExprKind::Function(Box::new(from), Box::new(to)),
            span,
        }
    }

    fn union_type(&mut self) -> TypeExpr {
        let first = self.postfix_type();
        if !self.at(Op::Pipe) {
            return first;
        }
        let mut members = vec![first];
        while self.eat(Op::Pipe).is_some() {
            members.push(self.postfix_type());
        }
        let span = members[0]
            .span
            .cover(members.last().map_or(members[0].span, |m| m.span));
        TypeExpr {
            kind: TypeExprKind::Union(members),
            span,
        }
    }

    fn postfix_type(&mut self) -> TypeExpr {
        let mut ty = self.primary_type();
        // `T?` is optional, but in a pattern `{ a :: Int ? 1 }` the `?` starts a default:
        // it is the suffix only when no expression follows it. Each `?` nests the type one
        // level deeper (`Int???` is three `Optional`s), counted against the limit.
        let depth_before = self.depth;
        while self.at(Op::Question) && !self.question_starts_default() {
            if !self.enter() {
                self.pos = self.src.len();
                break;
            }
            let end = self.bump();
            let span = ty.span.cover(end);
            ty = TypeExpr {
                kind: TypeExprKind::Optional(Box::new(ty)),
                span,
            };
        }
        self.depth = depth_before;
        ty
    }

    fn question_starts_default(&mut self) -> bool {
        !matches!(
            self.peek_second(),
            Tok::Op(
                Op::Comma
                    | Op::RBrace
                    | Op::RParen
                    | Op::RBracket
                    | Op::Assign
                    | Op::Semi
                    | Op::Pipe
                    | Op::Implies
                    | Op::Question
                    | Op::Colon
            ) | Tok::Eof
        )
    }

    fn primary_type(&mut self) -> TypeExpr {
        let (tok, start, _) = self.peek_full();
        let kind = match tok {
            Tok::Ident => return self.named_type(),
            Tok::StrOpen => {
                let string = self.string();
                match &string.kind {
                    ExprKind::Str { parts, .. } => match parts.as_slice() {
                        [] => TypeExprKind::Literal(String::new()),
                        [StrPart::Lit(text)] => TypeExprKind::Literal(text.clone()),
                        _ => {
                            self.error_at(
                                string.span,
                                "a string in a type cannot interpolate",
                                codes::E0101,
                            );
                            TypeExprKind::Error
                        }
                    },
                    _ => TypeExprKind::Error,
                }
            }
            Tok::Op(Op::LBracket) => {
                self.bump();
                let item = self.type_expr();
                self.expect(Op::RBracket, "to close the list type");
                TypeExprKind::List(Box::new(item))
            }
            Tok::Op(Op::LParen) => {
                self.bump();
                let inner = self.type_expr();
                self.expect(Op::RParen, "to close the parenthesis");
                TypeExprKind::Paren(Box::new(inner))
            }
            Tok::Op(Op::LBrace) => return self.record_type(),
            _ => {
                self.unexpected("a type");
                let at = self.last_end.max(start.min(self.last_end));
                return TypeExpr {
                    kind: TypeExprKind::Error,
                    span: Span::new(at, at),
                };
            }
        };
        TypeExpr {
            kind,
            span: Span::new(start, self.last_end),
        }
    }

    /// `Name`, `mod.Name`, `Int(1..10)`, `String(/re/)`.
    fn named_type(&mut self) -> TypeExpr {
        let first = self.bump();
        let mut segments = vec![(Arc::from(self.text(first)), first)];
        while self.at(Op::Dot) {
            self.bump();
            if self.peek() != Tok::Ident {
                self.unexpected("a type name after `.`");
                break;
            }
            let span = self.bump();
            segments.push((Arc::from(self.text(span)), span));
        }
        let span = first.cover(segments.last().map_or(first, |s| s.1));
        let named = TypeExpr {
            kind: TypeExprKind::Name(segments),
            span,
        };
        // A refinement is written right after the name, without space: `Int(1..65535)`.
        if self.src[self.last_end..].starts_with('(') && self.last_end == span.end as usize {
            return self.refinement(named);
        }
        named
    }

    /// `(min..max)` or `(/regex/)` after a type name; scanned from the text because neither
    /// is made of ordinary tokens (`1..2` would lex as two floats).
    fn refinement(&mut self, base: TypeExpr) -> TypeExpr {
        let open = self.last_end;
        let inner_start = open + 1;
        let rest = &self.src[inner_start..];
        let (refinement, consumed) = if let Some(body) = rest.trim_start().strip_prefix('/') {
            let lead = rest.len() - rest.trim_start().len() + 1;
            match regex_end(body) {
                Some(end) => (
                    Some(Refinement::Pattern(body[..end].replace("\\/", "/"))),
                    lead + end + 1,
                ),
                None => (None, rest.len()),
            }
        } else {
            match range(rest) {
                Some((min, max, len)) => (Some(Refinement::Range { min, max }), len),
                None => (None, 0),
            }
        };
        let close = inner_start + consumed;
        let closed = self.src[close..].trim_start().starts_with(')');
        let Some(refinement) = refinement.filter(|_| closed) else {
            let end = self.src[open..]
                .find(')')
                .map_or(self.src.len(), |i| open + i + 1);
            self.error_at(
                Span::new(open, end),
                "expected a range `(1..65535)` or a pattern `(/^[a-z]+$/)` after the type name",
                codes::E0101,
            );
            self.jump_to(end);
            return TypeExpr {
                kind: TypeExprKind::Error,
                span: base.span.cover(Span::new(end, end)),
            };
        };
        let end = close + (self.src[close..].len() - self.src[close..].trim_start().len()) + 1;
        self.jump_to(end);
        let span = base.span.cover(Span::new(end, end));
        TypeExpr {
            kind: TypeExprKind::Refined {
                base: Box::new(base),
                refinement,
            },
            span,
        }
    }

    /// Moves the cursor to byte `end`, past text scanned without the lexer.
    fn jump_to(&mut self, end: usize) {
        self.pos = end;
        self.last_end = end;
    }

    /// `{ a :: T, b :: U = d, ... }` or `{ [String]: T }` (the cursor is on `{`).
    fn record_type(&mut self) -> TypeExpr {
        let open = self.bump();
        if self.at(Op::LBracket) {
            self.bump();
            let key = self.type_expr();
            if !matches!(&key.kind, TypeExprKind::Name(s) if s.len() == 1 && &*s[0].0 == "String") {
                self.error_at(
                    key.span,
                    "the keys of a map type are always `String`",
                    codes::E0101,
                );
            }
            self.expect(Op::RBracket, "after the key type");
            self.expect(Op::Colon, "after `[String]`");
            let value = self.type_expr();
            self.eat(Op::Comma);
            self.expect(Op::RBrace, "to close the map type");
            return TypeExpr {
                kind: TypeExprKind::Map(Box::new(value)),
                span: Span::new(open.start as usize, self.last_end),
            };
        }
        let mut fields: Vec<FieldType> = Vec::new();
        // Where each field name was first declared: a lookup per field, not a scan.
        let mut declared: std::collections::HashMap<Arc<str>, Span> =
            std::collections::HashMap::new();
        let mut open_record = false;
        let mut guard = self.loop_guard();
        loop {
            if !guard.pass(self) {
                break;
            }
            let (tok, start, _) = self.peek_full();
            match tok {
                Tok::Op(Op::RBrace) => {
                    self.bump();
                    break;
                }
                Tok::Op(Op::Ellipsis) => {
                    self.bump();
                    open_record = true;
                    self.eat(Op::Comma);
                    if !self.at(Op::RBrace) {
                        self.unexpected("`}` after `...`");
                    }
                    self.expect(Op::RBrace, "to close the record type");
                    break;
                }
                Tok::Ident | Tok::StrOpen | Tok::Kw(_) => {
                    let doc = doc_comment(&self.comments, self.src, start as u32);
                    let Some(name) = self.attr_name() else {
                        // A keyword: reported as such. `in` ends the construct around
                        // the type (`let type T = { in`), so it is left for it.
                        self.unexpected("a field name");
                        if tok == Tok::Kw(Keyword::In) {
                            break;
                        }
                        self.recover_field();
                        continue;
                    };
                    let field_name = match &name.kind {
                        crate::syntax::ast::AttrNameKind::Static(text) => text.clone(),
                        crate::syntax::ast::AttrNameKind::Dynamic(_) => {
                            self.error_at(
                                name.span,
                                "a field name cannot interpolate",
                                codes::E0101,
                            );
                            Arc::from("")
                        }
                    };
                    if let Some(&previous) = declared.get(&field_name) {
                        self.error_with_context(
                            name.span,
                            format!("field `{field_name}` is declared twice"),
                            (previous, "first declared here".to_string()),
                        );
                    }
                    let ty = if self.expect(Op::ColonColon, "and a type after the field name") {
                        self.type_expr()
                    } else {
                        TypeExpr {
                            kind: TypeExprKind::Error,
                            span: Span::new(self.last_end, self.last_end),
                        }
                    };
                    let default = self.eat(Op::Assign).map(|_| self.expr());
                    declared.entry(field_name.clone()).or_insert(name.span);
                    fields.push(FieldType {
                        name: field_name,
                        name_span: name.span,
                        ty,
                        default,
                        doc,
                        span: Span::new(start, self.last_end),
                    });
                    if self.eat(Op::Comma).is_none() && !self.at(Op::RBrace) {
                        self.error_with_context(
                            Span::new(self.last_end, self.last_end),
                            "expected `,` or `}` after the field",
                            (open, "this record type".to_string()),
                        );
                        self.recover_field();
                    }
                }
                _ => {
                    self.error_with_context(
                        Span::new(self.last_end, self.last_end),
                        "expected a field, `...` or `}` in the record type",
                        (open, "this record type".to_string()),
                    );
                    if !matches!(tok, Tok::Eof | Tok::Op(Op::Semi) | Tok::Kw(Keyword::In)) {
                        self.recover_field();
                        continue;
                    }
                    break;
                }
            }
        }
        TypeExpr {
            kind: TypeExprKind::Record {
                fields,
                open: open_record,
            },
            span: Span::new(open.start as usize, self.last_end),
        }
    }

    /// Skips to the next `,` (consumed) or `}`, `;`, `in` (not consumed) at this nesting
    /// level.
    fn recover_field(&mut self) {
        self.skip_until(
            Op::Comma,
            &[Tok::Op(Op::RBrace), Tok::Op(Op::Semi), Tok::Kw(Keyword::In)],
        );
    }
}

/// The length of the regex body up to its closing unescaped `/`.
fn regex_end(body: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in body.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '/' if !escaped => return Some(i),
            '\n' => return None,
            _ => escaped = false,
        }
    }
    None
}

/// `min..max` with optional ends (and white space) at the start of `text`: the bounds and
/// the length consumed.
fn range(text: &str) -> Option<(Option<i64>, Option<i64>, usize)> {
    let trimmed = text.trim_start();
    let mut pos = text.len() - trimmed.len();
    let number = |from: &str| -> (Option<i64>, usize) {
        let digits = from
            .char_indices()
            .take_while(|&(i, c)| c.is_ascii_digit() || (i == 0 && c == '-'))
            .count();
        (from[..digits].parse().ok(), digits)
    };
    let (min, len) = number(&text[pos..]);
    pos += len;
    let after_min = &text[pos..];
    let dots = after_min.len() - after_min.trim_start().len();
    pos += dots;
    if !text[pos..].starts_with("..") {
        return None;
    }
    pos += 2;
    let spaces = text[pos..].len() - text[pos..].trim_start().len();
    pos += spaces;
    let (max, len) = number(&text[pos..]);
    pos += len;
    if min.is_none() && max.is_none() {
        return None;
    }
    Some((min, max, pos))
}
