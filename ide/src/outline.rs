//! The outline of a file (nested bindings of sets and `let`s, with what kind of value each
//! is) and the regions an editor can fold (sets, lists, `let` bindings, multi-line strings,
//! runs of comments), as byte spans.

use mlc::syntax::{
    AttrName, AttrNameKind, Binding, BindingKind, Comment, CommentKind, Expr, ExprKind,
};

use super::tree::for_each_expr;

/// Deeper sets than this are left out of the outline (and the walk stays bounded).
const MAX_DEPTH: usize = 64;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutlineItem {
    /// The binding's name as written (`a.b.c` for a nested path).
    pub name: String,
    pub kind: ItemKind,
    /// The whole binding.
    pub span: mlc::syntax::Span,
    /// The name.
    pub name_span: mlc::syntax::Span,
    pub children: Vec<OutlineItem>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    /// A `let` binding.
    Variable,
    /// A binding whose value is a function.
    Function,
    /// An attribute whose value is a set.
    Set,
    /// Any other attribute.
    Attribute,
    /// `type Name = ...;`
    Type,
}

/// The outline of the file whose tree is `root`.
pub fn outline(root: &Expr) -> Vec<OutlineItem> {
    items(root, 0)
}

fn items(expr: &Expr, depth: usize) -> Vec<OutlineItem> {
    if depth > MAX_DEPTH {
        return Vec::new();
    }
    match &expr.kind {
        ExprKind::AttrSet { bindings, .. } => bindings
            .iter()
            .flat_map(|b| binding_items(b, false, depth))
            .collect(),
        ExprKind::Let { bindings, body } => {
            let mut out: Vec<_> = bindings
                .iter()
                .flat_map(|b| binding_items(b, true, depth))
                .collect();
            out.extend(items(body, depth + 1));
            out
        }
        ExprKind::Paren(inner)
        | ExprKind::With { body: inner, .. }
        | ExprKind::Assert { body: inner, .. }
        | ExprKind::Lambda { body: inner, .. } => items(inner, depth + 1),
        // `mlflow.deployment { ... }`: the argument's attributes are the configuration.
        ExprKind::Apply { arg, .. } => items(arg, depth + 1),
        _ => Vec::new(),
    }
}

fn binding_items(binding: &Binding, in_let: bool, depth: usize) -> Vec<OutlineItem> {
    match &binding.kind {
        BindingKind::Attr { path, value } => {
            let (Some(first), Some(last)) = (path.first(), path.last()) else {
                return Vec::new();
            };
            let name: Vec<String> = path.iter().map(written_name).collect();
            let kind = match strip(value).kind {
                ExprKind::Lambda { .. } => ItemKind::Function,
                _ if in_let => ItemKind::Variable,
                ExprKind::AttrSet { .. } => ItemKind::Set,
                _ => ItemKind::Attribute,
            };
            vec![OutlineItem {
                name: name.join("."),
                kind,
                span: binding.span,
                name_span: first.span.cover(last.span),
                children: items(value, depth + 1),
            }]
        }
        BindingKind::Inherit { names, .. } => names
            .iter()
            .map(|name| OutlineItem {
                name: written_name(name),
                kind: if in_let {
                    ItemKind::Variable
                } else {
                    ItemKind::Attribute
                },
                span: binding.span,
                name_span: name.span,
                children: Vec::new(),
            })
            .collect(),
        BindingKind::TypeDecl {
            name, name_span, ..
        } => vec![OutlineItem {
            name: name.to_string(),
            kind: ItemKind::Type,
            span: binding.span,
            name_span: *name_span,
            children: Vec::new(),
        }],
    }
}

fn strip(mut expr: &Expr) -> &Expr {
    while let ExprKind::Paren(inner) = &expr.kind {
        expr = inner;
    }
    expr
}

fn written_name(name: &AttrName) -> String {
    match &name.kind {
        AttrNameKind::Static(text) => text.to_string(),
        AttrNameKind::Dynamic(_) => "${…}".to_string(),
    }
}

