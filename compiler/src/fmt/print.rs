//! From the syntax tree (and its comments) to a [`Doc`]: the style rules of `mlc fmt`.
//!
//! Comments are not in the tree, so the printer walks the tree in source order with a
//! cursor into the comment list: before each node it prints the comments that start before
//! it ("leading"), after a binding, list element or pattern field the comments on the same
//! line ("trailing"), and before a closing bracket the ones left inside it ("dangling").
//! Because the cursor only moves forward, every comment is printed exactly once, in order.
//!
//! Literals whose spelling carries meaning (strings, indented strings, paths, numbers,
//! attribute names) are copied from the source text, so escapes and indentation never change.

mod types;

use super::doc::Doc;
use crate::concat_docs;
use crate::syntax::{
    AttrName, BinaryOp, Binding, BindingKind, Comment, CommentKind, Expr, ExprKind, Param,
    PatField, Span, UnaryOp,
};

pub struct Printer<'a> {
    src: &'a str,
    comments: &'a [Comment],
    /// The first comment not printed yet.
    next: usize,
}

impl<'a> Printer<'a> {
    pub fn new(src: &'a str, comments: &'a [Comment]) -> Self {
        Printer {
            src,
            comments,
            next: 0,
        }
    }

    /// The whole file: comments before the expression, the expression, the comments after
    /// it, and one final newline.
    pub fn file(&mut self, root: &Expr) -> Doc<'a> {
        let mut docs = vec![self.leading_block(root.span.start)];
        docs.push(self.expr_top(root));
        docs.push(self.trailing(root.span.end));
        let mut last_end = root.span.end;
        while let Some(comment) = self.comments.get(self.next) {
            self.next += 1;
            docs.push(Doc::HardLine);
            if self.blank_line_between(last_end, comment.span.start) {
                docs.push(Doc::HardLine);
            }
            docs.push(self.comment_doc(comment));
            last_end = comment.span.end;
        }
        docs.push(Doc::HardLine);
        Doc::Concat(docs)
    }

    fn slice(&self, span: Span) -> &'a str {
        self.src.get(span.range()).unwrap_or("")
    }

    /// Source text copied as written; comments inside it (in `${ }`) are part of it.
    fn verbatim(&mut self, span: Span) -> Doc<'a> {
        while self
            .comments
            .get(self.next)
            .is_some_and(|comment| comment.span.start < span.end)
        {
            self.next += 1;
        }
        Doc::Verbatim(self.slice(span))
    }

    // ---- comments ----

    /// Comments starting before `pos`, each followed by a line break (line comments, block
    /// comments that ended their line) or a space.
    fn leading(&mut self, pos: u32) -> Doc<'a> {
        let mut docs = Vec::new();
        while let Some(comment) = self.comments.get(self.next) {
            if comment.span.start >= pos {
                break;
            }
            self.next += 1;
            docs.push(self.comment_doc(comment));
            let ends_line =
                comment.kind == CommentKind::Line || self.newline_after(comment.span.end);
            docs.push(if ends_line {
                Doc::HardLine
            } else {
                Doc::text(" ")
            });
        }
        Doc::Concat(docs)
    }

    /// Like [`Self::leading`], for a statement-like item (binding, list element): an empty
    /// line between two comments or between the comments and the item is kept.
    fn leading_block(&mut self, pos: u32) -> Doc<'a> {
        let mut docs = Vec::new();
        while let Some(comment) = self.comments.get(self.next) {
            if comment.span.start >= pos {
                break;
            }
            self.next += 1;
            docs.push(self.comment_doc(comment));
            let next_start = self
                .comments
                .get(self.next)
                .map_or(pos, |next| next.span.start.min(pos));
            if comment.kind == CommentKind::Line || self.newline_after(comment.span.end) {
                docs.push(Doc::HardLine);
                if self.blank_line_between(comment.span.end, next_start) {
                    docs.push(Doc::HardLine);
                }
            } else {
                docs.push(Doc::text(" "));
            }
        }
        Doc::Concat(docs)
    }

    /// Comments on the same line right after `end` (only white space, `,` or `;` between):
    /// printed at the end of the output line.
    fn trailing(&mut self, end: u32) -> Doc<'a> {
        let mut docs = Vec::new();
        let mut from = end;
        while let Some(comment) = self.comments.get(self.next) {
            let gap = self.src.get(from as usize..comment.span.start as usize);
            let same_line =
                gap.is_some_and(|gap| gap.chars().all(|c| matches!(c, ' ' | '\t' | ',' | ';')));
            if !same_line {
                break;
            }
            self.next += 1;
            from = comment.span.end;
            match comment.kind {
                CommentKind::Line => {
                    docs.push(Doc::LineSuffix(" ".into()));
                    docs.push(Doc::LineSuffix(self.slice(comment.span).trim_end().into()));
                    docs.push(Doc::BreakParent);
                }
                CommentKind::Block => {
                    docs.push(Doc::text(" "));
                    docs.push(self.comment_doc(comment));
                }
            }
        }
        Doc::Concat(docs)
    }

    /// Comments left before `end` (the closing bracket of a container), one per line.
    fn dangling(&mut self, end: u32, after: u32) -> Option<Doc<'a>> {
        let mut docs = Vec::new();
        let mut last_end = after;
        while let Some(comment) = self.comments.get(self.next) {
            if comment.span.start >= end {
                break;
            }
            self.next += 1;
            docs.push(Doc::HardLine);
            if !docs.is_empty()
                && last_end != after
                && self.blank_line_between(last_end, comment.span.start)
            {
                docs.push(Doc::HardLine);
            }
            docs.push(self.comment_doc(comment));
            last_end = comment.span.end;
        }
        (!docs.is_empty()).then_some(Doc::Concat(docs))
    }

    fn comment_doc(&self, comment: &Comment) -> Doc<'a> {
        let text = self.slice(comment.span);
        match comment.kind {
            CommentKind::Line => Doc::text(text.trim_end()),
            CommentKind::Block => Doc::Verbatim(text),
        }
    }

    fn has_comment_before(&self, pos: u32) -> bool {
        self.comments
            .get(self.next)
            .is_some_and(|comment| comment.span.start < pos)
    }

    fn newline_after(&self, pos: u32) -> bool {
        let rest = self.src.get(pos as usize..).unwrap_or("");
        rest.trim_start_matches([' ', '\t', '\r']).starts_with('\n')
    }

    /// Whether the source between `from` and `to` (white space and comments) has an empty
    /// line.
    fn blank_line_between(&self, from: u32, to: u32) -> bool {
        let Some(gap) = self.src.get(from as usize..to as usize) else {
            return false;
        };
        let mut newlines = 0;
        let mut chars = gap.char_indices().peekable();
        while let Some((index, c)) = chars.next() {
            match c {
                '\n' => {
                    newlines += 1;
                    if newlines >= 2 {
                        return true;
                    }
                }
                ' ' | '\t' | '\r' => {}
                '#' => {
                    newlines = 0;
                    while chars.peek().is_some_and(|(_, c)| *c != '\n') {
                        chars.next();
                    }
                }
                '/' if gap[index..].starts_with("/*") => {
                    newlines = 0;
                    let close = gap[index + 2..]
                        .find("*/")
                        .map_or(gap.len(), |at| index + 2 + at + 2);
                    while chars.peek().is_some_and(|(at, _)| *at < close) {
                        chars.next();
                    }
                }
                _ => newlines = 0,
            }
        }
        false
    }

    // ---- expressions ----

    fn expr(&mut self, expr: &Expr) -> Doc<'a> {
        let leading = self.leading(expr.span.start);
        let body = self.expr_kind(expr, false);
        concat_docs![leading, body]
    }

    /// The file's expression: a function's body is not indented at the top level.
    fn expr_top(&mut self, expr: &Expr) -> Doc<'a> {
        let leading = self.leading(expr.span.start);
        let body = self.expr_kind(expr, true);
        concat_docs![leading, body]
    }

    /// The document of one expression. The tree's depth is bounded by the parser's limit;
    /// the stack grows on demand so that the limit, not the thread's stack, decides.
    fn expr_kind(&mut self, expr: &Expr, top: bool) -> Doc<'a> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.expr_kind_inner(expr, top))
    }

    fn expr_kind_inner(&mut self, expr: &Expr, top: bool) -> Doc<'a> {
        match &expr.kind {
            ExprKind::Int(_)
            | ExprKind::Float(_)
            | ExprKind::Str { .. }
            | ExprKind::Path(_)
            | ExprKind::SearchPath(_)
            | ExprKind::Var(_)
            | ExprKind::Error => self.verbatim(expr.span),
            ExprKind::List(items) => self.list(items, expr.span),
            ExprKind::AttrSet { rec, bindings } => self.attr_set(*rec, bindings, expr.span),
            ExprKind::Let { bindings, body } => self.let_in(bindings, body, expr.span),
            ExprKind::With { scope, body } => self.scoped("with", scope, body),
            ExprKind::Assert { cond, body } => self.scoped("assert", cond, body),
            ExprKind::If { .. } => Doc::group(self.if_else(expr)),
            ExprKind::Lambda { .. } => self.lambda(expr, top),
            ExprKind::Apply { .. } => self.application(expr),
            ExprKind::Select {
                expr: target,
                path,
                default,
            } => {
                // A `.` right after a path or an integer would be lexed as part of it
                // (`./a.b` is one path, `1.` a float): keep a space before the first one.
                let glues = matches!(target.kind, ExprKind::Path(_) | ExprKind::Int(_));
                let mut docs = vec![self.expr(target)];
                for (index, name) in path.iter().enumerate() {
                    docs.push(Doc::text(if index == 0 && glues { " ." } else { "." }));
                    docs.push(self.attr_name(name));
                }
                if let Some(default) = default {
                    docs.push(Doc::text(" or "));
                    docs.push(self.expr(default));
                }
                Doc::Concat(docs)
            }
            ExprKind::HasAttr { expr: target, path } => {
                let target = self.expr(target);
                let path = self.attr_path(path);
                concat_docs![target, Doc::text(" ? "), path]
            }
            ExprKind::Binary { .. } => self.binary_chain(expr),
            ExprKind::Annotated { expr: inner, ty } => {
                let inner = self.expr(inner);
                let ty = self.annotation(ty);
                concat_docs![Doc::text("("), inner, ty, Doc::text(")")]
            }
            ExprKind::Unary { op, expr: operand } => {
                let symbol = match op {
                    UnaryOp::Neg => "-",
                    UnaryOp::Not => "!",
                };
                // `- -x`: two minus signs in a row would still lex, but read badly. And `-`
                // glued to an operand that starts with a path character would make one path
                // of both (`- a/b` is not `-a/b`, `- --/x` not `---/x`).
                let space = *op == UnaryOp::Neg
                    && (matches!(
                        operand.kind,
                        ExprKind::Unary {
                            op: UnaryOp::Neg,
                            ..
                        }
                    ) || self.glues_to_minus(operand.span));
                let operand = self.expr(operand);
                concat_docs![
                    Doc::text(symbol),
                    Doc::text(if space { " " } else { "" }),
                    operand
                ]
            }
            ExprKind::Paren(inner) => self.paren(inner, expr.span),
        }
    }

    /// Whether the source at `span`, written right after a `-`, would lex as a path that
    /// takes the `-` in.
    fn glues_to_minus(&self, span: Span) -> bool {
        let text = self.slice(span);
        // `-` joins a path when the operand's leading run of path characters, with the `-`
        // in front, is followed by `/` and a path character or `${`: that run and the next
        // three bytes decide it, however long the path (a cut at 256 characters missed the
        // `/` of a longer one) and without copying the rest of the operand.
        let run = text
            .find(|c: char| !crate::syntax::lexer::is_path_char(c))
            .unwrap_or(text.len());
        let head: String = std::iter::once('-')
            .chain(text[..run].chars())
            .chain(text[run..].chars().take(3))
            .collect();
        crate::syntax::lexer::path_len(&head).is_some()
    }

    fn paren(&mut self, inner: &Expr, span: Span) -> Doc<'a> {
        let hug = self.absorbable(inner);
        let inner_doc = self.expr(inner);
        let trailing = self.trailing(inner.span.end);
        let dangling = self.dangling(span.end, inner.span.end);
        match dangling {
            Some(dangling) => concat_docs![
                Doc::text("("),
                Doc::indent(concat_docs![Doc::HardLine, inner_doc, trailing, dangling]),
                Doc::HardLine,
                Doc::text(")"),
            ],
            None if hug => concat_docs![Doc::text("("), inner_doc, trailing, Doc::text(")")],
            None => Doc::group(concat_docs![
                Doc::text("("),
                Doc::indent(concat_docs![Doc::SoftLine, inner_doc, trailing]),
                Doc::SoftLine,
                Doc::text(")"),
            ]),
        }
    }

    /// Whether `expr` can start on the line of what precedes it and break inside itself
    /// (`a = {` … `};`, `f x {` … `}`), instead of being moved to a line of its own.
    fn absorbable(&self, expr: &Expr) -> bool {
        match &expr.kind {
            ExprKind::AttrSet { .. } | ExprKind::List(_) => true,
            ExprKind::Str { .. } => self.slice(expr.span).contains('\n'),
            ExprKind::Paren(inner) => self.absorbable(inner),
            ExprKind::Lambda { .. } => true,
            ExprKind::Apply { arg, .. } => {
                matches!(arg.kind, ExprKind::Lambda { .. }) || self.absorbable(arg)
            }
            ExprKind::With { body, .. } => self.absorbable(body),
            _ => false,
        }
    }

    // ---- containers ----

    fn list(&mut self, items: &[Expr], span: Span) -> Doc<'a> {
        if items.is_empty() && !self.has_comment_before(span.end) {
            return Doc::text("[ ]");
        }
        // A line and the item each, often nothing else.
        let mut inner = Vec::with_capacity(2 * items.len() + 2);
        let mut previous_end = None;
        for item in items {
            inner.push(Doc::Line);
            if let Some(previous_end) = previous_end {
                if self.blank_line_between(previous_end, self.item_start(item.span.start)) {
                    inner.push(Doc::SoftLine);
                }
            }
            self.leading_block(item.span.start).append_to(&mut inner);
            inner.push(self.expr_kind(item, false));
            self.trailing(item.span.end).append_to(&mut inner);
            previous_end = Some(item.span.end);
        }
        let after = previous_end.unwrap_or(span.start + 1);
        if let Some(dangling) = self.dangling(span.end, after) {
            inner.push(dangling);
            inner.push(Doc::BreakParent);
        }
        Doc::group(concat_docs![
            Doc::text("["),
            Doc::indent(Doc::Concat(inner)),
            Doc::Line,
            Doc::text("]"),
        ])
    }

    /// Where an item's text starts, counting the comments before it.
    fn item_start(&self, start: u32) -> u32 {
        self.comments
            .get(self.next)
            .map_or(start, |comment| comment.span.start.min(start))
    }

    fn attr_set(&mut self, rec: bool, bindings: &[Binding], span: Span) -> Doc<'a> {
        let open = if rec { "rec {" } else { "{" };
        if bindings.is_empty() && !self.has_comment_before(span.end) {
            return Doc::text(if rec { "rec { }" } else { "{ }" });
        }
        let open_end = span.start + open.len() as u32;
        let (items, dangling) = self.bindings(bindings, open_end, span.end);
        if bindings.len() <= 1 && dangling.is_none() {
            return Doc::group(concat_docs![
                Doc::text(open),
                Doc::indent(concat_docs![Doc::Line, items]),
                Doc::Line,
                Doc::text("}"),
            ]);
        }
        concat_docs![
            Doc::text(open),
            Doc::indent(block(bindings.is_empty(), items, dangling)),
            Doc::HardLine,
            Doc::text("}"),
        ]
    }

    /// Bindings one per line (with their comments and the empty lines between them), and
    /// the comments after the last one, before `end`.
    fn bindings(
        &mut self,
        bindings: &[Binding],
        after: u32,
        end: u32,
    ) -> (Doc<'a>, Option<Doc<'a>>) {
        // A line break and the binding each, often nothing else.
        let mut docs = Vec::with_capacity(2 * bindings.len());
        let mut previous_end = None;
        for binding in bindings {
            if let Some(previous_end) = previous_end {
                docs.push(Doc::HardLine);
                if self.blank_line_between(previous_end, self.item_start(binding.span.start)) {
                    docs.push(Doc::HardLine);
                }
            }
            self.leading_block(binding.span.start).append_to(&mut docs);
            docs.push(self.binding(binding));
            self.trailing(binding.span.end).append_to(&mut docs);
            previous_end = Some(binding.span.end);
        }
        let dangling = self.dangling(end, previous_end.unwrap_or(after));
        (Doc::Concat(docs), dangling)
    }

    fn binding(&mut self, binding: &Binding) -> Doc<'a> {
        match &binding.kind {
            BindingKind::Attr { path, value } => {
                let path = self.attr_path(path);
                let path = match &binding.ty {
                    Some(ty) => {
                        let ty = self.annotation(ty);
                        concat_docs![path, ty]
                    }
                    None => path,
                };
                if self.absorbable(value) && !self.has_comment_before(value.span.start) {
                    let value = self.expr(value);
                    concat_docs![path, Doc::text(" = "), value, Doc::text(";")]
                } else {
                    let value = self.expr(value);
                    Doc::group(concat_docs![
                        path,
                        Doc::text(" ="),
                        Doc::indent(concat_docs![Doc::Line, value]),
                        Doc::text(";"),
                    ])
                }
            }
            BindingKind::Inherit { from, names } => {
                let mut inner = Vec::new();
                if let Some(from) = from {
                    inner.push(Doc::Line);
                    inner.push(Doc::text("("));
                    inner.push(self.expr(from));
                    inner.push(Doc::text(")"));
                }
                for name in names {
                    inner.push(Doc::Line);
                    inner.push(self.attr_name(name));
                }
                Doc::group(concat_docs![
                    Doc::text("inherit"),
                    Doc::indent(Doc::Concat(inner)),
                    Doc::text(";"),
                ])
            }
            BindingKind::TypeDecl { name_span, ty, .. } => {
                // Comments between `type`, the name and `=` stay where they were.
                let before_name = self.leading(name_span.start);
                let name = self.verbatim(*name_span);
                let before_ty = self.leading(ty.span.start);
                let ty = self.type_doc(ty);
                concat_docs![
                    Doc::text("type "),
                    before_name,
                    name,
                    Doc::text(" = "),
                    before_ty,
                    ty,
                    Doc::text(";")
                ]
            }
        }
    }

    fn attr_path(&mut self, path: &[AttrName]) -> Doc<'a> {
        if let [name] = path {
            return self.attr_name(name);
        }
        let mut docs = Vec::with_capacity(2 * path.len());
        for (index, name) in path.iter().enumerate() {
            if index > 0 {
                docs.push(Doc::text("."));
            }
            docs.push(self.attr_name(name));
        }
        Doc::Concat(docs)
    }

    fn attr_name(&mut self, name: &AttrName) -> Doc<'a> {
        let leading = self.leading(name.span.start);
        let name = self.verbatim(name.span);
        concat_docs![leading, name]
    }

    // ---- keyword forms ----

    fn let_in(&mut self, bindings: &[Binding], body: &Expr, span: Span) -> Doc<'a> {
        let (items, dangling) = self.bindings(bindings, span.start + 3, body.span.start);
        let body = self.expr(body);
        let block = if bindings.is_empty() && dangling.is_none() {
            Doc::nil()
        } else {
            Doc::indent(block(bindings.is_empty(), items, dangling))
        };
        concat_docs![
            Doc::text("let"),
            block,
            Doc::HardLine,
            Doc::text("in"),
            Doc::HardLine,
            body,
        ]
    }

    /// `with scope; body` and `assert cond; body`.
    fn scoped(&mut self, keyword: &'static str, head: &Expr, body: &Expr) -> Doc<'a> {
        let head = self.expr(head);
        let hug =
            keyword == "with" && self.absorbable(body) && !self.has_comment_before(body.span.start);
        let body = self.expr(body);
        let head = concat_docs![Doc::text(keyword), Doc::text(" "), head, Doc::text(";")];
        if hug {
            concat_docs![head, Doc::text(" "), body]
        } else {
            Doc::group(concat_docs![head, Doc::Line, body])
        }
    }

    /// `if … then … else …`, with `else if` chains kept flat.
    fn if_else(&mut self, expr: &Expr) -> Doc<'a> {
        let ExprKind::If { cond, then_, else_ } = &expr.kind else {
            return self.expr(expr);
        };
        let cond = self.expr(cond);
        let then_ = self.expr(then_);
        let head = Doc::group(concat_docs![
            Doc::text("if"),
            Doc::indent(concat_docs![Doc::Line, cond]),
            Doc::Line,
            Doc::text("then"),
        ]);
        let else_doc = if matches!(else_.kind, ExprKind::If { .. })
            && !self.has_comment_before(else_.span.start)
        {
            concat_docs![Doc::text(" "), self.if_else(else_)]
        } else {
            Doc::indent(concat_docs![Doc::Line, self.expr(else_)])
        };
        concat_docs![
            head,
            Doc::indent(concat_docs![Doc::Line, then_]),
            Doc::Line,
            Doc::text("else"),
            else_doc,
        ]
    }

    fn lambda(&mut self, expr: &Expr, top: bool) -> Doc<'a> {
        let mut heads = Vec::new();
        let mut body = expr;
        while let ExprKind::Lambda { param, body: next } = &body.kind {
            if !heads.is_empty() {
                heads.push(Doc::text(" "));
                self.leading(param_span(param).start).append_to(&mut heads);
            }
            heads.push(self.param(param));
            heads.push(Doc::text(":"));
            body = next;
            if self.has_comment_before(body.span.start) {
                break;
            }
        }
        let heads = Doc::Concat(heads);
        if self.absorbable(body) && !matches!(body.kind, ExprKind::Lambda { .. }) && !top {
            let body = self.expr(body);
            return concat_docs![heads, Doc::text(" "), body];
        }
        let body = self.expr(body);
        if top {
            Doc::group(concat_docs![heads, Doc::Line, body])
        } else {
            Doc::group(concat_docs![
                heads,
                Doc::indent(concat_docs![Doc::Line, body])
            ])
        }
    }

    fn param(&mut self, param: &Param) -> Doc<'a> {
        match param {
            Param::Ident { span, ty: None, .. } => self.verbatim(*span),
            Param::Ident {
                span, ty: Some(ty), ..
            } => {
                let name = self.verbatim(*span);
                let ty = self.annotation(ty);
                concat_docs![Doc::text("("), name, ty, Doc::text(")")]
            }
            Param::Pattern {
                fields,
                ellipsis,
                bind,
                span,
            } => {
                let pattern = self.pattern(fields, *ellipsis, *span);
                match bind {
                    Some((_, bind_span)) if bind_span.start < span.start => {
                        let name = self.verbatim(*bind_span);
                        concat_docs![name, Doc::text("@"), pattern]
                    }
                    Some((_, bind_span)) => {
                        let name = self.verbatim(*bind_span);
                        concat_docs![pattern, Doc::text("@"), name]
                    }
                    None => pattern,
                }
            }
        }
    }

    fn pattern(&mut self, fields: &[PatField], ellipsis: bool, span: Span) -> Doc<'a> {
        let list = BraceList {
            open: ellipsis,
            span,
            keep_blank_lines: false,
        };
        self.brace_list(
            fields,
            list,
            |field| field.span.start,
            |printer, field, inner| {
                inner.push(printer.verbatim(field.span));
                if let Some(ty) = &field.ty {
                    inner.push(printer.annotation(ty));
                }
                if let Some(default) = &field.default {
                    inner.push(Doc::text(" ? "));
                    inner.push(printer.expr(default));
                }
                field.default.as_ref().map_or(
                    field.ty.as_ref().map_or(field.span.end, |ty| ty.span.end),
                    |d| d.span.end,
                )
            },
        )
    }

    /// `{ a, b, ... }`, one item per line when it does not fit: each item after its leading
    /// comments and before its trailing one, a comma after every item but the last (there
    /// only when broken), `...` last when `list.open`, and the comments left before `}`.
    /// `item` prints one item (`start` says where it begins) and returns where it ends.
    pub(super) fn brace_list<T>(
        &mut self,
        items: &[T],
        list: BraceList,
        start: impl Fn(&T) -> u32,
        mut item: impl FnMut(&mut Self, &T, &mut Vec<Doc<'a>>) -> u32,
    ) -> Doc<'a> {
        let BraceList {
            open,
            span,
            keep_blank_lines,
        } = list;
        if items.is_empty() && !self.has_comment_before(span.end) {
            return Doc::text(if open { "{ ... }" } else { "{ }" });
        }
        let mut inner = Vec::new();
        let mut previous_end = None;
        for (index, each) in items.iter().enumerate() {
            let item_start = start(each);
            inner.push(Doc::Line);
            if keep_blank_lines
                && previous_end.is_some_and(|end| self.blank_line_between(end, item_start))
            {
                inner.push(Doc::HardLine);
            }
            self.leading_block(item_start).append_to(&mut inner);
            let end = item(self, each, &mut inner);
            let last = index + 1 == items.len() && !open;
            inner.push(if last {
                Doc::if_break(Doc::text(","), Doc::nil())
            } else {
                Doc::text(",")
            });
            self.trailing(end).append_to(&mut inner);
            previous_end = Some(end);
        }
        if open {
            inner.push(Doc::Line);
            self.leading(span.end).append_to(&mut inner);
            inner.push(Doc::text("..."));
        }
        if let Some(dangling) = self.dangling(span.end, span.start) {
            inner.push(dangling);
            inner.push(Doc::BreakParent);
        }
        Doc::group(concat_docs![
            Doc::text("{"),
            Doc::indent(Doc::Concat(inner)),
            Doc::Line,
            Doc::text("}"),
        ])
    }

    fn application(&mut self, expr: &Expr) -> Doc<'a> {
        let mut args = Vec::new();
        let mut func = expr;
        while let ExprKind::Apply { func: next, arg } = &func.kind {
            args.push(arg.as_ref());
            func = next;
        }
        args.reverse();
        let func_doc = self.expr(func);
        let hug_last = args.last().is_some_and(|last| {
            self.absorbable(last) || matches!(last.kind, ExprKind::Lambda { .. })
        });
        let mut inner = Vec::new();
        let count = args.len();
        let mut last_doc = None;
        for (index, arg) in args.into_iter().enumerate() {
            if hug_last && index + 1 == count {
                let leading = self.leading(arg.span.start);
                let body = self.expr_kind(arg, false);
                last_doc = Some(concat_docs![leading, body]);
            } else {
                inner.push(Doc::Line);
                inner.push(self.expr(arg));
            }
        }
        let head = Doc::group(concat_docs![func_doc, Doc::indent(Doc::Concat(inner))]);
        match last_doc {
            Some(last) => concat_docs![head, Doc::text(" "), last],
            None => head,
        }
    }

    /// A chain of operators of one precedence, one operand per line when it does not fit,
    /// with the operator at the start of the line.
    fn binary_chain(&mut self, expr: &Expr) -> Doc<'a> {
        let mut operands = Vec::new();
        let mut ops = Vec::new();
        flatten_chain(expr, &mut operands, &mut ops);
        let first = self.expr(operands[0]);
        if operands.len() == 2
            && self.absorbable(operands[1])
            && !self.has_comment_before(operands[1].span.start)
        {
            let second = self.expr(operands[1]);
            return concat_docs![
                first,
                Doc::text(" "),
                Doc::text(ops[0].symbol()),
                Doc::text(" "),
                second
            ];
        }
        let mut docs = vec![first];
        for (op, operand) in ops.iter().zip(&operands[1..]) {
            docs.push(Doc::Line);
            docs.push(Doc::text(op.symbol()));
            docs.push(Doc::text(" "));
            docs.push(self.expr(operand));
        }
        Doc::group(Doc::Concat(docs))
    }
}

