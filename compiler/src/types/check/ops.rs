//! Operators: what `+`, `-`, `++`, `//`, comparisons and the Boolean operators accept and
//! give.

use super::{Checker, Env};
use crate::syntax::{BinaryOp, Expr, Span};
use crate::types::report;
use crate::types::ty::{Field, Record, Type};
use std::sync::Arc;

impl<'a> Checker<'a> {
    pub(super) fn binary(
        &mut self,
        op: BinaryOp,
        op_span: Span,
        lhs: &'a Expr,
        rhs: &'a Expr,
        env: &Env<'a>,
    ) -> Type {
        match op {
            BinaryOp::And | BinaryOp::Or | BinaryOp::Implies => {
                self.check(lhs, &Type::Bool, env);
                self.conditional += 1;
                self.check(rhs, &Type::Bool, env);
                self.conditional -= 1;
                return Type::Bool;
            }
            _ => {}
        }
        let left = self.synth(lhs, env);
        let right = self.synth(rhs, env);
        match op {
            BinaryOp::Eq
            | BinaryOp::NotEq
            | BinaryOp::Less
            | BinaryOp::LessEq
            | BinaryOp::Greater
            | BinaryOp::GreaterEq => Type::Bool,
            BinaryOp::Add => match (category(&left), category(&right)) {
                (Some(Category::Number), Some(Category::Number)) => number_result(&left, &right),
                (Some(Category::String), Some(Category::String | Category::Path)) => Type::String,
                (Some(Category::Path), Some(Category::String | Category::Path)) => Type::Path,
                (Some(_), Some(_)) => self.operator_error(op, op_span, lhs, &left, rhs, &right),
                _ => Type::Dyn,
            },
            BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => {
                match (category(&left), category(&right)) {
                    (Some(Category::Number), Some(Category::Number)) => {
                        number_result(&left, &right)
                    }
                    (Some(l), Some(r)) if l != Category::Number || r != Category::Number => {
                        self.operator_error(op, op_span, lhs, &left, rhs, &right)
                    }
                    _ => Type::Dyn,
                }
            }
            BinaryOp::Concat => match (left.shape(), right.shape()) {
                (Type::List(a), Type::List(b)) => Type::List(Arc::new(Type::union(vec![
                    a.as_ref().clone(),
                    b.as_ref().clone(),
                ]))),
                (l, r) if is_known_non(l, is_list_shape) || is_known_non(r, is_list_shape) => {
                    self.operator_error(op, op_span, lhs, &left, rhs, &right)
                }
                _ => Type::List(Arc::new(Type::Dyn)),
            },
            BinaryOp::Update => match (left.shape(), right.shape()) {
                (Type::Record(a), Type::Record(b)) => Type::Record(Arc::new(update(a, b))),
                (l, r) if is_known_non(l, is_set_shape) || is_known_non(r, is_set_shape) => {
                    self.operator_error(op, op_span, lhs, &left, rhs, &right)
                }
                _ => Type::Dyn,
            },
            BinaryOp::And | BinaryOp::Or | BinaryOp::Implies => Type::Bool,
        }
    }

    fn operator_error(
        &mut self,
        op: BinaryOp,
        op_span: Span,
        lhs: &Expr,
        left: &Type,
        rhs: &Expr,
        right: &Type,
    ) -> Type {
        let diagnostic =
            report::bad_operands(self, op, op_span, (lhs.span, left), (rhs.span, right));
        self.error(diagnostic);
        Type::Dyn
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Category {
    Number,
    String,
    Path,
    Other,
}

/// What `+` sees of a type; `None` when it cannot tell.
fn category(ty: &Type) -> Option<Category> {
    match ty.shape() {
        Type::Int | Type::Float | Type::Number => Some(Category::Number),
        Type::String | Type::Literal(_) => Some(Category::String),
        Type::Path => Some(Category::Path),
        Type::Null | Type::Bool | Type::List(_) | Type::Function(..) => Some(Category::Other),
        // A set may have `__toString`/`outPath`.
        _ => None,
    }
}

fn number_result(left: &Type, right: &Type) -> Type {
    match (left.shape(), right.shape()) {
        (Type::Int, Type::Int) => Type::Int,
        (Type::Float, _) | (_, Type::Float) => Type::Float,
        _ => Type::Number,
    }
}

fn is_list_shape(ty: &Type) -> bool {
    matches!(ty, Type::List(_))
}

fn is_set_shape(ty: &Type) -> bool {
    matches!(ty, Type::Record(_) | Type::Map(_))
}

/// Whether a type is certainly not of the shape `is`.
fn is_known_non(ty: &Type, is: fn(&Type) -> bool) -> bool {
    !matches!(ty, Type::Dyn | Type::Never | Type::Union(_)) && !is(ty)
}

/// `a // b`: `b`'s fields win.
fn update(a: &Record, b: &Record) -> Record {
    let mut fields: Vec<Field> = a
        .fields
        .iter()
        .filter(|f| b.field(&f.name).is_none())
        .cloned()
        .collect();
    fields.extend(b.fields.iter().cloned());
    let mut types = a.types.clone();
    types.extend(b.types.iter().cloned());
    Record {
        fields,
        open: a.open || b.open,
        types,
    }
}
