//! The direct sub-expressions of an expression, in source order: the one place that knows
//! where expressions hide inside every node kind (string interpolations, dynamic attribute
//! names, binding values, `inherit (from)`, pattern defaults), so analyses that only care
//! about some node kinds match those and hand every other node to [`for_each_child`].

use super::ast::{
    AttrName, AttrNameKind, Binding, BindingKind, Expr, ExprKind, Param, StrPart, TypeExpr,
    TypeExprKind,
};

/// Calls `f` on every direct sub-expression of `expr`, in source order.
pub fn for_each_child<'a>(expr: &'a Expr, f: &mut impl FnMut(&'a Expr)) {
    match &expr.kind {
        ExprKind::Int(_)
        | ExprKind::Float(_)
        | ExprKind::SearchPath(_)
        | ExprKind::Var(_)
        | ExprKind::Error => {}
        ExprKind::Str { parts, .. } | ExprKind::Path(parts) => str_parts(parts, f),
        ExprKind::List(items) => items.iter().for_each(f),
        ExprKind::AttrSet { bindings: b, .. } => bindings(b, f),
        ExprKind::Let { bindings: b, body } => {
            bindings(b, f);
            f(body);
        }
        ExprKind::With { scope, body } => {
            f(scope);
            f(body);
        }
        ExprKind::If { cond, then_, else_ } => {
            f(cond);
            f(then_);
            f(else_);
        }
        ExprKind::Assert { cond, body } => {
            f(cond);
            f(body);
        }
        ExprKind::Lambda { param, body } => {
            if let Param::Pattern { fields, .. } = &**param {
                fields
                    .iter()
                    .filter_map(|field| field.default.as_ref())
                    .for_each(&mut *f);
            }
            f(body);
        }
        ExprKind::Apply { func, arg } => {
            f(func);
            f(arg);
        }
        ExprKind::Select {
            expr,
            path,
            default,
        } => {
            f(expr);
            attr_path(path, f);
            if let Some(default) = default {
                f(default);
            }
        }
        ExprKind::HasAttr { expr, path } => {
            f(expr);
            attr_path(path, f);
        }
        ExprKind::Binary { lhs, rhs, .. } => {
            f(lhs);
            f(rhs);
        }
        ExprKind::Unary { expr, .. } | ExprKind::Paren(expr) | ExprKind::Annotated { expr, .. } => {
            f(expr)
        }
    }
}

/// Calls `f` on every direct sub-type of `ty`, in source order (union members, the item of
/// a list, the fields of a record, both sides of a function, the base of a refinement).
/// Field defaults are expressions, not types: a caller that wants them reads the record.
pub fn for_each_type_child<'a>(ty: &'a TypeExpr, f: &mut impl FnMut(&'a TypeExpr)) {
    match &ty.kind {
        TypeExprKind::Union(members) => members.iter().for_each(f),
        TypeExprKind::Optional(inner)
        | TypeExprKind::List(inner)
        | TypeExprKind::Map(inner)
        | TypeExprKind::Paren(inner) => f(inner),
        TypeExprKind::Function(from, to) => {
            f(from);
            f(to);
        }
        TypeExprKind::Record { fields, .. } => fields.iter().for_each(|field| f(&field.ty)),
        TypeExprKind::Refined { base, .. } => f(base),
        TypeExprKind::Name(_) | TypeExprKind::Literal(_) | TypeExprKind::Error => {}
    }
}

/// The interpolated expressions of a string or path literal.
pub fn str_parts<'a>(parts: &'a [StrPart], f: &mut impl FnMut(&'a Expr)) {
    for part in parts {
        if let StrPart::Interp(expr) = part {
            f(expr);
        }
    }
}

/// The expressions of the dynamic components of an attribute path (`${e}`, `"a${e}"`).
pub fn attr_path<'a>(path: &'a [AttrName], f: &mut impl FnMut(&'a Expr)) {
    for name in path {
        if let AttrNameKind::Dynamic(expr) = &name.kind {
            f(expr);
        }
    }
}

/// Every expression inside the bindings of a set or `let`: dynamic names, values,
/// `inherit` sources.
pub fn bindings<'a>(bindings: &'a [Binding], f: &mut impl FnMut(&'a Expr)) {
    for binding in bindings {
        match &binding.kind {
            BindingKind::Attr { path, value } => {
                attr_path(path, f);
                f(value);
            }
            BindingKind::Inherit { from, names } => {
                if let Some(from) = from {
                    f(from);
                }
                attr_path(names, f);
            }
            // A type's field defaults are constants, read in the global scope only (the
            // type checker checks them).
            BindingKind::TypeDecl { .. } => {}
        }
    }
}

/// Whether `expr` is `import` or `builtins.import`, the functions that load a file.
pub fn is_import_function(expr: &Expr) -> bool {
    match &strip_parens(expr).kind {
        ExprKind::Var(name) => &**name == "import",
        ExprKind::Select {
            expr,
            path,
            default: None,
        } => {
            matches!(&strip_parens(expr).kind, ExprKind::Var(name) if &**name == "builtins")
                && matches!(path.as_slice(), [attr] if matches!(&attr.kind, AttrNameKind::Static(n) if &**n == "import"))
        }
        _ => false,
    }
}

/// `expr` without the parentheses around it.
pub fn strip_parens(mut expr: &Expr) -> &Expr {
    while let ExprKind::Paren(inner) = &expr.kind {
        expr = inner;
    }
    expr
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn children_text(source: &str) -> Vec<String> {
        let parse = parse(source);
        assert!(parse.errors.is_empty(), "{:?}", parse.errors);
        let mut out = Vec::new();
        for_each_child(&parse.root, &mut |child| {
            out.push(source[child.span.range()].to_string());
        });
        out
    }

    #[test]
    fn children_in_source_order() {
        assert_eq!(
            children_text("{ a = 1; ${b} = c; inherit (d) e; }"),
            ["1", "b", "c", "d"]
        );
        assert_eq!(children_text("{ x ? y, ... }: x"), ["y", "x"]);
        assert_eq!(children_text("a.${b}.c or d"), ["a", "b", "d"]);
        assert_eq!(children_text("\"s${t}u\""), ["t"]);
        assert_eq!(children_text("let a = 1; in a"), ["1", "a"]);
    }

    #[test]
    fn type_children_in_source_order() {
        let source = "{ a :: Int | [String] ? 1, f :: (Int -> Port(1..9))? }: a";
        let parse = parse(source);
        let ExprKind::Lambda { param, .. } = &parse.root.kind else {
            panic!("a lambda: {:?}", parse.root);
        };
        let Param::Pattern { fields, .. } = &**param else {
            panic!("a pattern: {param:?}");
        };
        let texts = |ty: &TypeExpr| {
            let mut out = Vec::new();
            for_each_type_child(ty, &mut |child| {
                out.push(source[child.span.range()].to_string())
            });
            out
        };
        let [a, f] = fields.as_slice() else {
            panic!("two fields: {fields:?}");
        };
        let (Some(a), Some(f)) = (&a.ty, &f.ty) else {
            panic!("both fields are typed");
        };
        assert_eq!(texts(a), ["Int", "[String]"]);
        assert_eq!(texts(f), ["(Int -> Port(1..9))"]);
    }

    #[test]
    fn import_functions() {
        for (source, is) in [
            ("import", true),
            ("(builtins.import)", true),
            ("builtins.imports", false),
            ("x.import", false),
        ] {
            assert_eq!(is_import_function(&parse(source).root), is, "{source}");
        }
    }
}
