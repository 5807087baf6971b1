//! Static imports: the files a file names with `import ./path.mlc` and `<module>`, resolved
//! to database inputs, and the diagnostics for those that cannot be resolved.
//!
//! Only literal paths are static; `import (./dir + "/${name}.mlc")` is resolved by the
//! evaluator when it runs. Resolving an import creates the target's input but does not read
//! its text, so editing an imported file never re-runs [`imports`] of the importer.

use super::{paths, Db, SourceFile};
use crate::diagnostic::{codes, did_you_mean, Diagnostic, Fix};
use crate::syntax::{AttrNameKind, BindingKind, Expr, ExprKind, Param, Span, StrPart};

/// One static import.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Import {
    pub kind: ImportKind,
    /// The path literal or `<module>` as written.
    pub span: Span,
    pub target: ImportTarget,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ImportKind {
    /// `import ./x.mlc`: the path as written.
    Path(String),
    /// `<mlflow/tls>`: the module name.
    Module(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ImportTarget {
    /// The file the import resolves to (which may turn out not to exist).
    File(SourceFile),
    /// `<name>` names no embedded module.
    UnknownModule,
}

/// The static imports of `file`, in source order.
#[salsa::tracked(returns(ref))]
pub fn imports(db: &dyn Db, file: SourceFile) -> Vec<Import> {
    let base = paths::parent_dir(file.path(db)).to_string();
    let base = if file.path(db).as_ref() == super::EXPR_PATH {
        paths::current_dir()
    } else {
        base
    };
    let mut found = Vec::new();
    let mut stack: Vec<&Expr> = vec![&super::parse(db, file).root];
    // An explicit stack rather than recursion: user trees can be arbitrarily deep.
    while let Some(expr) = stack.pop() {
        match &expr.kind {
            ExprKind::SearchPath(name) => {
                let target = match db.stdlib().module_path(name) {
                    Some(path) => ImportTarget::File(db.file(&path)),
                    None => ImportTarget::UnknownModule,
                };
                found.push(Import {
                    kind: ImportKind::Module(name.clone()),
                    span: expr.span,
                    target,
                });
            }
            ExprKind::Apply { func, arg } if is_import_function(func) => {
                if let Some((written, span)) = literal_path(arg) {
                    let target = db.file(&paths::normalize(&base, &written));
                    found.push(Import {
                        kind: ImportKind::Path(written),
                        span,
                        target: ImportTarget::File(target),
                    });
                }
            }
            _ => {}
        }
        push_children(expr, &mut stack);
    }
    found.sort_by_key(|import| (import.span.start, import.span.end));
    found
}

/// Why `file` cannot be read, if it cannot. A query of its own so that importers depend on
/// whether the target exists, not on its text.
#[salsa::tracked(returns(clone))]
pub fn read_error(db: &dyn Db, file: SourceFile) -> Option<String> {
    file.text(db).as_ref().err().cloned()
}

/// Diagnostics for the static imports of `file` that do not resolve to a readable file.
#[salsa::tracked(returns(ref))]
pub fn import_diagnostics(db: &dyn Db, file: SourceFile) -> Vec<Diagnostic> {
    let name = file.name(db);
    let mut diagnostics = Vec::new();
    for import in imports(db, file) {
        match (&import.kind, import.target) {
            (ImportKind::Module(module), ImportTarget::UnknownModule) => {
                diagnostics.push(unknown_module(db, name.clone(), module, import.span));
            }
            (kind, ImportTarget::File(target)) => {
                if let Some(reason) = read_error(db, target) {
                    let written = match kind {
                        ImportKind::Path(path) => path.clone(),
                        ImportKind::Module(module) => format!("<{module}>"),
                    };
                    diagnostics.push(
                        Diagnostic::error(
                            codes::E0210,
                            format!("cannot import `{written}`: {reason}"),
                            name.clone(),
                            import.span,
                        )
                        .with_label(format!("looked for `{}`", target.name(db))),
                    );
                }
            }
            (ImportKind::Path(_), ImportTarget::UnknownModule) => {}
        }
    }
    diagnostics
}

fn unknown_module(
    db: &dyn Db,
    file: crate::diagnostic::FileName,
    module: &str,
    span: Span,
) -> Diagnostic {
    let known = db.stdlib().module_names();
    let diagnostic = Diagnostic::error(
        codes::E0211,
        format!("unknown standard library module `<{module}>`"),
        file.clone(),
        span,
    )
    .with_label("not in the standard library");
    match did_you_mean(module, known.iter().copied()) {
        Some(suggestion) => diagnostic
            .with_help(format!("did you mean `<{suggestion}>`?"))
            .with_fix(Fix {
                file,
                span,
                replacement: format!("<{suggestion}>"),
            }),
        None if known.is_empty() => diagnostic.with_note("the standard library has no modules"),
        None => {
            let list: Vec<String> = known.iter().map(|m| format!("`<{m}>`")).collect();
            diagnostic.with_note(format!("the standard library has: {}", list.join(", ")))
        }
    }
}

/// Whether `func` is `import` or `builtins.import`.
fn is_import_function(func: &Expr) -> bool {
    match &strip_parens(func).kind {
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

/// The text and span of a path literal without interpolation.
fn literal_path(arg: &Expr) -> Option<(String, Span)> {
    let arg = strip_parens(arg);
    let ExprKind::Path(parts) = &arg.kind else {
        return None;
    };
    let mut written = String::new();
    for part in parts {
        match part {
            StrPart::Lit(text) => written.push_str(text),
            StrPart::Interp(_) => return None,
        }
    }
    Some((written, arg.span))
}

fn strip_parens(mut expr: &Expr) -> &Expr {
    while let ExprKind::Paren(inner) = &expr.kind {
        expr = inner;
    }
    expr
}

/// Pushes every direct sub-expression of `expr` onto `stack`.
fn push_children<'a>(expr: &'a Expr, stack: &mut Vec<&'a Expr>) {
    fn parts<'a>(parts: &'a [StrPart], stack: &mut Vec<&'a Expr>) {
        for part in parts {
            if let StrPart::Interp(expr) = part {
                stack.push(expr);
            }
        }
    }
    fn attr_path<'a>(path: &'a [crate::syntax::AttrName], stack: &mut Vec<&'a Expr>) {
        for name in path {
            if let AttrNameKind::Dynamic(expr) = &name.kind {
                stack.push(expr);
            }
        }
    }
    fn bindings<'a>(bindings: &'a [crate::syntax::Binding], stack: &mut Vec<&'a Expr>) {
        for binding in bindings {
            match &binding.kind {
                BindingKind::Attr { path, value } => {
                    attr_path(path, stack);
                    stack.push(value);
                }
                BindingKind::Inherit { from, names } => {
                    if let Some(from) = from {
                        stack.push(from);
                    }
                    attr_path(names, stack);
                }
            }
        }
    }
    match &expr.kind {
        ExprKind::Int(_)
        | ExprKind::Float(_)
        | ExprKind::SearchPath(_)
        | ExprKind::Var(_)
        | ExprKind::Error => {}
        ExprKind::Str { parts: p, .. } | ExprKind::Path(p) => parts(p, stack),
        ExprKind::List(items) => stack.extend(items.iter()),
        ExprKind::AttrSet { bindings: b, .. } => bindings(b, stack),
        ExprKind::Let { bindings: b, body } => {
            bindings(b, stack);
            stack.push(body);
        }
        ExprKind::With { scope, body } => stack.extend([&**scope, &**body]),
        ExprKind::If { cond, then_, else_ } => stack.extend([&**cond, &**then_, &**else_]),
        ExprKind::Assert { cond, body } => stack.extend([&**cond, &**body]),
        ExprKind::Lambda { param, body } => {
            if let Param::Pattern { fields, .. } = param {
                stack.extend(fields.iter().filter_map(|field| field.default.as_ref()));
            }
            stack.push(body);
        }
        ExprKind::Apply { func, arg } => stack.extend([&**func, &**arg]),
        ExprKind::Select {
            expr,
            path,
            default,
        } => {
            stack.push(expr);
            attr_path(path, stack);
            stack.extend(default.as_deref());
        }
        ExprKind::HasAttr { expr, path } => {
            stack.push(expr);
            attr_path(path, stack);
        }
        ExprKind::Binary { lhs, rhs, .. } => stack.extend([&**lhs, &**rhs]),
        ExprKind::Unary { expr, .. } | ExprKind::Paren(expr) => stack.push(expr),
    }
}
