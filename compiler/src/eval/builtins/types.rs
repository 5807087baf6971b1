//! Type predicates: `typeOf`, `isNull`, `isInt`, ... .

use super::{arg, builtin, string, Builtin};
use crate::eval::error::EvalResult;
use crate::eval::machine::Evaluator;
use crate::eval::value::{Site, Thunk, Value};

pub static BUILTINS: &[Builtin] = &[
    builtin!("typeOf", type_of),
    builtin!("isNull", is_null),
    builtin!("isInt", is_int),
    builtin!("isFloat", is_float),
    builtin!("isBool", is_bool),
    builtin!("isString", is_string),
    builtin!("isPath", is_path),
    builtin!("isList", is_list),
    builtin!("isAttrs", is_attrs),
    builtin!("isFunction", is_function),
];

fn type_of<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], _: Site) -> EvalResult<Value<'a>> {
    Ok(string(ev.force(arg(args, 0))?.type_name()))
}

fn is_type<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], name: &str) -> EvalResult<Value<'a>> {
    Ok(Value::Bool(ev.force(arg(args, 0))?.type_name() == name))
}

fn is_null<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], _: Site) -> EvalResult<Value<'a>> {
    is_type(ev, args, "null")
}
fn is_int<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], _: Site) -> EvalResult<Value<'a>> {
    is_type(ev, args, "int")
}
fn is_float<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], _: Site) -> EvalResult<Value<'a>> {
    is_type(ev, args, "float")
}
fn is_bool<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], _: Site) -> EvalResult<Value<'a>> {
    is_type(ev, args, "bool")
}
fn is_string<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], _: Site) -> EvalResult<Value<'a>> {
    is_type(ev, args, "string")
}
fn is_path<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], _: Site) -> EvalResult<Value<'a>> {
    is_type(ev, args, "path")
}
fn is_list<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], _: Site) -> EvalResult<Value<'a>> {
    is_type(ev, args, "list")
}
fn is_attrs<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], _: Site) -> EvalResult<Value<'a>> {
    is_type(ev, args, "set")
}
fn is_function<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], _: Site) -> EvalResult<Value<'a>> {
    is_type(ev, args, "lambda")
}
