//! Inference: the type of each kind of expression (`synth`), strings and their
//! interpolations, and selecting a field (`x.a`, `x.a or d`).

use super::{Checker, Env};
use crate::syntax::{AttrName, AttrNameKind, Expr, ExprKind, Span, StrPart, UnaryOp};
use crate::types::compat::compat;
use crate::types::report;
use crate::types::ty::{Field, Record, Type};
use std::sync::Arc;

impl<'a> Checker<'a> {
    /// Infers the type of `expr`, reporting what is certainly wrong inside it.
    pub(in crate::types) fn synth(&mut self, expr: &'a Expr, env: &Env<'a>) -> Type {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.synth_inner(expr, env))
    }

    fn synth_inner(&mut self, expr: &'a Expr, env: &Env<'a>) -> Type {
        match &expr.kind {
            ExprKind::Int(_) => Type::Int,
            ExprKind::Float(_) => Type::Float,
            ExprKind::Str { parts, .. } => self.string(parts, env),
            ExprKind::Path(parts) => {
                self.string(parts, env);
                Type::Path
            }
            ExprKind::SearchPath(_) => Type::Path,
            ExprKind::Var(name) => self.lookup(expr.span).unwrap_or_else(|| {
                if self.in_default > 0 {
                    let diagnostic = report::non_constant_default(self, name, expr.span);
                    self.error(diagnostic);
                }
                Type::Dyn
            }),
            ExprKind::List(items) => {
                let types = items.iter().map(|item| self.synth(item, env)).collect();
                Type::List(Arc::new(Type::union(types)))
            }
            ExprKind::AttrSet { rec, bindings } => {
                self.attr_set(*rec, bindings, env, None, expr.span)
            }
            ExprKind::Let { bindings, body } => {
                let (inner, entered) = self.enter_bindings(bindings, true, env);
                self.force_scope(&inner, &entered);
                let ty = self.synth(body, &inner);
                self.leave(entered);
                ty
            }
            ExprKind::With { scope, body } => {
                let scope_ty = self.synth(scope, env);
                let entered = self.enter_with(body.span, scope_ty);
                let ty = self.synth(body, env);
                self.leave(entered);
                ty
            }
            ExprKind::If { cond, then_, else_ } => {
                self.check(cond, &Type::Bool, env);
                self.conditional += 1;
                let then_ty = self.synth(then_, env);
                let else_ty = self.synth(else_, env);
                self.conditional -= 1;
                Type::union(vec![then_ty, else_ty])
            }
            ExprKind::Assert { cond, body } => {
                self.check(cond, &Type::Bool, env);
                self.synth(body, env)
            }
            ExprKind::Lambda { param, body } => self.lambda(param, body, env, None),
            ExprKind::Apply { func, arg } => self.apply(expr, func, arg, env),
            ExprKind::Select {
                expr: target,
                path,
                default,
            } => {
                let mut ty = self.synth(target, env);
                let has_default = default.is_some();
                if let (
                    false,
                    Some(AttrName {
                        kind: AttrNameKind::Static(first),
                        ..
                    }),
                ) = (has_default, path.first())
                {
                    // `x.a` demands a set with an `a`.
                    let demand = Type::Record(Arc::new(Record {
                        fields: vec![Field {
                            name: first.clone(),
                            ty: Type::Dyn,
                            default: None,
                            doc: None,
                            site: None,
                            optional: false,
                        }],
                        open: true,
                        types: Vec::new(),
                    }));
                    self.demand(target, demand);
                }
                let mut described = describe(target);
                for name in path {
                    ty = match &name.kind {
                        AttrNameKind::Static(text) => {
                            let ty = self.select_in(
                                &ty,
                                text,
                                name.span,
                                has_default,
                                described.clone(),
                            );
                            described = described.map(|d| format!("{d}.{text}"));
                            ty
                        }
                        AttrNameKind::Dynamic(name_expr) => {
                            self.check(name_expr, &Type::String, env);
                            Type::Dyn
                        }
                    };
                }
                match default {
                    Some(default) => {
                        self.conditional += 1;
                        let default_ty = self.synth(default, env);
                        self.conditional -= 1;
                        Type::union(vec![ty, default_ty])
                    }
                    None => ty,
                }
            }
            ExprKind::HasAttr { expr: target, path } => {
                self.synth(target, env);
                for name in path {
                    if let AttrNameKind::Dynamic(name_expr) = &name.kind {
                        self.check(name_expr, &Type::String, env);
                    }
                }
                Type::Bool
            }
            ExprKind::Binary {
                op,
                op_span,
                lhs,
                rhs,
            } => self.binary(*op, *op_span, lhs, rhs, env),
            ExprKind::Unary { op, expr: operand } => match op {
                UnaryOp::Not => {
                    self.check(operand, &Type::Bool, env);
                    Type::Bool
                }
                UnaryOp::Neg => {
                    let ty = self.synth(operand, env);
                    if let Err(mismatch) = compat(&ty, &Type::Number) {
                        let diagnostic = report::mismatch(self, operand.span, &mismatch, None);
                        self.error(diagnostic);
                        return Type::Dyn;
                    }
                    ty
                }
            },
            ExprKind::Paren(inner) => self.synth(inner, env),
            ExprKind::Annotated { expr: inner, ty } => {
                let expected = self.annotation(ty, env);
                self.check_declared(inner, &expected, self.site(ty.span), env);
                expected
            }
            ExprKind::Error => Type::Dyn,
        }
    }

    fn string(&mut self, parts: &'a [StrPart], env: &Env<'a>) -> Type {
        let mut literal = String::new();
        let mut interpolated = false;
        for part in parts {
            match part {
                StrPart::Lit(text) => literal.push_str(text),
                StrPart::Interp(inner) => {
                    interpolated = true;
                    let ty = self.synth(inner, env);
                    // Nix interpolates strings and paths only (and sets with `outPath` or
                    // `__toString`).
                    if matches!(
                        ty.shape(),
                        Type::Int
                            | Type::Float
                            | Type::Number
                            | Type::Bool
                            | Type::Null
                            | Type::List(_)
                            | Type::Function(..)
                    ) {
                        let diagnostic = report::bad_interpolation(self, inner.span, &ty);
                        self.error(diagnostic);
                    }
                }
            }
        }
        if interpolated {
            Type::String
        } else {
            Type::Literal(Arc::from(literal))
        }
    }

    pub(super) fn select_field(
        &mut self,
        ty: &Type,
        name: &Arc<str>,
        span: Span,
        has_default: bool,
    ) -> Type {
        self.select_in(ty, name, span, has_default, None)
    }

    /// The type of field `name` of a value of type `ty` (the value `target`, when it is a
    /// plain path); reports selecting what certainly is not there (unless `or` gives a
    /// default).
    fn select_in(
        &mut self,
        ty: &Type,
        name: &Arc<str>,
        span: Span,
        has_default: bool,
        target: Option<String>,
    ) -> Type {
        match ty.shape() {
            Type::Record(record) => match record.field(name) {
                Some(field) => field.ty.clone(),
                None if record.open || has_default => Type::Dyn,
                None => {
                    let diagnostic = report::no_such_field(self, name, span, (ty, target), record);
                    self.error(diagnostic);
                    Type::Dyn
                }
            },
            Type::Map(value) => value.as_ref().clone(),
            Type::Union(members) => {
                let types: Vec<Type> = members
                    .iter()
                    .map(|member| match member.shape() {
                        Type::Record(record) => {
                            record.field(name).map_or(Type::Dyn, |f| f.ty.clone())
                        }
                        Type::Map(value) => value.as_ref().clone(),
                        _ => Type::Dyn,
                    })
                    .collect();
                Type::union(types)
            }
            Type::Dyn | Type::Never => Type::Dyn,
            _ if has_default => Type::Dyn,
            other => {
                let diagnostic = report::select_from_non_set(self, name, span, other);
                self.error(diagnostic);
                Type::Dyn
            }
        }
    }
}

/// `a.b.c` when `expr` is such a plain path, for messages.
fn describe(expr: &Expr) -> Option<String> {
    match &expr.kind {
        ExprKind::Var(name) => Some(name.to_string()),
        ExprKind::Select {
            expr: inner,
            path,
            default: None,
        } => {
            let mut text = describe(inner)?;
            for name in path {
                match &name.kind {
                    AttrNameKind::Static(part) => {
                        text.push('.');
                        text.push_str(part);
                    }
                    AttrNameKind::Dynamic(_) => return None,
                }
            }
            Some(text)
        }
        ExprKind::Paren(inner) => describe(inner),
        _ => None,
    }
}