/// The inside of a `{ }` or `let`: the bindings, then the comments after them, each on a
/// line of its own.
fn block<'a>(empty: bool, items: Doc<'a>, dangling: Option<Doc<'a>>) -> Doc<'a> {
    let dangling = dangling.unwrap_or_else(Doc::nil);
    if empty {
        dangling
    } else {
        concat_docs![Doc::HardLine, items, dangling]
    }
}

fn param_span(param: &Param) -> Span {
    match param {
        Param::Ident { span, .. } => *span,
        Param::Pattern { span, bind, .. } => match bind {
            Some((_, bind_span)) => span.cover(*bind_span),
            None => *span,
        },
    }
}

/// Precedence class of an operator, for flattening chains (`a + b - c` is one chain).
fn chain_class(op: BinaryOp) -> u8 {
    match op {
        BinaryOp::Add | BinaryOp::Sub => 1,
        BinaryOp::Mul | BinaryOp::Div => 2,
        BinaryOp::And => 3,
        BinaryOp::Or => 4,
        BinaryOp::Concat => 5,
        BinaryOp::Update => 6,
        BinaryOp::Implies => 7,
        _ => 0,
    }
}

fn is_right_assoc(op: BinaryOp) -> bool {
    matches!(op, BinaryOp::Concat | BinaryOp::Update | BinaryOp::Implies)
}

