//! The builtins: Nix's pure builtins under `builtins.` and the usual global names, one
//! module per family. Impure builtins (getEnv, currentTime, readFile, fetch*) do not exist:
//! evaluation is hermetic.

mod arith;
mod attrs;
mod control;
pub mod docs;
mod hash;
mod json;
mod lists;
mod strings;
mod types;
mod versions;

use super::error::{EvalError, EvalResult};
use super::machine::Evaluator;
use super::value::{Attrs, BuiltinApp, Env, Scope, Site, Thunk, Value};
use std::collections::BTreeMap;
use std::rc::Rc;

/// A builtin function: its name, how many arguments it takes, and its implementation,
/// called once all arguments are there (unevaluated: each builtin forces what it needs).
pub struct Builtin {
    pub name: &'static str,
    pub arity: usize,
    pub run: for<'a> fn(&mut Evaluator<'a>, &[Thunk<'a>], Site) -> EvalResult<Value<'a>>,
}

macro_rules! builtin {
    ($name:literal, $arity:literal, $run:path) => {
        $crate::eval::builtins::Builtin {
            name: $name,
            arity: $arity,
            run: $run,
        }
    };
}
pub(crate) use builtin;

/// Every builtin, in name order within each family.
fn all() -> impl Iterator<Item = &'static Builtin> {
    arith::BUILTINS
        .iter()
        .chain(attrs::BUILTINS)
        .chain(control::BUILTINS)
        .chain(hash::BUILTINS)
        .chain(json::BUILTINS)
        .chain(lists::BUILTINS)
        .chain(strings::BUILTINS)
        .chain(types::BUILTINS)
        .chain(versions::BUILTINS)
}

/// The names visible in every file's scope (for the static scope check and completion).
pub fn global_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = GLOBAL_NAMES.to_vec();
    names.extend(["builtins", "true", "false", "null"]);
    names
}

/// The names of every builtin (for completion and documentation).
pub fn names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = all().map(|b| b.name).collect();
    names.sort_unstable();
    names
}

/// Every builtin's name and arity (for the type checker's default signatures).
pub fn arities() -> impl Iterator<Item = (&'static str, usize)> {
    all().map(|b| (b.name, b.arity))
}

/// Names available without `builtins.`, as in Nix.
pub const GLOBAL_NAMES: &[&str] = &[
    "abort",
    "baseNameOf",
    "dirOf",
    "import",
    "isNull",
    "map",
    "removeAttrs",
    "throw",
    "toString",
];

fn builtin_value<'a>(builtin: &'static Builtin) -> Value<'a> {
    Value::Builtin(Rc::new(BuiltinApp {
        builtin,
        args: Vec::new(),
    }))
}

fn find(name: &str) -> Option<&'static Builtin> {
    all().find(|b| b.name == name)
}

/// The scope every file is evaluated in: `builtins`, the global names, `true`, `false`,
/// `null`, in the slots of [`global_names`]' order (where the layout's globals point).
pub fn global_scope<'a>() -> Env<'a> {
    let mut set: BTreeMap<Rc<str>, Thunk<'a>> = all()
        .map(|b| (Rc::from(b.name), Thunk::value(builtin_value(b))))
        .collect();
    set.insert(Rc::from("true"), Thunk::value(Value::Bool(true)));
    set.insert(Rc::from("false"), Thunk::value(Value::Bool(false)));
    set.insert(Rc::from("null"), Thunk::value(Value::Null));
    let builtins = Thunk::value(Value::Attrs(Rc::new(Attrs::from(set))));
    let slots = global_names()
        .into_iter()
        .map(|name| match name {
            "true" => Thunk::value(Value::Bool(true)),
            "false" => Thunk::value(Value::Bool(false)),
            "null" => Thunk::value(Value::Null),
            "builtins" => builtins.clone(),
            _ => find(name).map_or_else(
                || Thunk::value(Value::Null),
                |b| Thunk::value(builtin_value(b)),
            ),
        })
        .collect();
    Scope::slots(None, slots)
}