/// A region an editor can fold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fold {
    pub span: mlc::syntax::Span,
    pub kind: FoldKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FoldKind {
    /// Code: a set, list, `let` bindings or a string.
    Region,
    Comment,
}

/// The foldable regions of a file (the handler keeps those that span several lines).
pub fn folds(root: &Expr, comments: &[Comment], text: &str) -> Vec<Fold> {
    let mut out = Vec::new();
    for_each_expr(root, &mut |expr| {
        let span = match &expr.kind {
            ExprKind::AttrSet { .. } | ExprKind::List(_) | ExprKind::Str { .. } => Some(expr.span),
            // From `let` to `in`: the bindings fold, the body stays.
            ExprKind::Let { body, .. } => {
                let before_body = text.get(..body.span.start as usize).unwrap_or_default();
                let in_at = before_body.trim_end().len().saturating_sub(2);
                Some(mlc::syntax::Span::new(
                    expr.span.start as usize,
                    in_at.max(expr.span.start as usize),
                ))
            }
            _ => None,
        };
        if let Some(span) = span {
            out.push(Fold {
                span,
                kind: FoldKind::Region,
            });
        }
    });
    // Runs of line comments on consecutive lines fold together; block comments alone.
    let mut run: Option<mlc::syntax::Span> = None;
    for comment in comments {
        match comment.kind {
            CommentKind::Block => out.push(Fold {
                span: comment.span,
                kind: FoldKind::Comment,
            }),
            CommentKind::Line => {
                let joins = run.is_some_and(|r| {
                    text.get(r.end as usize..comment.span.start as usize)
                        .is_some_and(|gap| gap.trim().is_empty() && gap.matches('\n').count() <= 1)
                });
                run = match run {
                    Some(r) if joins => Some(r.cover(comment.span)),
                    Some(r) => {
                        out.push(Fold {
                            span: r,
                            kind: FoldKind::Comment,
                        });
                        Some(comment.span)
                    }
                    None => Some(comment.span),
                };
            }
        }
    }
    if let Some(r) = run {
        out.push(Fold {
            span: r,
            kind: FoldKind::Comment,
        });
    }
    out.sort_by_key(|f| (f.span.start, f.span.end));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use mlc::syntax::parse;

    fn render(items: &[OutlineItem], depth: usize, out: &mut String) {
        for item in items {
            out.push_str(&format!(
                "{}{} {:?}\n",
                "  ".repeat(depth),
                item.name,
                item.kind
            ));
            render(&item.children, depth + 1, out);
        }
    }

    #[test]
    fn outline_of_lets_sets_and_calls() {
        let source = "let\n  port = 80;\n  mk = x: { inherit x; };\nin\nmlflow.deployment {\n  server.tls = { enabled = true; };\n  name = \"a\";\n}";
        let parse = parse(source);
        let mut out = String::new();
        render(&outline(&parse.root), 0, &mut out);
        assert_eq!(
            out,
            "port Variable\nmk Function\n  x Attribute\nserver.tls Set\n  enabled Attribute\nname Attribute\n"
        );
    }

    #[test]
    fn folds_sets_lists_lets_strings_and_comment_runs() {
        let source = "# a\n# b\n\n# c\nlet\n  x = [\n    1\n  ];\nin ''\n  s\n''";
        let parse = parse(source);
        let folds = folds(&parse.root, &parse.comments, source);
        let texts: Vec<(&str, FoldKind)> = folds
            .iter()
            .map(|f| (&source[f.span.range()], f.kind))
            .collect();
        assert_eq!(
            texts,
            [
                ("# a\n# b", FoldKind::Comment),
                ("# c", FoldKind::Comment),
                ("let\n  x = [\n    1\n  ];\n", FoldKind::Region),
                ("[\n    1\n  ]", FoldKind::Region),
                ("''\n  s\n''", FoldKind::Region),
            ]
        );
    }
}
