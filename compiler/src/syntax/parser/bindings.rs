//! Bindings (`a.b = v;`, `inherit`), attribute sets, `let`, attribute paths and lambdas
//! with their parameter patterns.

use super::Parser;
use crate::diagnostic::codes;
use crate::syntax::ast::{
    AttrName, AttrNameKind, AttrPath, Binding, BindingKind, Expr, ExprKind, Param, PatField, Span,
    StrPart,
};
use crate::syntax::doc_comment;
use crate::syntax::lexer::{Keyword, Op, Tok};
use std::sync::Arc;

impl Parser<'_> {
    /// `let bindings in body`.
    pub(super) fn let_expr(&mut self) -> Expr {
        let let_span = self.bump();
        let bindings = self.bindings(Closer::In, let_span);
        if self.eat_kw(Keyword::In).is_none() {
            if let Some(error) = self.missing("in", "expected `in` after the bindings of `let`") {
                error.context.push((let_span, "this `let`".to_string()));
            }
        }
        let body = self.expr();
        let span = let_span.cover(body.span);
        Expr::new(
            ExprKind::Let {
                bindings,
                body: Box::new(body),
            },
            span,
        )
    }

    /// `{ bindings }` (the cursor is on `{`); `rec` was consumed by the caller.
    pub(super) fn attr_set(&mut self, rec: bool, start: usize) -> Expr {
        let open = self.bump();
        self.open_braces.push(open);
        let bindings = self.bindings(Closer::Brace, open);
        self.open_braces.pop();
        match self.peek() {
            Tok::Op(Op::RBrace) => {
                let close = self.bump();
                self.note_indentation(open, close);
            }
            Tok::Eof => self.unclosed_brace(open),
            _ => {
                if let Some(error) = self.missing("}", "expected `}` to close the attribute set") {
                    error.context.push((open, "this attribute set".to_string()));
                }
            }
        }
        Expr::new(
            ExprKind::AttrSet { rec, bindings },
            Span::new(start, self.last_end),
        )
    }

    /// Bindings up to `}` or `in` (not consumed).
    fn bindings(&mut self, closer: Closer, opener: Span) -> Vec<Binding> {
        // Bindings of nested sets go on the same stack above these, and are taken off
        // before the next one of these is pushed.
        let base = self.binding_stack.len();
        let mut guard = self.loop_guard();
        while guard.pass(self) && self.binding_step(closer, opener) {}
        self.binding_stack.drain(base..).collect()
    }

    /// One step of [`Parser::bindings`] at the cursor: a binding pushed onto the binding
    /// stack (or garbage skipped, with an error), true; the end of the bindings, false.
    pub(super) fn binding_step(&mut self, closer: Closer, opener: Span) -> bool {
        let (tok, start, _) = self.peek_full();
        match tok {
            Tok::Eof => return false,
            Tok::Op(Op::RBrace) if closer == Closer::Brace => return false,
            Tok::Kw(Keyword::In) if closer == Closer::In => return false,
            Tok::Op(Op::RBrace) if self.open_braces.is_empty() => self.stray_brace(),
            _ if closer == Closer::In && self.starts_let_body(tok) => {
                // `let a = 1; { ... }`: the body, with `in` missing before it.
                return false;
            }
            Tok::Op(Op::RBrace) | Tok::Kw(Keyword::In) => {
                // The wrong closer: leave it to the enclosing construct.
                return false;
            }
            Tok::Kw(Keyword::Inherit) => {
                let binding = self.inherit();
                self.binding_stack.push(binding);
            }
            Tok::Ident
                if self.src.get(start..start + 4) == Some("type")
                    && self.peek_second() == Tok::Ident
                    && self.peek_full().2 == start + 4 =>
            {
                let binding = self.type_decl();
                self.binding_stack.push(binding);
            }
            _ => {
                if self.attr_name_starts(tok) {
                    let binding = self.attr_binding();
                    self.binding_stack.push(binding);
                } else {
                    let what = match closer {
                        Closer::Brace => "a binding or `}`",
                        Closer::In => "a binding or `in`",
                    };
                    let span = self.unexpected(what);
                    if span.start as usize == start {
                        if let Some(last) = self.errors.last_mut() {
                            if last.context.is_empty() {
                                last.context.push((opener, "in these bindings".to_string()));
                            }
                        }
                    }
                    self.recover_binding();
                }
            }
        }
        true
    }

    /// Whether the tokens at the cursor are an attribute path followed by `=`: the start
    /// of a binding, which no expression continues with (so a value that runs into one
    /// lacks its `;`).
    pub(super) fn at_binding_start(&mut self) -> bool {
        let saved = (self.pos, self.last_end);
        let mut result = false;
        while matches!(self.peek(), Tok::Ident | Tok::Kw(Keyword::Or)) {
            self.bump();
            match self.peek() {
                Tok::Op(Op::Dot) => {
                    self.bump();
                }
                Tok::Op(Op::Assign) => {
                    result = true;
                    break;
                }
                _ => break,
            }
        }
        (self.pos, self.last_end) = saved;
        result
    }

    /// Whether `tok`, met among `let` bindings, starts the body instead: something that is
    /// not a binding but begins an expression.
    fn starts_let_body(&mut self, tok: Tok) -> bool {
        match tok {
            Tok::Ident => {
                !self.at_binding_start()
                    && !self.looks_like_typed_binding()
                    && self.name_then_expression()
            }
            Tok::Int
            | Tok::Float
            | Tok::Path
            | Tok::SearchPath
            | Tok::IndStrOpen
            | Tok::Op(Op::LBrace | Op::LParen | Op::LBracket | Op::Minus | Op::Not)
            | Tok::Kw(
                Keyword::If | Keyword::With | Keyword::Let | Keyword::Assert | Keyword::Rec,
            ) => true,
            _ => false,
        }
    }

    /// Whether the names at the cursor (`mlflow.deployment`) go on as an expression would
    /// (`{`, `(`, an argument, an operator, the end) rather than as a broken binding (a
    /// `;`, or the next binding: a stray word among the bindings of `let`).
    fn name_then_expression(&mut self) -> bool {
        let saved = (self.pos, self.last_end);
        while matches!(self.peek(), Tok::Ident | Tok::Kw(Keyword::Or)) {
            self.bump();
            if self.eat(Op::Dot).is_none() {
                break;
            }
        }
        let next = self.peek();
        let result = match next {
            Tok::Op(Op::Semi | Op::Assign) => false,
            Tok::Ident => !self.at_binding_start(),
            _ => true,
        };
        (self.pos, self.last_end) = saved;
        result
    }

    /// `name :: Type = value;` or `type Name = ...;` at the cursor (an identifier).
    fn looks_like_typed_binding(&mut self) -> bool {
        let (_, start, end) = self.peek_full();
        match self.peek_second() {
            Tok::Op(Op::ColonColon) => true,
            Tok::Ident => self.text(Span::new(start, end)) == "type",
            _ => false,
        }
    }

    /// Remembers a set whose `}` starts a line at another indentation than its `{`'s line:
    /// if an enclosing `{` turns out unclosed, this is likely the one missing its `}`.
    fn note_indentation(&mut self, open: Span, close: Span) {
        let Some(column) = self.column_if_first_on_line(close.start as usize) else {
            return;
        };
        if column != self.indentation_of_line(open.start as usize)
            && !self.misindented.contains(&(open, close))
        {
            self.misindented.push((open, close));
        }
    }

    /// The file ended inside the set opened at `open`. The `{` to blame is the innermost
    /// one whose `}` is indented like `open`'s line: that `}` was meant for `open`.
    fn unclosed_brace(&mut self, open: Span) {
        let inner = self
            .misindented
            .iter()
            .rev()
            .find(|(inner, _)| inner.start > open.start)
            .copied();
        let Some((inner, close)) = inner else {
            self.never_closed(open, "{", codes::E0101);
            return;
        };
        let line = self.line_of(open.start as usize);
        self.never_closed(inner, "{", codes::E0101);
        if let Some(error) = self.errors.last_mut().filter(|e| e.span == inner) {
            error.context.insert(
                0,
                (
                    close,
                    format!(
                        "this `}}` is indented like the `{{` of line {line}, so it closes that one"
                    ),
                ),
            );
            error.fix = None;
        }
    }

    /// Consumes a `}` that closes nothing (in `let` bindings with no `{` open), reporting
    /// it with a fix that deletes it.
    fn stray_brace(&mut self) {
        let span = self.bump();
        if let Some(error) = self.error_at(
            span,
            "unexpected `}`: there is no `{` to close",
            codes::E0101,
        ) {
            error.label = "this `}` closes nothing".to_string();
            error.fix = Some((span, String::new()));
        }
    }

    fn attr_name_starts(&self, tok: Tok) -> bool {
        matches!(
            tok,
            Tok::Ident | Tok::StrOpen | Tok::DollarBrace | Tok::Kw(Keyword::Or)
        )
    }

    /// `type Name = Type;` (the cursor is on `type`).
    fn type_decl(&mut self) -> Binding {
        let (_, start, _) = self.peek_full();
        let doc = doc_comment(&self.comments, self.src, start as u32);
        self.bump();
        let name_span = self.bump();
        let name: Arc<str> = Arc::from(self.text(name_span));
        let ty = if self.expect(Op::Assign, "after the type's name") {
            self.type_expr()
        } else {
            crate::syntax::ast::TypeExpr {
                kind: crate::syntax::ast::TypeExprKind::Error,
                span: Span::new(self.last_end, self.last_end),
            }
        };
        if self.eat(Op::Semi).is_none() {
            self.missing(";", "expected `;` after the type declaration");
            self.recover_binding();
        }
        Binding {
            kind: BindingKind::TypeDecl {
                name,
                name_span,
                ty,
            },
            ty: None,
            doc,
            span: Span::new(start, self.last_end),
        }
    }

    /// `path = value;` or `path :: Type = value;`
    fn attr_binding(&mut self) -> Binding {
        let (_, start, _) = self.peek_full();
        let doc = doc_comment(&self.comments, self.src, start as u32);
        let path = self.attr_path("in the binding");
        let ty = self.eat(Op::ColonColon).map(|_| self.type_expr());
        if self.eat(Op::Assign).is_none() {
            let (_, next, _) = self.peek_full();
            if self
                .src
                .get(self.last_end..next)
                .is_some_and(|gap| gap.contains('\n'))
            {
                // A name alone on its line: the mistake is there, not at the next line.
                let name = path_text(self.src, &path).to_string();
                if let Some(error) = self.error_at(
                    Span::new(self.last_end, self.last_end),
                    format!("expected `=` and a value after `{name}`"),
                    codes::E0101,
                ) {
                    error.label = "add `= value;` here".to_string();
                }
            } else {
                self.unexpected("`=` after the attribute name");
            }
            let at = self.last_end;
            if !matches!(
                self.peek(),
                Tok::Op(Op::RBrace) | Tok::Kw(Keyword::In) | Tok::Eof
            ) {
                self.recover_binding();
            }
            // Keep the incomplete binding (`mlflow.` while typing): the language server
            // completes its path.
            return Binding {
                kind: BindingKind::Attr {
                    path,
                    value: Expr::new(ExprKind::Error, Span::new(at, at)),
                },
                ty,
                doc,
                span: Span::new(start, self.last_end),
            };
        }
        let value = self.expr();
        if self.at(Op::RBrace) && self.open_braces.is_empty() {
            // `a = { x = 1; }};` in `let`: the `;` follows a `}` too many.
            self.stray_brace();
        }
        let terminated = self.eat(Op::Semi).is_some();
        if !terminated {
            let next = self.peek();
            if next == Tok::Unknown {
                self.unexpected("`;` after the binding");
            } else if next != Tok::Eof {
                // At the end of the file the enclosing `{` or `let` is unclosed, and that
                // is the one error to report.
                let name = path_text(self.src, &path);
                self.missing(";", format!("expected `;` after the value of `{name}`"));
            }
            // Resume at the next binding when one follows directly, as if the `;` were
            // there; otherwise skip the garbage up to the next `;`.
            if !matches!(
                next,
                Tok::Op(Op::RBrace) | Tok::Kw(Keyword::In | Keyword::Inherit) | Tok::Eof
            ) && !self.attr_name_starts(next)
            {
                self.recover_binding();
            }
        }
        Binding {
            kind: BindingKind::Attr { path, value },
            ty,
            doc,
            span: Span::new(start, self.last_end),
        }
    }

    /// `inherit a b;` or `inherit (from) a b;`
    fn inherit(&mut self) -> Binding {
        let start = self.bump();
        let from = if self.at(Op::LParen) {
            self.bump();
            let from = self.expr();
            self.expect(Op::RParen, "after the `inherit` source");
            Some(Box::new(from))
        } else {
            None
        };
        let mut names = Vec::new();
        let mut guard = self.loop_guard();
        while guard.pass(self) {
            let tok = self.peek();
            if tok == Tok::Op(Op::Semi) {
                self.bump();
                break;
            }
            if matches!(tok, Tok::Ident | Tok::StrOpen | Tok::Kw(Keyword::Or)) {
                if let Some(name) = self.attr_name() {
                    if matches!(name.kind, AttrNameKind::Dynamic(_)) {
                        self.error_at(
                            name.span,
                            "`inherit` takes plain names, not interpolated ones",
                            codes::E0101,
                        );
                    }
                    names.push(name);
                    continue;
                }
            }
            self.missing(";", "expected `;` after `inherit`");
            if !matches!(tok, Tok::Op(Op::RBrace) | Tok::Kw(Keyword::In) | Tok::Eof) {
                self.recover_binding();
            }
            break;
        }
        Binding {
            kind: BindingKind::Inherit { from, names },
            ty: None,
            doc: None,
            span: Span::new(start.start as usize, self.last_end),
        }
    }

    /// One or more names separated by `.`.
    pub(super) fn attr_path(&mut self, context: &str) -> AttrPath {
        // Most paths are one name.
        let mut path = Vec::with_capacity(1);
        loop {
            match self.attr_name() {
                Some(name) => path.push(name),
                None => {
                    self.unexpected(&format!("an attribute name {context}"));
                    let at = self.last_end;
                    path.push(AttrName {
                        kind: AttrNameKind::Static(Arc::from("")),
                        span: Span::new(at, at),
                    });
                    break;
                }
            }
            if self.eat(Op::Dot).is_none() {
                break;
            }
        }
        path
    }

    /// `name`, `"name"`, `"a${b}"` or `${expr}`.
    pub(super) fn attr_name(&mut self) -> Option<AttrName> {
        let (tok, start, end) = self.peek_full();
        match tok {
            Tok::Ident | Tok::Kw(Keyword::Or) => {
                let span = self.bump();
                Some(AttrName {
                    kind: AttrNameKind::Static(Arc::from(self.text(span))),
                    span,
                })
            }
            Tok::StrOpen => {
                let string = self.string();
                let span = string.span;
                let kind = match &string.kind {
                    ExprKind::Str { parts, .. }
                        if parts.iter().all(|p| matches!(p, StrPart::Lit(_))) =>
                    {
                        let text: String = parts
                            .iter()
                            .filter_map(|p| match p {
                                StrPart::Lit(s) => Some(s.as_str()),
                                StrPart::Interp(_) => None,
                            })
                            .collect();
                        AttrNameKind::Static(Arc::from(text))
                    }
                    _ => AttrNameKind::Dynamic(Box::new(string)),
                };
                Some(AttrName { kind, span })
            }
            Tok::DollarBrace => {
                let open = self.bump();
                self.open_braces.push(open);
                let inner = self.expr();
                self.open_braces.pop();
                self.expect(Op::RBrace, "to close the interpolation");
                let span = Span::new(start, self.last_end.max(end));
                Some(AttrName {
                    kind: AttrNameKind::Dynamic(Box::new(inner)),
                    span,
                })
            }
            _ => None,
        }
    }

    /// Whether the `{` at the cursor opens a lambda's set pattern rather than an attribute
    /// set: `{ }:`, `{ a, ...`, `{ a ? d`, `{ a }:`, `{ ... }`, `{ a }@x`.
    pub(super) fn looks_like_pattern(&mut self) -> bool {
        let saved = self.pos;
        let result = self.scan_pattern_start();
        self.pos = saved;
        result
    }

    fn scan_pattern_start(&mut self) -> bool {
        self.bump(); // `{`
        match self.peek() {
            Tok::Op(Op::Ellipsis) => true,
            Tok::Op(Op::RBrace) => {
                self.bump();
                matches!(self.peek(), Tok::Op(Op::Colon | Op::At))
            }
            Tok::Ident => {
                self.bump();
                match self.peek() {
                    Tok::Op(Op::Comma | Op::Question | Op::ColonColon) => true,
                    Tok::Op(Op::RBrace) => {
                        self.bump();
                        matches!(self.peek(), Tok::Op(Op::Colon | Op::At))
                    }
                    _ => false,
                }
            }
            _ => false,
        }
    }

    /// Whether the `(` at the cursor opens a typed parameter `(x :: T): body` rather than
    /// a parenthesised expression or an ascription `(x :: T)`: the `)` that closes it is
    /// followed by `:`.
    pub(super) fn looks_like_typed_param(&mut self) -> bool {
        let at = self.pos;
        if let Some(&known) = self.typed_param_at.get(&at) {
            return known;
        }
        // The scan parses strings (their interpolations may hold parentheses), but only
        // to find where they end: what that parse reports is the real parse's to say.
        let saved = (self.pos, self.last_end);
        let (errors, misindented, ended) = (
            self.errors.len(),
            self.misindented.len(),
            self.ended_in_literal,
        );
        let result = self.scan_typed_param();
        (self.pos, self.last_end) = saved;
        self.errors.truncate(errors);
        self.misindented.truncate(misindented);
        self.ended_in_literal = ended;
        self.typed_param_at.insert(at, result);
        result
    }

    fn scan_typed_param(&mut self) -> bool {
        self.bump(); // `(`
        let mut result = false;
        if self.peek() == Tok::Ident {
            self.bump();
            if self.eat(Op::ColonColon).is_some() {
                let mut nesting = 0usize;
                loop {
                    match self.peek() {
                        Tok::Eof | Tok::Op(Op::Semi) => break,
                        Tok::Op(Op::LParen | Op::LBrace | Op::LBracket) => nesting += 1,
                        Tok::Op(Op::RParen) if nesting == 0 => {
                            self.bump();
                            result = self.at(Op::Colon);
                            break;
                        }
                        Tok::Op(Op::RParen | Op::RBrace | Op::RBracket) => {
                            nesting = nesting.saturating_sub(1)
                        }
                        _ => {}
                    }
                    if matches!(self.peek(), Tok::StrOpen | Tok::IndStrOpen) {
                        let _ = self.atom();
                    } else {
                        self.bump();
                    }
                }
            }
        }
        result
    }

    /// `x: body`, `(x :: T): body`, `x @ { ... }: body`, `{ ... }: body` or
    /// `{ ... } @ x: body`.
    pub(super) fn lambda(&mut self) -> Expr {
        let (tok, start, _) = self.peek_full();
        let param = if tok == Tok::Ident {
            let name_span = self.bump();
            let name: Arc<str> = Arc::from(self.text(name_span));
            if self.eat(Op::At).is_some() {
                if self.at(Op::LBrace) {
                    self.pattern(Some((name, name_span)))
                } else {
                    self.unexpected("a `{ ... }` pattern after `@`");
                    Param::Ident {
                        name,
                        span: name_span,
                        ty: None,
                    }
                }
            } else {
                Param::Ident {
                    name,
                    span: name_span,
                    ty: None,
                }
            }
        } else if tok == Tok::Op(Op::LParen) {
            // `(x :: Type): body`
            self.bump();
            let name_span = self.bump();
            let name: Arc<str> = Arc::from(self.text(name_span));
            self.bump(); // `::`
            let ty = self.type_expr();
            self.expect(Op::RParen, "after the parameter's type");
            Param::Ident {
                name,
                span: name_span,
                ty: Some(ty),
            }
        } else {
            let pattern = self.pattern(None);
            if self.eat(Op::At).is_some() {
                match (pattern, self.peek()) {
                    (
                        Param::Pattern {
                            fields,
                            ellipsis,
                            span,
                            ..
                        },
                        Tok::Ident,
                    ) => {
                        let name_span = self.bump();
                        Param::Pattern {
                            fields,
                            ellipsis,
                            span,
                            bind: Some((Arc::from(self.text(name_span)), name_span)),
                        }
                    }
                    (pattern, _) => {
                        self.unexpected("a name after `@`");
                        pattern
                    }
                }
            } else {
                pattern
            }
        };
        self.expect(Op::Colon, "after the function's parameter");
        let body = self.expr();
        let span = Span::new(start, body.span.end as usize);
        Expr::new(
            ExprKind::Lambda {
                param: Box::new(param),
                body: Box::new(body),
            },
            span,
        )
    }

    /// `{ a, b ? default, ... }` (the cursor is on `{`).
    fn pattern(&mut self, bind: Option<(Arc<str>, Span)>) -> Param {
        let open = self.bump();
        self.open_braces.push(open);
        let mut fields: Vec<PatField> = Vec::new();
        let mut ellipsis = false;
        let mut guard = self.loop_guard();
        while guard.pass(self) {
            let (tok, start, _) = self.peek_full();
            match tok {
                Tok::Op(Op::RBrace) => {
                    self.bump();
                    break;
                }
                Tok::Op(Op::Ellipsis) => {
                    self.bump();
                    ellipsis = true;
                }
                Tok::Ident => {
                    let span = self.bump();
                    let name: Arc<str> = Arc::from(self.text(span));
                    if let Some(previous) = fields.iter().find(|f| f.name == name) {
                        let previous = previous.span;
                        self.error_with_context(
                            span,
                            format!("duplicate parameter `{name}` in the pattern"),
                            (previous, "first declared here".to_string()),
                        );
                    }
                    let ty = self.eat(Op::ColonColon).map(|_| self.type_expr());
                    let default = self.eat(Op::Question).map(|_| self.expr());
                    fields.push(PatField {
                        name,
                        span: Span::new(start, span.end as usize),
                        ty,
                        default,
                    });
                }
                _ => {
                    self.error_with_context(
                        Span::new(self.last_end, self.last_end),
                        "expected a parameter name or `}` in the pattern",
                        (open, "this pattern".to_string()),
                    );
                    break;
                }
            }
            if self.eat(Op::Comma).is_none() && !self.at(Op::RBrace) {
                self.error_with_context(
                    Span::new(self.last_end, self.last_end),
                    "expected `,` or `}` in the pattern",
                    (open, "this pattern".to_string()),
                );
                if !matches!(self.peek(), Tok::Ident) {
                    break;
                }
            }
            if ellipsis && !self.at(Op::RBrace) {
                self.unexpected("`}` after `...`");
                break;
            }
        }
        self.open_braces.pop();
        Param::Pattern {
            fields,
            ellipsis,
            bind,
            span: Span::new(open.start as usize, self.last_end),
        }
    }
}

/// The source text of an attribute path (`storage.enabled`).
fn path_text<'a>(src: &'a str, path: &AttrPath) -> &'a str {
    match (path.first(), path.last()) {
        (Some(first), Some(last)) => src
            .get(first.span.start as usize..last.span.end as usize)
            .unwrap_or(""),
        _ => "",
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Closer {
    Brace,
    In,
}
