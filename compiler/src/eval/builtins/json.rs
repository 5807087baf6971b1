//! JSON: `toJSON` (as Nix prints it) and `fromJSON`.

use super::{arg, builtin, force_string, list, string, Builtin};
use crate::diagnostic::codes;
use crate::eval::error::{EvalError, EvalResult};
use crate::eval::machine::Evaluator;
use crate::eval::value::{Attrs, Site, Thunk, Value};
use std::rc::Rc;

pub static BUILTINS: &[Builtin] = &[builtin!("toJSON", to_json), builtin!("fromJSON", from_json)];

fn to_json<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    let value = ev.force(arg(args, 0))?;
    let errors = crate::eval::json_out::JsonErrors {
        code: codes::E0401,
        origin: Some(site),
    };
    ev.json_text(value, &errors).map(string)
}

fn from_json<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    let text = force_string(ev, arg(args, 0), site, "to parse as JSON")?;
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|error| {
        EvalError::new(codes::E0413, format!("invalid JSON: {error}"), Some(site))
    })?;
    Ok(convert(&json))
}

fn convert<'a>(json: &serde_json::Value) -> Value<'a> {
    use serde_json::Value as Json;
    match json {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => string(s.as_str()),
        Json::Array(items) => list(
            items
                .iter()
                .map(|item| Thunk::value(convert(item)))
                .collect(),
        ),
        Json::Object(map) => Value::Attrs(Rc::new(
            map.iter()
                .map(|(k, v)| (Rc::from(k.as_str()), Thunk::value(convert(v))))
                .collect::<Attrs>(),
        )),
    }
}