/// A function that selects `key` from its argument: what `inherit (s) key;` binds.
pub fn select_function<'a>(key: Rc<str>) -> Value<'a> {
    Value::Builtin(Rc::new(BuiltinApp {
        builtin: &attrs::GET_ATTR,
        args: vec![Thunk::value(Value::String(key))],
    }))
}

// ---- helpers for builtin implementations -------------------------------------------------

pub fn arg<'a, 'b>(args: &'b [Thunk<'a>], index: usize) -> &'b Thunk<'a> {
    // Builtins are only called with exactly `arity` arguments.
    &args[index]
}

pub fn force_int<'a>(
    ev: &mut Evaluator<'a>,
    thunk: &Thunk<'a>,
    site: Site,
    what: &str,
) -> EvalResult<i64> {
    match ev.force(thunk)? {
        Value::Int(n) => Ok(n),
        other => Err(EvalError::type_error(
            &format!("an integer {what}"),
            other.described(),
            Some(site),
        )),
    }
}

pub fn force_bool<'a>(
    ev: &mut Evaluator<'a>,
    thunk: &Thunk<'a>,
    site: Site,
    what: &str,
) -> EvalResult<bool> {
    match ev.force(thunk)? {
        Value::Bool(b) => Ok(b),
        other => Err(EvalError::type_error(
            &format!("a Boolean {what}"),
            other.described(),
            Some(site),
        )),
    }
}

pub fn force_string<'a>(
    ev: &mut Evaluator<'a>,
    thunk: &Thunk<'a>,
    site: Site,
    what: &str,
) -> EvalResult<Rc<str>> {
    match ev.force(thunk)? {
        Value::String(s) => Ok(s),
        Value::Path(p) => Ok(p),
        other => Err(EvalError::type_error(
            &format!("a string {what}"),
            other.described(),
            Some(site),
        )),
    }
}

pub fn force_list<'a>(
    ev: &mut Evaluator<'a>,
    thunk: &Thunk<'a>,
    site: Site,
    what: &str,
) -> EvalResult<Rc<Vec<Thunk<'a>>>> {
    match ev.force(thunk)? {
        Value::List(items) => Ok(items),
        other => Err(EvalError::type_error(
            &format!("a list {what}"),
            other.described(),
            Some(site),
        )),
    }
}

pub fn force_attrs<'a>(
    ev: &mut Evaluator<'a>,
    thunk: &Thunk<'a>,
    site: Site,
    what: &str,
) -> EvalResult<Rc<Attrs<'a>>> {
    match ev.force(thunk)? {
        Value::Attrs(attrs) => Ok(attrs),
        other => Err(EvalError::type_error(
            &format!("an attribute set {what}"),
            other.described(),
            Some(site),
        )),
    }
}

pub fn force_function<'a>(
    ev: &mut Evaluator<'a>,
    thunk: &Thunk<'a>,
    site: Site,
    what: &str,
) -> EvalResult<Value<'a>> {
    match ev.force(thunk)? {
        value @ (Value::Lambda(_) | Value::Builtin(_)) => Ok(value),
        value @ Value::Attrs(_) => Ok(value),
        other => Err(EvalError::type_error(
            &format!("a function {what}"),
            other.described(),
            Some(site),
        )),
    }
}

/// Calls `function` with the arguments, one at a time.
pub fn call<'a>(
    ev: &mut Evaluator<'a>,
    function: &Value<'a>,
    args: Vec<Thunk<'a>>,
    site: Site,
) -> EvalResult<Value<'a>> {
    let mut value = function.clone();
    for arg in args {
        value = ev.apply(value, arg, site)?;
    }
    Ok(value)
}

/// A thunk for `function arg`, applied only when forced (keeps `map` lazy).
pub fn lazy_call<'a>(function: &Value<'a>, arg: Thunk<'a>, site: Site) -> Thunk<'a> {
    Thunk::new(super::value::ThunkState::Apply {
        func: function.clone(),
        arg,
        site,
    })
}

pub fn list<'a>(items: Vec<Thunk<'a>>) -> Value<'a> {
    Value::List(Rc::new(items))
}

pub fn string<'a>(text: impl Into<Rc<str>>) -> Value<'a> {
    Value::String(text.into())
}
