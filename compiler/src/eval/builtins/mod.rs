//! The builtins: Nix's pure builtins under `builtins.` and the usual global names, one
//! module per family, each implementation bound by name to its entry of the one table
//! ([`crate::builtins`]: arity, documentation, type). Impure builtins (getEnv, currentTime, readFile, fetch*) do not exist:
//! evaluation is hermetic.

mod arith;
mod attrs;
mod control;
mod hash;
mod json;
mod lists;
mod strings;
mod types;
mod versions;

use super::error::{EvalError, EvalResult};
use super::machine::Evaluator;
use super::value::{Attrs, BuiltinApp, Env, Scope, Site, Thunk, Value};
use crate::builtins::{Family, Global, CONSTANTS};
use std::collections::BTreeMap;
use std::rc::Rc;

/// A builtin function: its name and arity (from its entry in [`crate::builtins`]), and its
/// implementation, called once all arguments are there (unevaluated: each builtin forces
/// what it needs).
pub struct Builtin {
    pub name: &'static str,
    /// The entry's position in [`crate::builtins::BUILTINS`].
    pub index: usize,
    pub arity: usize,
    pub run: for<'a> fn(&mut Evaluator<'a>, &[Thunk<'a>], Site) -> EvalResult<Value<'a>>,
}

/// The implementation of the table's builtin `name`: its arity is the table's, read at
/// compile time (a name the table lacks does not compile).
macro_rules! builtin {
    ($name:literal, $run:path) => {
        $crate::eval::builtins::Builtin {
            name: $name,
            index: const { $crate::builtins::index($name) },
            arity: const { $crate::builtins::arity($name) },
            run: $run,
        }
    };
}
pub(crate) use builtin;

/// The implementations, one module per family of the table.
const FAMILIES: [(Family, &[Builtin]); 9] = [
    (Family::Numbers, arith::BUILTINS),
    (Family::Attrs, attrs::BUILTINS),
    (Family::Control, control::BUILTINS),
    (Family::Hashing, hash::BUILTINS),
    (Family::Json, json::BUILTINS),
    (Family::Lists, lists::BUILTINS),
    (Family::Strings, strings::BUILTINS),
    (Family::Types, types::BUILTINS),
    (Family::Versions, versions::BUILTINS),
];

/// Every implementation.
fn all() -> impl Iterator<Item = &'static Builtin> {
    FAMILIES
        .into_iter()
        .flat_map(|(_, builtins)| builtins.iter())
}

fn builtin_value<'a>(builtin: &'static Builtin) -> Value<'a> {
    Value::Builtin(Rc::new(BuiltinApp {
        builtin,
        args: Vec::new(),
    }))
}

fn constant<'a>(name: &str) -> Value<'a> {
    match name {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => Value::Null,
    }
}

/// The scope every file is evaluated in: `builtins` (every entry of the table), the
/// global builtins, and the constants (`true`, `false`, `null`), in the slots of
/// [`crate::builtins::globals`]' order (where the layout's globals point).
pub fn global_scope<'a>() -> Env<'a> {
    // Each entry's implementation by its index in the table (a test checks there is one).
    let mut by_index: Vec<Option<&'static Builtin>> = vec![None; crate::builtins::BUILTINS.len()];
    for builtin in all() {
        by_index[builtin.index] = Some(builtin);
    }
    let mut set: BTreeMap<Rc<str>, Thunk<'a>> = by_index
        .iter()
        .flatten()
        .map(|b| (Rc::from(b.name), Thunk::value(builtin_value(b))))
        .collect();
    for entry in CONSTANTS {
        set.insert(Rc::from(entry.name), Thunk::value(constant(entry.name)));
    }
    let builtins = Thunk::value(Value::Attrs(Rc::new(Attrs::from(set))));
    let slots = crate::builtins::globals()
        .map(|global| match global {
            Global::Builtins => builtins.clone(),
            Global::Builtin(index) => match by_index[index] {
                Some(builtin) => Thunk::value(builtin_value(builtin)),
                None => Thunk::value(Value::Null),
            },
            Global::Constant(entry) => Thunk::value(constant(entry.name)),
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
    Thunk::apply(function.clone(), arg, site)
}

pub fn list<'a>(items: Vec<Thunk<'a>>) -> Value<'a> {
    Value::List(Rc::new(items))
}

pub fn string<'a>(text: impl Into<Rc<str>>) -> Value<'a> {
    Value::String(text.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The evaluator and the table agree: every entry has exactly one implementation, in
    /// the module of its family, and every implementation an entry.
    #[test]
    fn every_entry_has_exactly_one_implementation_and_every_implementation_an_entry() {
        for entry in crate::builtins::BUILTINS {
            let found: Vec<Family> = FAMILIES
                .iter()
                .flat_map(|(family, builtins)| {
                    builtins
                        .iter()
                        .filter(|b| b.name == entry.name)
                        .map(move |_| *family)
                })
                .collect();
            assert_eq!(
                found,
                vec![entry.family],
                "`{}`: implemented in these families",
                entry.name
            );
        }
        for builtin in all() {
            let entry = crate::builtins::find(builtin.name);
            assert!(entry.is_some(), "`{}` is not in the table", builtin.name);
            assert_eq!(
                entry.map(|e| e.arity),
                Some(builtin.arity),
                "{}",
                builtin.name
            );
            assert_eq!(
                crate::builtins::BUILTINS.get(builtin.index).map(|e| e.name),
                Some(builtin.name),
                "the index of `{}`",
                builtin.name
            );
        }
    }
}
