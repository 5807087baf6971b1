//! Static imports: the files a file names with `import ./path.mlc` and `<module>`, resolved
//! to database inputs, and the diagnostics for those that cannot be resolved.
//!
//! Only literal paths are static; `import (./dir + "/${name}.mlc")` is resolved by the
//! evaluator when it runs. Resolving an import creates the target's input but does not read
//! its text, so editing an imported file never re-runs [`imports`] of the importer.

use super::{Db, SourceFile};
use crate::diagnostic::{codes, did_you_mean, Diagnostic, Fix};
use crate::paths;
use crate::syntax::walk::{self, is_import_function, strip_parens};
use crate::syntax::{Expr, ExprKind, Span, StrPart};

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
    let path = file.path(db);
    let base = if path.as_ref() == super::EXPR_PATH {
        paths::current_dir()
    } else {
        paths::parent_dir(path).to_string()
    };
    literal_imports(&super::parse(db, file).root)
        .into_iter()
        .map(|(kind, span)| {
            let target = match &kind {
                ImportKind::Path(written) => {
                    ImportTarget::File(db.file(&paths::normalize(&base, written)))
                }
                ImportKind::Module(name) => match db.stdlib().module_path(name) {
                    Some(path) => ImportTarget::File(db.file(&path)),
                    None => ImportTarget::UnknownModule,
                },
            };
            Import { kind, span, target }
        })
        .collect()
}

/// The imports written literally in the tree `root`, in source order: the path of every
/// `import ./path` (or `builtins.import`) and every `<module>`.
pub fn literal_imports(root: &Expr) -> Vec<(ImportKind, Span)> {
    let mut found = Vec::new();
    // An explicit stack rather than recursion: user trees can be arbitrarily deep.
    let mut stack: Vec<&Expr> = vec![root];
    while let Some(expr) = stack.pop() {
        match &expr.kind {
            ExprKind::SearchPath(name) => {
                found.push((ImportKind::Module(name.clone()), expr.span));
            }
            ExprKind::Apply { func, arg } if is_import_function(func) => {
                if let Some((written, span)) = literal_path(arg) {
                    found.push((ImportKind::Path(written), span));
                }
            }
            _ => {}
        }
        walk::for_each_child(expr, &mut |child| stack.push(child));
    }
    found.sort_by_key(|(_, span)| (span.start, span.end));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{AttrName, Binding, BindingKind};

    fn expr(kind: ExprKind, start: usize, end: usize) -> Expr {
        Expr::new(kind, Span::new(start, end))
    }

    fn var(name: &str, at: usize) -> Expr {
        expr(ExprKind::Var(name.into()), at, at + name.len())
    }

    fn path(text: &str, at: usize) -> Expr {
        expr(
            ExprKind::Path(vec![StrPart::Lit(text.to_string())]),
            at,
            at + text.len(),
        )
    }

    fn apply(func: Expr, arg: Expr) -> Expr {
        let span = func.span.cover(arg.span);
        Expr::new(
            ExprKind::Apply {
                func: Box::new(func),
                arg: Box::new(arg),
            },
            span,
        )
    }

    /// `{ a = import ./a.mlc; b = [ (builtins.import ./b.mlc) <m> ]; c = import ./${x}; }`,
    /// built by hand so that this test does not depend on the parser.
    #[test]
    fn finds_literal_imports_anywhere_in_source_order() {
        let builtins_import = expr(
            ExprKind::Select {
                expr: Box::new(var("builtins", 30)),
                path: vec![AttrName {
                    kind: crate::syntax::AttrNameKind::Static("import".into()),
                    span: Span::new(39, 45),
                }],
                default: None,
            },
            30,
            45,
        );
        let paren = expr(
            ExprKind::Paren(Box::new(apply(builtins_import, path("./b.mlc", 46)))),
            29,
            54,
        );
        let list = expr(
            ExprKind::List(vec![paren, expr(ExprKind::SearchPath("m".into()), 55, 58)]),
            27,
            60,
        );
        let interpolated = expr(
            ExprKind::Path(vec![
                StrPart::Lit("./".into()),
                StrPart::Interp(var("x", 75)),
            ]),
            71,
            77,
        );
        let binding = |name: &str, at: usize, value: Expr| Binding {
            kind: BindingKind::Attr {
                path: vec![AttrName {
                    kind: crate::syntax::AttrNameKind::Static(name.into()),
                    span: Span::new(at, at + 1),
                }],
                value,
            },
            ty: None,
            doc: None,
            span: Span::new(at, at + 1),
        };
        let root = expr(
            ExprKind::AttrSet {
                rec: false,
                bindings: vec![
                    binding("a", 2, apply(var("import", 6), path("./a.mlc", 13))),
                    binding("b", 23, list),
                    binding("c", 62, apply(var("import", 64), interpolated)),
                ],
            },
            0,
            80,
        );
        assert_eq!(
            literal_imports(&root),
            vec![
                (ImportKind::Path("./a.mlc".into()), Span::new(13, 20)),
                (ImportKind::Path("./b.mlc".into()), Span::new(46, 53)),
                (ImportKind::Module("m".into()), Span::new(55, 58)),
            ]
        );
    }

    #[test]
    fn a_deep_tree_does_not_overflow_the_stack() {
        let mut root = path("./deep.mlc", 0);
        for _ in 0..200_000 {
            let span = root.span;
            root = Expr::new(ExprKind::Paren(Box::new(root)), span);
        }
        let root = apply(var("import", 0), root);
        assert_eq!(literal_imports(&root).len(), 1);
        // Dropping a tree this deep recurses; leak it rather than test `Drop`.
        std::mem::forget(root);
    }
}
