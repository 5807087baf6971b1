//! Static name resolution before evaluation: every variable that no enclosing `let`,
//! `rec`, lambda or the global scope binds is reported, all at once. Inside `with`, any
//! name may come from the scope set, so nothing there is reported.

use crate::diagnostic::{codes, did_you_mean, Diagnostic, FileName};
use crate::syntax::*;
use std::collections::HashSet;

pub struct UnboundVariable {
    pub name: Name,
    pub span: Span,
    pub suggestion: Option<String>,
}

impl UnboundVariable {
    pub fn into_diagnostic(self, file: &FileName) -> Diagnostic {
        let mut diagnostic = Diagnostic::error(
            codes::E0407,
            format!("undefined variable `{}`", self.name),
            file.clone(),
            self.span,
        )
        .with_label("not defined in this scope");
        if let Some(similar) = self.suggestion {
            diagnostic = diagnostic.with_help(format!("did you mean `{similar}`?"));
        }
        diagnostic
    }
}

/// The variables of `root` that nothing binds, in source order.
pub fn unbound_variables(root: &Expr, globals: &[&str]) -> Vec<UnboundVariable> {
    let mut checker = Checker {
        scopes: vec![globals.iter().map(|g| Name::from(*g)).collect()],
        with_depth: 0,
        errors: Vec::new(),
    };
    checker.expr(root);
    checker.errors
}

struct Checker {
    scopes: Vec<HashSet<Name>>,
    with_depth: usize,
    errors: Vec<UnboundVariable>,
}

impl Checker {
    fn bound(&self, name: &str) -> bool {
        self.scopes.iter().any(|scope| scope.contains(name))
    }

    fn var(&mut self, name: &Name, span: Span) {
        if self.with_depth > 0 || self.bound(name) {
            return;
        }
        let suggestion =
            did_you_mean(name, self.scopes.iter().flatten().map(|n| &**n)).map(str::to_string);
        self.errors.push(UnboundVariable {
            name: name.clone(),
            span,
            suggestion,
        });
    }

    fn scoped(&mut self, names: Vec<Name>, f: impl FnOnce(&mut Self)) {
        self.scopes.push(names.into_iter().collect());
        f(self);
        self.scopes.pop();
    }

    fn expr(&mut self, expr: &Expr) {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.expr_inner(expr));
    }

    fn expr_inner(&mut self, expr: &Expr) {
        match &expr.kind {
            ExprKind::Int(_) | ExprKind::Float(_) | ExprKind::SearchPath(_) | ExprKind::Error => {}
            ExprKind::Str { parts, .. } | ExprKind::Path(parts) => self.parts(parts),
            ExprKind::Var(name) => self.var(name, expr.span),
            ExprKind::List(items) => items.iter().for_each(|item| self.expr(item)),
            ExprKind::AttrSet {
                rec: false,
                bindings,
            } => self.bindings(bindings, false),
            ExprKind::AttrSet {
                rec: true,
                bindings,
            } => {
                let names = binding_names(bindings);
                self.dynamic_names(bindings);
                self.scoped(names, |this| this.bindings(bindings, true));
            }
            ExprKind::Let { bindings, body } => {
                let names = binding_names(bindings);
                self.scoped(names, |this| {
                    this.bindings(bindings, true);
                    this.expr(body);
                });
            }
            ExprKind::With { scope, body } => {
                self.expr(scope);
                self.with_depth += 1;
                self.expr(body);
                self.with_depth -= 1;
            }
            ExprKind::If { cond, then_, else_ } => {
                self.expr(cond);
                self.expr(then_);
                self.expr(else_);
            }
            ExprKind::Assert { cond, body } => {
                self.expr(cond);
                self.expr(body);
            }
            ExprKind::Lambda { param, body } => {
                let (names, defaults): (Vec<Name>, Vec<&Expr>) = match param {
                    Param::Ident { name, .. } => (vec![name.clone()], Vec::new()),
                    Param::Pattern { fields, bind, .. } => {
                        let mut names: Vec<Name> = fields.iter().map(|f| f.name.clone()).collect();
                        names.extend(bind.iter().map(|(n, _)| n.clone()));
                        (
                            names,
                            fields.iter().filter_map(|f| f.default.as_ref()).collect(),
                        )
                    }
                };
                self.scoped(names, |this| {
                    defaults.into_iter().for_each(|d| this.expr(d));
                    this.expr(body);
                });
            }
            ExprKind::Apply { func, arg } => {
                self.expr(func);
                self.expr(arg);
            }
            ExprKind::Select {
                expr: target,
                path,
                default,
            } => {
                self.expr(target);
                self.path(path);
                if let Some(default) = default {
                    self.expr(default);
                }
            }
            ExprKind::HasAttr { expr: target, path } => {
                self.expr(target);
                self.path(path);
            }
            ExprKind::Binary { lhs, rhs, .. } => {
                self.expr(lhs);
                self.expr(rhs);
            }
            ExprKind::Unary { expr: operand, .. }
            | ExprKind::Paren(operand)
            | ExprKind::Annotated { expr: operand, .. } => self.expr(operand),
        }
    }

    fn parts(&mut self, parts: &[StrPart]) {
        for part in parts {
            if let StrPart::Interp(expr) = part {
                self.expr(expr);
            }
        }
    }

    fn path(&mut self, path: &[AttrName]) {
        for name in path {
            if let AttrNameKind::Dynamic(expr) = &name.kind {
                self.expr(expr);
            }
        }
    }

    /// Dynamic attribute names of a `rec` set are evaluated outside its scope.
    fn dynamic_names(&mut self, bindings: &[Binding]) {
        for binding in bindings {
            if let BindingKind::Attr { path, .. } = &binding.kind {
                self.path(path);
            }
        }
    }

    /// Checks binding values (in the current scope) and inherited names (which come from
    /// the scope around a recursive set, i.e. one level out when `recursive`).
    fn bindings(&mut self, bindings: &[Binding], recursive: bool) {
        for binding in bindings {
            match &binding.kind {
                BindingKind::Attr { path, value } => {
                    if !recursive {
                        self.path(path);
                    }
                    self.expr(value);
                }
                BindingKind::Inherit {
                    from: Some(from), ..
                } => self.expr(from),
                BindingKind::Inherit { from: None, names } => {
                    let own = if recursive { self.scopes.pop() } else { None };
                    for name in names {
                        if let AttrNameKind::Static(text) = &name.kind {
                            self.var(text, name.span);
                        }
                    }
                    if let Some(own) = own {
                        self.scopes.push(own);
                    }
                }
                BindingKind::TypeDecl { .. } => {}
            }
        }
    }
}

/// The names a `let` or `rec` set binds at its top level.
fn binding_names(bindings: &[Binding]) -> Vec<Name> {
    let mut names = Vec::new();
    for binding in bindings {
        match &binding.kind {
            BindingKind::Attr { path, .. } => {
                if let Some(AttrName {
                    kind: AttrNameKind::Static(name),
                    ..
                }) = path.first()
                {
                    names.push(name.clone());
                }
            }
            BindingKind::Inherit {
                names: inherited, ..
            } => {
                for name in inherited {
                    if let AttrNameKind::Static(text) = &name.kind {
                        names.push(text.clone());
                    }
                }
            }
            BindingKind::TypeDecl { .. } => {}
        }
    }
    names
}