/// Collects the operands and operators of a chain of one precedence class, in source order,
/// following the tree down on its associative side only (so the tree is rebuilt the same).
fn flatten_chain<'e>(expr: &'e Expr, operands: &mut Vec<&'e Expr>, ops: &mut Vec<BinaryOp>) {
    let ExprKind::Binary { op, lhs, rhs, .. } = &expr.kind else {
        operands.push(expr);
        return;
    };
    let class = chain_class(*op);
    let same = |e: &Expr| {
        class != 0
            && matches!(&e.kind, ExprKind::Binary { op: inner, .. } if chain_class(*inner) == class)
    };
    // Iterative on the long side, so a long chain does not recurse deeply.
    if is_right_assoc(*op) {
        operands.push(lhs);
        ops.push(*op);
        let mut rest: &Expr = rhs;
        while same(rest) {
            let ExprKind::Binary { op, lhs, rhs, .. } = &rest.kind else {
                break;
            };
            operands.push(lhs);
            ops.push(*op);
            rest = rhs;
        }
        operands.push(rest);
    } else {
        let mut spine = vec![(*op, rhs.as_ref())];
        let mut left: &Expr = lhs;
        while same(left) {
            let ExprKind::Binary { op, lhs, rhs, .. } = &left.kind else {
                break;
            };
            spine.push((*op, rhs));
            left = lhs;
        }
        operands.push(left);
        for (op, rhs) in spine.into_iter().rev() {
            ops.push(op);
            operands.push(rhs);
        }
    }
}

/// How [`Printer::brace_list`] lays out a `{ ... }` list.
pub(super) struct BraceList {
    /// The list ends with `...`.
    pub open: bool,
    /// The whole `{ ... }`.
    pub span: Span,
    /// An empty line between two items stays (record types, like attribute sets).
    pub keep_blank_lines: bool,
}
