//! A compact, readable S-expression rendering of a syntax tree, for snapshot tests and
//! debugging (`(select (var a) [b c])@0..5`).

use super::ast::*;
use std::fmt::Write;

/// Renders `expr` with one node per line, indented by depth, spans after each node.
pub fn dump(expr: &Expr) -> String {
    let mut out = String::new();
    write_expr(&mut out, expr, 0);
    out
}

fn line(out: &mut String, depth: usize, text: &str, span: Span) {
    let _ = writeln!(out, "{:indent$}{text} @{span:?}", "", indent = depth * 2);
}

fn write_expr(out: &mut String, expr: &Expr, depth: usize) {
    let span = expr.span;
    match &expr.kind {
        ExprKind::Int(value) => line(out, depth, &format!("int {value}"), span),
        ExprKind::Float(value) => line(out, depth, &format!("float {value:?}"), span),
        ExprKind::Str { parts, indented } => {
            let kind = if *indented {
                "indented-string"
            } else {
                "string"
            };
            line(out, depth, kind, span);
            write_parts(out, parts, depth + 1);
        }
        ExprKind::Path(parts) => {
            line(out, depth, "path", span);
            write_parts(out, parts, depth + 1);
        }
        ExprKind::SearchPath(name) => line(out, depth, &format!("search-path <{name}>"), span),
        ExprKind::Var(name) => line(out, depth, &format!("var {name}"), span),
        ExprKind::List(items) => {
            line(out, depth, "list", span);
            for item in items {
                write_expr(out, item, depth + 1);
            }
        }
        ExprKind::AttrSet { rec, bindings } => {
            line(out, depth, if *rec { "rec-attrs" } else { "attrs" }, span);
            write_bindings(out, bindings, depth + 1);
        }
        ExprKind::Let { bindings, body } => {
            line(out, depth, "let", span);
            write_bindings(out, bindings, depth + 1);
            line(out, depth + 1, "in", body.span);
            write_expr(out, body, depth + 2);
        }
        ExprKind::With { scope, body } => {
            line(out, depth, "with", span);
            write_expr(out, scope, depth + 1);
            write_expr(out, body, depth + 1);
        }
        ExprKind::If { cond, then_, else_ } => {
            line(out, depth, "if", span);
            write_expr(out, cond, depth + 1);
            write_expr(out, then_, depth + 1);
            write_expr(out, else_, depth + 1);
        }
        ExprKind::Assert { cond, body } => {
            line(out, depth, "assert", span);
            write_expr(out, cond, depth + 1);
            write_expr(out, body, depth + 1);
        }
        ExprKind::Lambda { param, body } => {
            line(out, depth, &format!("lambda {}", param_text(param)), span);
            if let Param::Pattern { fields, .. } = &**param {
                for field in fields.iter().filter(|f| f.default.is_some()) {
                    line(
                        out,
                        depth + 1,
                        &format!("default {}", field.name),
                        field.span,
                    );
                    if let Some(default) = &field.default {
                        write_expr(out, default, depth + 2);
                    }
                }
            }
            write_expr(out, body, depth + 1);
        }
        ExprKind::Apply { func, arg } => {
            line(out, depth, "apply", span);
            write_expr(out, func, depth + 1);
            write_expr(out, arg, depth + 1);
        }
        ExprKind::Select {
            expr: target,
            path,
            default,
        } => {
            line(out, depth, &format!("select {}", path_text(path)), span);
            write_expr(out, target, depth + 1);
            write_dynamic_names(out, path, depth + 1);
            if let Some(default) = default {
                line(out, depth + 1, "or", default.span);
                write_expr(out, default, depth + 2);
            }
        }
        ExprKind::HasAttr { expr: target, path } => {
            line(out, depth, &format!("has-attr {}", path_text(path)), span);
            write_expr(out, target, depth + 1);
            write_dynamic_names(out, path, depth + 1);
        }
        ExprKind::Binary { op, lhs, rhs, .. } => {
            line(out, depth, &format!("binary {}", op.symbol()), span);
            write_expr(out, lhs, depth + 1);
            write_expr(out, rhs, depth + 1);
        }
        ExprKind::Unary { op, expr: operand } => {
            let symbol = match op {
                UnaryOp::Neg => "-",
                UnaryOp::Not => "!",
            };
            line(out, depth, &format!("unary {symbol}"), span);
            write_expr(out, operand, depth + 1);
        }
        ExprKind::Paren(inner) => {
            line(out, depth, "paren", span);
            write_expr(out, inner, depth + 1);
        }
        ExprKind::Annotated { expr: inner, ty } => {
            line(out, depth, &format!("annotated :: {ty}"), span);
            write_expr(out, inner, depth + 1);
        }
        ExprKind::Error => line(out, depth, "error", span),
    }
}

