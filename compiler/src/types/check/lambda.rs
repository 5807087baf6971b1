//! Functions: lambdas (parameters from annotations, an expected function type, or the
//! uses in the body), application, and `import` of a literal path.

use super::{expected_record, Checker, Env};
use crate::syntax::{Expr, ExprKind, Param, Span};
use crate::types::report;
use crate::types::ty::{Field, Record, Type};
use std::sync::Arc;

impl<'a> Checker<'a> {
    pub(super) fn lambda(
        &mut self,
        param: &'a Param,
        body: &'a Expr,
        env: &Env<'a>,
        expected: Option<(&Type, &Type)>,
    ) -> Type {
        let expected_param = expected.map(|(from, _)| from.clone());
        let (param_ty, params) = match param {
            Param::Ident { span, ty, .. } => {
                let param_ty = match ty {
                    Some(annotation) => self.annotation(annotation, env),
                    None => expected_param.unwrap_or(Type::Dyn),
                };
                self.definitions.insert(span.start, param_ty.clone());
                (param_ty.clone(), vec![(*span, param_ty)])
            }
            Param::Pattern {
                fields,
                ellipsis,
                bind,
                ..
            } => {
                let expected_record = expected_param.as_ref().and_then(expected_record);
                let mut params = Vec::new();
                let mut record = Record {
                    open: *ellipsis,
                    ..Record::default()
                };
                for field in fields {
                    let ty = match &field.ty {
                        Some(annotation) => self.annotation(annotation, env),
                        None => expected_record
                            .as_ref()
                            .and_then(|r| r.field(&field.name))
                            .map_or(Type::Dyn, |f| f.ty.clone()),
                    };
                    self.definitions.insert(field.span.start, ty.clone());
                    params.push((field.span, ty.clone()));
                    record.fields.push(Field {
                        name: field.name.clone(),
                        ty,
                        default: None,
                        doc: None,
                        site: Some(self.site(field.span)),
                        optional: field.default.is_some(),
                    });
                }
                let record_ty = Type::Record(Arc::new(record));
                if let Some((_, span)) = bind {
                    params.push((*span, record_ty.clone()));
                }
                (record_ty, params)
            }
        };
        let entered = self.enter_params(params);
        // Defaults see every parameter.
        if let Param::Pattern { fields, .. } = param {
            for field in fields {
                if let Some(default) = &field.default {
                    let declared = match (&field.ty, &param_ty) {
                        (Some(_), Type::Record(record)) => {
                            record.field(&field.name).map(|f| f.ty.clone())
                        }
                        _ => None,
                    };
                    match declared {
                        Some(declared) => self.check(default, &declared, env),
                        None => {
                            self.synth(default, env);
                        }
                    }
                }
            }
        }
        // An unannotated parameter of a function typed on its own gets its type from how
        // the body uses it.
        let inferred = match (param, expected) {
            (Param::Ident { ty: None, span, .. }, None) => {
                self.inferring.insert(span.start, Vec::new());
                Some(span.start)
            }
            _ => None,
        };
        let body_ty = match expected {
            Some((_, result)) => {
                self.check(body, result, env);
                result.clone()
            }
            None => self.synth(body, env),
        };
        self.leave(entered);
        let param_ty = match inferred {
            Some(key) => {
                let demands = self.inferring.remove(&key).unwrap_or_default();
                let ty = agree(demands);
                if !matches!(ty, Type::Dyn) {
                    self.definitions.insert(key, ty.clone());
                }
                ty
            }
            None => param_ty,
        };
        Type::Function(Arc::new(param_ty), Arc::new(body_ty))
    }

    pub(super) fn apply(
        &mut self,
        expr: &'a Expr,
        func: &'a Expr,
        arg: &'a Expr,
        env: &Env<'a>,
    ) -> Type {
        if let Some(ty) = self.import(func, arg) {
            return ty;
        }
        let func_ty = self.synth(func, env);
        match func_ty.shape() {
            Type::Function(from, to) => {
                let (from, to) = (from.clone(), to.clone());
                self.check(arg, &from, env);
                to.as_ref().clone()
            }
            Type::Dyn | Type::Never | Type::Union(_) => {
                self.synth(arg, env);
                if func_ty.shape() == &Type::Never {
                    Type::Never
                } else {
                    Type::Dyn
                }
            }
            Type::Record(record) if record.open || record.field("__functor").is_some() => {
                self.synth(arg, env);
                Type::Dyn
            }
            _ => {
                self.synth(arg, env);
                let diagnostic = report::not_a_function(self, expr, func, &func_ty);
                self.error(diagnostic);
                Type::Dyn
            }
        }
    }

    /// `import ./x.mlc` or `import <module>`: the imported file's type.
    fn import(&mut self, func: &'a Expr, arg: &'a Expr) -> Option<Type> {
        let ExprKind::Var(name) = &func.kind else {
            return None;
        };
        if &**name != "import" || self.local(func.span).is_some() {
            return None;
        }
        let mut target = arg;
        while let ExprKind::Paren(inner) = &target.kind {
            target = inner;
        }
        match &target.kind {
            ExprKind::Path(_) | ExprKind::SearchPath(_) => {
                Some(self.host.import_type(target.span).unwrap_or(Type::Dyn))
            }
            _ => None,
        }
    }

    /// Records that `expr`, if it is an unannotated parameter being inferred, is used as
    /// `ty` (outside any branch).
    pub(super) fn demand(&mut self, expr: &'a Expr, ty: Type) {
        if self.conditional > 0 || self.inferring.is_empty() || matches!(ty.shape(), Type::Dyn) {
            return;
        }
        let ExprKind::Var(_) = &expr.kind else {
            return;
        };
        if let Some(key) = self.param_key(expr.span) {
            if let Some(demands) = self.inferring.get_mut(&key) {
                demands.push(ty);
            }
        }
    }

    /// The parameter the variable written at `span` refers to, by the start of its name,
    /// if it is one.
    fn param_key(&self, span: Span) -> Option<u32> {
        let definition = self.resolved.names.definition(self.local(span)?);
        definition
            .kind
            .is_parameter()
            .then(|| definition.span().start)
    }
}

/// The type every use of a parameter agrees on: the demands if they are all the same, the
/// union of the fields they select if they are all open records, else `Dyn` (uses that
/// disagree may be fine at run time: the checker does not guess).
fn agree(demands: Vec<Type>) -> Type {
    let Some(first) = demands.first() else {
        return Type::Dyn;
    };
    if demands.iter().all(|d| d == first) {
        return first.clone();
    }
    let mut fields: Vec<Field> = Vec::new();
    for demand in &demands {
        match demand.shape() {
            Type::Record(record) if record.open && record.types.is_empty() => {
                for field in &record.fields {
                    if !fields.iter().any(|f| f.name == field.name) {
                        fields.push(field.clone());
                    }
                }
            }
            _ => return Type::Dyn,
        }
    }
    Type::Record(Arc::new(Record {
        fields,
        open: true,
        types: Vec::new(),
    }))
}
