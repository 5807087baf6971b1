//! Arithmetic and bit operations as functions: `add`, `sub`, `mul`, `div`, `lessThan`,
//! `bitAnd`, `bitOr`, `bitXor`, `ceil`, `floor`.

use super::{arg, builtin, force_int, Builtin};
use crate::eval::error::{EvalError, EvalResult};
use crate::eval::machine::Evaluator;
use crate::eval::ops::arithmetic;
use crate::eval::value::{Site, Thunk, Value};
use crate::syntax::BinaryOp;
use std::cmp::Ordering;

pub static BUILTINS: &[Builtin] = &[
    builtin!("add", add),
    builtin!("sub", sub),
    builtin!("mul", mul),
    builtin!("div", div),
    builtin!("lessThan", less_than),
    builtin!("bitAnd", bit_and),
    builtin!("bitOr", bit_or),
    builtin!("bitXor", bit_xor),
    builtin!("ceil", ceil),
    builtin!("floor", floor),
];

fn op<'a>(
    ev: &mut Evaluator<'a>,
    args: &[Thunk<'a>],
    site: Site,
    op: BinaryOp,
) -> EvalResult<Value<'a>> {
    let a = ev.force(arg(args, 0))?;
    let b = ev.force(arg(args, 1))?;
    arithmetic(op, &a, &b, site, site, site)
}

fn add<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    op(ev, args, site, BinaryOp::Add)
}
fn sub<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    op(ev, args, site, BinaryOp::Sub)
}
fn mul<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    op(ev, args, site, BinaryOp::Mul)
}
fn div<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    op(ev, args, site, BinaryOp::Div)
}

fn less_than<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    let a = ev.force(arg(args, 0))?;
    let b = ev.force(arg(args, 1))?;
    Ok(Value::Bool(ev.compare(&a, &b, site)? == Ordering::Less))
}

fn bits<'a>(
    ev: &mut Evaluator<'a>,
    args: &[Thunk<'a>],
    site: Site,
    f: fn(i64, i64) -> i64,
) -> EvalResult<Value<'a>> {
    let a = force_int(ev, arg(args, 0), site, "as the first operand")?;
    let b = force_int(ev, arg(args, 1), site, "as the second operand")?;
    Ok(Value::Int(f(a, b)))
}

fn bit_and<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    bits(ev, args, site, |a, b| a & b)
}
fn bit_or<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    bits(ev, args, site, |a, b| a | b)
}
fn bit_xor<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    bits(ev, args, site, |a, b| a ^ b)
}

fn round<'a>(
    ev: &mut Evaluator<'a>,
    args: &[Thunk<'a>],
    site: Site,
    f: fn(f64) -> f64,
) -> EvalResult<Value<'a>> {
    match ev.force(arg(args, 0))? {
        Value::Int(n) => Ok(Value::Int(n)),
        Value::Float(x) => {
            let rounded = f(x);
            if rounded.is_finite() && rounded.abs() < 9.2e18 {
                Ok(Value::Int(rounded as i64))
            } else {
                Err(EvalError::new(
                    crate::diagnostic::codes::E0403,
                    format!("{x} does not fit in an integer"),
                    Some(site),
                ))
            }
        }
        other => Err(EvalError::type_error(
            "a number",
            other.described(),
            Some(site),
        )),
    }
}

fn ceil<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    round(ev, args, site, f64::ceil)
}
fn floor<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    round(ev, args, site, f64::floor)
}
