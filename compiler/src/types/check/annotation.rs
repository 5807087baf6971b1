//! Annotations and `type` declarations: the type each one means, lowered once (the
//! evaluator's contracts use the same).

use super::{Checker, Env};
use crate::syntax::{Binding, BindingKind, TypeExpr};
use crate::types::report;
use crate::types::ty::Type;
use std::sync::Arc;

impl<'a> Checker<'a> {
    /// The type an annotation means, remembered for the evaluator's contracts.
    pub(super) fn annotation(&mut self, ty: &'a TypeExpr, env: &Env<'a>) -> Type {
        if let Some(known) = self.annotations.get(&ty.span.start) {
            return known.clone();
        }
        let lowered = self.lower(ty, env);
        self.annotations.insert(ty.span.start, lowered.clone());
        lowered
    }

    /// The type a `type Name = ...;` declares (lowered once).
    pub(in crate::types) fn type_decl(&mut self, binding: &'a Binding, env: &Env<'a>) -> Type {
        let BindingKind::TypeDecl {
            name,
            name_span,
            ty,
        } = &binding.kind
        else {
            return Type::Dyn;
        };
        let key = binding as *const Binding as usize;
        if let Some(known) = self.type_memo.borrow().get(&key) {
            return known.clone();
        }
        if !self.type_in_progress.borrow_mut().insert(key) {
            let diagnostic = report::recursive_type(self, name, *name_span);
            self.error(diagnostic);
            return Type::Dyn;
        }
        let lowered = self.lower(ty, env);
        let named = match lowered {
            Type::Dyn => Type::Dyn,
            other => Type::Named(name.clone(), Arc::new(other)),
        };
        self.type_in_progress.borrow_mut().remove(&key);
        self.type_memo.borrow_mut().insert(key, named.clone());
        self.definitions.insert(name_span.start, named.clone());
        named
    }
}
