//! Checking against an expected type (`check`): reaching into literals, branches, lists,
//! sets and lambdas, so that a mismatch is reported at the part that is wrong.

use super::{expected_record, Checker, Env};
use crate::syntax::{AttrNameKind, BindingKind, Expr, ExprKind};
use crate::types::compat::compat;
use crate::types::report;
use crate::types::ty::Type;

impl<'a> Checker<'a> {
    /// Checks `expr` against `expected`, reaching into literals so that errors point at
    /// the part that is wrong.
    pub(in crate::types) fn check(&mut self, expr: &'a Expr, expected: &Type, env: &Env<'a>) {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            self.check_inner(expr, expected, env)
        })
    }

    fn check_inner(&mut self, expr: &'a Expr, expected: &Type, env: &Env<'a>) {
        if matches!(expected.shape(), Type::Dyn) {
            self.synth(expr, env);
            return;
        }
        match &expr.kind {
            ExprKind::Paren(inner) => return self.check(inner, expected, env),
            ExprKind::Let { bindings, body } => {
                let (inner, entered) = self.enter_bindings(bindings, true, env);
                self.force_scope(&inner, &entered);
                self.check(body, expected, &inner);
                self.leave(entered);
                return;
            }
            ExprKind::If { cond, then_, else_ } => {
                self.check(cond, &Type::Bool, env);
                self.conditional += 1;
                self.check(then_, expected, env);
                self.check(else_, expected, env);
                self.conditional -= 1;
                return;
            }
            ExprKind::Assert { cond, body } => {
                self.check(cond, &Type::Bool, env);
                return self.check(body, expected, env);
            }
            ExprKind::With { scope, body } => {
                let scope_ty = self.synth(scope, env);
                let entered = self.enter_with(body.span, scope_ty);
                self.check(body, expected, env);
                self.leave(entered);
                return;
            }
            _ => {}
        }
        // A set written elsewhere (bound by `let`, a side of `//`): checked where it is.
        if self.check_elsewhere(expr, expected, env) {
            return;
        }
        // Literals against refinements and literal unions: the value is known.
        if let Some(diagnostic) = report::literal_check(self, expr, expected) {
            self.error(diagnostic);
            return;
        }
        match (&expr.kind, expected_record(expected), expected.shape()) {
            (ExprKind::AttrSet { rec, bindings }, Some(record), _) => {
                self.attr_set(*rec, bindings, env, Some(&record), expr.span);
            }
            (
                ExprKind::AttrSet {
                    rec: false,
                    bindings,
                },
                None,
                Type::Map(value),
            ) if bindings.iter().all(|b| b.ty.is_none()) => {
                let value = value.as_ref().clone();
                for binding in bindings {
                    match &binding.kind {
                        BindingKind::Attr { path, value: v } if path.len() == 1 => {
                            if let AttrNameKind::Dynamic(name_expr) = &path[0].kind {
                                self.check(name_expr, &Type::optional(Type::String), env);
                            }
                            self.check(v, &value, env);
                        }
                        _ => {
                            let ty = self.synth(expr, env);
                            self.report_compat(expr, &ty, expected);
                            return;
                        }
                    }
                }
            }
            (ExprKind::List(items), _, expected_shape)
                if expected_list(expected_shape).is_some() =>
            {
                let item = expected_list(expected_shape).unwrap_or(Type::Dyn);
                for element in items {
                    self.check(element, &item, env);
                }
            }
            (ExprKind::Lambda { param, body }, _, Type::Function(from, to)) => {
                let (from, to) = (from.as_ref().clone(), to.as_ref().clone());
                self.lambda(param, body, env, Some((&from, &to)));
            }
            _ => {
                self.demand(expr, expected.clone());
                let found = self.synth(expr, env);
                self.report_compat(expr, &found, expected);
            }
        }
    }

    fn report_compat(&mut self, expr: &Expr, found: &Type, expected: &Type) {
        if let Err(mismatch) = compat(found, expected) {
            let diagnostic = report::mismatch(self, expr.span, &mismatch, Some(expected));
            let diagnostic = report::quoted_number(self, expr, expected, diagnostic);
            self.error(diagnostic);
        }
    }
}

/// The item type a list written where `expected` is wanted is checked against: `[T]`, or
/// `[T]?` (a list literal is not null, so its items are checked as `T`).
fn expected_list(expected: &Type) -> Option<Type> {
    match expected.non_null().shape() {
        Type::List(item) => Some(item.as_ref().clone()),
        _ => None,
    }
}
