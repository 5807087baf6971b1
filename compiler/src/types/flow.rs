//! Expected types that flow to values not written where they are expected: a variable bound
//! by `let` or `rec` to a set (`let base = { ... }; in mlflow.deployment base`), and the
//! sides of `a // b`. The set is checked against the record type at its own keys, so an
//! unknown option is reported at the line that wrote it, not at the call; and, since the
//! set is checked like one written in place, `FileTypes::records` and `keys` list it too
//! (completion, hover and go-to-definition inside let-bound sets come from there).

use super::check::{expected_record, Checker, Env, FrameKind, ValueDef};
use super::ty::{Record, Type};
use crate::syntax::{BinaryOp, BindingKind, Expr, ExprKind, Span};
use std::sync::Arc;

impl<'a> Checker<'a> {
    /// Checks `expr` against `expected` when the value it stands for is written elsewhere
    /// (see the module's comment); false when `expr` is not such an expression, or the
    /// expected type is not one record.
    pub(super) fn check_elsewhere(
        &mut self,
        expr: &'a Expr,
        expected: &Type,
        env: &Env<'a>,
    ) -> bool {
        let Some(record) = expected_record(expected) else {
            return false;
        };
        match &expr.kind {
            ExprKind::Var(_) => self.check_let_bound(expr.span, &record),
            ExprKind::Binary {
                op: BinaryOp::Update,
                lhs,
                rhs,
                ..
            } => {
                self.check_update(expr, lhs, rhs, &record, env);
                true
            }
            _ => false,
        }
    }

    /// `lhs // rhs` expected to be `record`: each side may set any of its fields and must
    /// set no other; together they must set the required ones.
    fn check_update(
        &mut self,
        expr: &'a Expr,
        lhs: &'a Expr,
        rhs: &'a Expr,
        record: &Arc<Record>,
        env: &Env<'a>,
    ) {
        let part = Type::Record(Arc::new(record.with_nothing_required()));
        self.check(lhs, &part, env);
        self.check(rhs, &part, env);
        if let Type::Record(built) = self.synth(expr, env).shape() {
            let built = built.clone();
            self.missing_fields(&built, record, expr.span);
        }
    }

    /// The variable at `span` bound by `let`/`rec` to a set (or to another such name, or to
    /// `a // b`), expected to be `record`: the bound value is checked against it, in its
    /// own scope.
    fn check_let_bound(&mut self, span: Span, record: &Arc<Record>) -> bool {
        let Some((env, value)) = self.let_bound(span) else {
            return false;
        };
        // `let a = b; b = a;`: each value is checked through a name once at a time.
        if !self.flowing.insert(value.span.start) {
            return false;
        }
        self.check(value, &Type::Record(record.clone()), &env);
        self.flowing.remove(&value.span.start);
        true
    }

    /// The type declarations seen by, and the value of, the definition the variable at
    /// `span` refers to, when it is one unannotated `name = value;` of a `let` or `rec`, and
    /// the value is a set, `a // b` or another name.
    fn let_bound(&self, span: Span) -> Option<(Env<'a>, &'a Expr)> {
        let def = self.local(span)?;
        let scope = self.resolved.names.definition(def).scope;
        let frame = self.resolved.frame(scope)?;
        let FrameKind::Values { values, env } = &frame.kind else {
            return None;
        };
        let ValueDef::Bindings(bindings) = values.get(&def)? else {
            return None;
        };
        let &[binding] = bindings.as_slice() else {
            return None;
        };
        let BindingKind::Attr { path, value } = &binding.kind else {
            return None;
        };
        let flows = path.len() == 1
            && binding.ty.is_none()
            && matches!(
                value.kind,
                ExprKind::AttrSet { .. }
                    | ExprKind::Var(_)
                    | ExprKind::Binary {
                        op: BinaryOp::Update,
                        ..
                    }
            );
        flows.then(|| (env.clone(), value))
    }
}