fn write_parts(out: &mut String, parts: &[StrPart], depth: usize) {
    for part in parts {
        match part {
            StrPart::Lit(text) => {
                let _ = writeln!(out, "{:indent$}{text:?}", "", indent = depth * 2);
            }
            StrPart::Interp(expr) => write_expr(out, expr, depth),
        }
    }
}

fn write_bindings(out: &mut String, bindings: &[Binding], depth: usize) {
    for binding in bindings {
        match &binding.kind {
            BindingKind::Attr { path, value } => {
                let annotation = binding
                    .ty
                    .as_ref()
                    .map(|ty| format!(" :: {ty}"))
                    .unwrap_or_default();
                line(
                    out,
                    depth,
                    &format!("bind {}{annotation}", path_text(path)),
                    binding.span,
                );
                if let Some(doc) = &binding.doc {
                    line(out, depth + 1, &format!("doc {doc:?}"), binding.span);
                }
                write_dynamic_names(out, path, depth + 1);
                write_expr(out, value, depth + 1);
            }
            BindingKind::Inherit { from, names } => {
                line(
                    out,
                    depth,
                    &format!("inherit {}", path_text(names)),
                    binding.span,
                );
                if let Some(from) = from {
                    write_expr(out, from, depth + 1);
                }
            }
            BindingKind::TypeDecl { name, ty, .. } => {
                line(out, depth, &format!("type {name} = {ty}"), binding.span);
                if let Some(doc) = &binding.doc {
                    line(out, depth + 1, &format!("doc {doc:?}"), binding.span);
                }
                write_type_details(out, ty, depth + 1);
            }
        }
    }
}

fn write_dynamic_names(out: &mut String, path: &[AttrName], depth: usize) {
    for name in path {
        if let AttrNameKind::Dynamic(expr) = &name.kind {
            write_expr(out, expr, depth);
        }
    }
}

fn path_text(path: &[AttrName]) -> String {
    path.iter()
        .map(|name| match &name.kind {
            AttrNameKind::Static(text) => text.to_string(),
            AttrNameKind::Dynamic(_) => "${..}".to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

fn param_text(param: &Param) -> String {
    match param {
        Param::Ident { name, ty: None, .. } => name.to_string(),
        Param::Ident {
            name, ty: Some(ty), ..
        } => format!("({name} :: {ty})"),
        Param::Pattern {
            fields,
            ellipsis,
            bind,
            ..
        } => {
            let mut names: Vec<String> = fields
                .iter()
                .map(|f| {
                    let ty =
                        f.ty.as_ref()
                            .map(|ty| format!(" :: {ty}"))
                            .unwrap_or_default();
                    let default = if f.default.is_some() { "?" } else { "" };
                    format!("{}{ty}{default}", f.name)
                })
                .collect();
            if *ellipsis {
                names.push("...".to_string());
            }
            let pattern = format!("{{ {} }}", names.join(", "));
            match bind {
                Some((name, _)) => format!("{name}@{pattern}"),
                None => pattern,
            }
        }
    }
}

/// The doc comments and defaults inside a type, which its one-line text leaves out.
fn write_type_details(out: &mut String, ty: &TypeExpr, depth: usize) {
    match &ty.kind {
        TypeExprKind::Record { fields, .. } => {
            for field in fields {
                if let Some(doc) = &field.doc {
                    line(
                        out,
                        depth,
                        &format!("doc {} {doc:?}", field.name),
                        field.span,
                    );
                }
                if let Some(default) = &field.default {
                    line(out, depth, &format!("default {}", field.name), field.span);
                    write_expr(out, default, depth + 1);
                }
                write_type_details(out, &field.ty, depth);
            }
        }
        TypeExprKind::Union(members) => {
            for member in members {
                write_type_details(out, member, depth);
            }
        }
        TypeExprKind::Optional(inner)
        | TypeExprKind::List(inner)
        | TypeExprKind::Map(inner)
        | TypeExprKind::Paren(inner) => write_type_details(out, inner, depth),
        TypeExprKind::Function(from, to) => {
            write_type_details(out, from, depth);
            write_type_details(out, to, depth);
        }
        TypeExprKind::Refined { base, .. } => write_type_details(out, base, depth),
        TypeExprKind::Name(_) | TypeExprKind::Literal(_) | TypeExprKind::Error => {}
    }
}
