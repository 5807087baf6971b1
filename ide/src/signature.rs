//! Signature help in applications: the parameters of the function being applied and which
//! one the cursor is at. Builtins give their documented signature (`builtins.substring 0 |`
//! shows `substring start length s`); a function the source shows (a `let` binding, an
//! attribute of an imported file or of the standard library, such as `mlflow.deployment`)
//! gives its lambdas' parameters as written, patterns included (`{ a, b ? 1 }`).

use mlc::builtins;
use mlc::db::{parse, Db, SourceFile};
use mlc::syntax::walk::strip_parens;
use mlc::syntax::{BindingKind, Expr, ExprKind, Param, Span};

use super::navigation::{at_cursor, definition};
use super::tree::{ancestors_at, expr_at, for_each_expr};

/// A signature: its label, each parameter's byte range in the label, the active one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    pub label: String,
    pub parameters: Vec<(u32, u32)>,
    pub active: u32,
    pub documentation: Option<String>,
}

pub fn signature_help(db: &dyn Db, file: SourceFile, offset: u32) -> Option<Signature> {
    let text = file.source_text(db);
    let root = &parse(db, file).root;
    // A cursor after the last argument and some spaces is still in the application.
    let trimmed = text
        .get(..offset as usize)
        .map_or(offset, |before| before.trim_end().len() as u32);
    let chain = ancestors_at(root, trimmed.max(1) - 1);
    let position = chain
        .iter()
        .rposition(|expr| matches!(expr.kind, ExprKind::Apply { .. }))?;
    // Up to the whole application `f a b c`: parents whose function is the child.
    let mut top = position;
    while top > 0 {
        match &chain[top - 1].kind {
            ExprKind::Apply { func, .. } if func.span == chain[top].span => top -= 1,
            _ => break,
        }
    }
    let mut args = Vec::new();
    let mut head = chain[top];
    while let ExprKind::Apply { func, arg } = &head.kind {
        args.push(arg.as_ref());
        head = func;
    }
    args.reverse();
    let active = args
        .iter()
        .take_while(|arg| arg.span.end < offset && !arg.span.contains(offset))
        .count() as u32;
    let (name, params, documentation) = describe(db, file, head)?;
    let mut label = name;
    let mut parameters = Vec::new();
    for param in params {
        label.push(' ');
        let start = label.len() as u32;
        label.push_str(&param);
        parameters.push((start, label.len() as u32));
    }
    Some(Signature {
        label,
        parameters,
        active,
        documentation,
    })
}

/// The function's name, its parameters as written, and its documentation.
fn describe(
    db: &dyn Db,
    file: SourceFile,
    head: &Expr,
) -> Option<(String, Vec<String>, Option<String>)> {
    let head = strip_parens(head);
    let name_span = match &head.kind {
        ExprKind::Var(_) => head.span,
        ExprKind::Select { path, .. } => path.last()?.span,
        _ => return None,
    };
    let text = file.source_text(db);
    let name = text.get(name_span.range())?.to_string();
    let is_builtin = match &head.kind {
        ExprKind::Select { expr, .. } => {
            matches!(&strip_parens(expr).kind, ExprKind::Var(v) if &**v == "builtins")
        }
        _ => false,
    };
    let cursor = at_cursor(db, file, name_span.start);
    let global = cursor
        .as_ref()
        .is_some_and(|c| matches!(c.target, super::navigation::Target::Global(_)));
    if is_builtin || global {
        let (signature, doc) = builtins::doc(&name)?;
        let mut words = signature.split_whitespace();
        let name = words.next()?.to_string();
        return Some((
            name,
            words.map(str::to_string).collect(),
            Some(doc.to_string()),
        ));
    }
    let cursor = cursor?;
    let site = definition(db, file, &cursor.target).into_iter().next()?;
    let lambda = value_defined_at(db, site.file, site.span)?;
    Some((name, parameters(&site.file.source_text(db), lambda), None))
}

/// The value of the binding whose name is written at `name` in `file`.
fn value_defined_at(db: &dyn Db, file: SourceFile, name: Span) -> Option<&Expr> {
    let root = &parse(db, file).root;
    let mut found = None;
    for_each_expr(root, &mut |expr| {
        if let ExprKind::AttrSet { bindings, .. } | ExprKind::Let { bindings, .. } = &expr.kind {
            for binding in bindings {
                if let BindingKind::Attr { path, value } = &binding.kind {
                    if found.is_none() && path.last().is_some_and(|n| n.span == name) {
                        found = Some(value.span);
                    }
                }
            }
        }
    });
    expr_at(root, found?)
}

/// The parameters of nested lambdas as written: `x`, `(values :: Options)`, `{ a, b ? 1 }`.
fn parameters(text: &str, mut expr: &Expr) -> Vec<String> {
    let mut out = Vec::new();
    while let ExprKind::Lambda { param, body } = &strip_parens(expr).kind {
        let written = match &**param {
            Param::Ident { span, ty, .. } => {
                let end = ty.as_ref().map_or(span.end, |ty| ty.span.end);
                text.get(span.start as usize..end as usize)
                    .map(|s| s.to_string())
            }
            Param::Pattern { span, bind, .. } => {
                let pattern = text.get(span.range()).map(one_line);
                match (pattern, bind) {
                    (Some(pattern), Some((name, _))) => Some(format!("{pattern}@{name}")),
                    (pattern, _) => pattern,
                }
            }
        };
        out.extend(written);
        expr = body;
    }
    out
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::single;

    fn help(text: &str) -> Option<(String, String)> {
        let f = single(text);
        let sig = signature_help(&f.db, f.file, f.offset)?;
        let (start, end) = *sig.parameters.get(sig.active as usize)?;
        Some((
            sig.label.clone(),
            sig.label[start as usize..end as usize].to_string(),
        ))
    }

    #[test]
    fn builtins_lambdas_and_patterns() {
        assert_eq!(
            help("builtins.substring 0 $0"),
            Some(("substring start length s".into(), "length".into()))
        );
        assert_eq!(
            help("let f = { a, b ? 1 }: a; in f { $0 }"),
            Some(("f { a, b ? 1 }".into(), "{ a, b ? 1 }".into()))
        );
        assert_eq!(
            help("let g = x: y: x; in g 1 $0"),
            Some(("g x y".into(), "y".into()))
        );
    }

    #[test]
    fn mlflow_deployment_shows_its_options_parameter() {
        let got = help("let mlflow = import <mlflow>; in mlflow.deployment { $0 }");
        let (label, active) = got.unwrap_or_default();
        assert!(label.starts_with("deployment "), "{label}");
        assert!(active.contains("Options"), "{active}");
    }
}
