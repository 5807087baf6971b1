//! Attribute-set functions: `attrNames`, `attrValues`, `hasAttr`, `getAttr`,
//! `listToAttrs`, `mapAttrs`, `removeAttrs`, `intersectAttrs`, `catAttrs`, `zipAttrsWith`,
//! `functionArgs`.

use super::{
    arg, builtin, force_attrs, force_function, force_list, force_string, lazy_call, list, string,
    Builtin,
};
use crate::diagnostic::{codes, did_you_mean};
use crate::eval::error::{ErrorExt, EvalError, EvalResult};
use crate::eval::machine::Evaluator;
use crate::eval::value::{Attrs, BuiltinApp, Site, Thunk, Value};
use crate::syntax::Param;
use std::collections::BTreeMap;
use std::rc::Rc;

pub static GET_ATTR: Builtin = builtin!("getAttr", get_attr);

pub static BUILTINS: &[Builtin] = &[
    builtin!("attrNames", attr_names),
    builtin!("attrValues", attr_values),
    builtin!("hasAttr", has_attr),
    builtin!("getAttr", get_attr),
    builtin!("listToAttrs", list_to_attrs),
    builtin!("mapAttrs", map_attrs),
    builtin!("removeAttrs", remove_attrs),
    builtin!("intersectAttrs", intersect_attrs),
    builtin!("catAttrs", cat_attrs),
    builtin!("zipAttrsWith", zip_attrs_with),
    builtin!("functionArgs", function_args),
];

fn attrs_value<'a>(map: BTreeMap<Rc<str>, Thunk<'a>>) -> Value<'a> {
    Value::Attrs(Rc::new(Attrs::from(map)))
}

fn attr_names<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    let attrs = force_attrs(ev, arg(args, 0), site, "for `attrNames`")?;
    Ok(list(
        attrs
            .keys()
            .map(|k| Thunk::value(string(k.clone())))
            .collect(),
    ))
}

fn attr_values<'a>(
    ev: &mut Evaluator<'a>,
    args: &[Thunk<'a>],
    site: Site,
) -> EvalResult<Value<'a>> {
    let attrs = force_attrs(ev, arg(args, 0), site, "for `attrValues`")?;
    Ok(list(attrs.values().cloned().collect()))
}

fn has_attr<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    let name = force_string(ev, arg(args, 0), site, "as the attribute name")?;
    let attrs = force_attrs(ev, arg(args, 1), site, "for `hasAttr`")?;
    Ok(Value::Bool(attrs.get(&name).is_some()))
}

fn get_attr<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    let name = force_string(ev, arg(args, 0), site, "as the attribute name")?;
    let attrs = force_attrs(ev, arg(args, 1), site, "to select from")?;
    match attrs.get(&name).cloned() {
        Some(thunk) => ev.force(&thunk),
        None => {
            let mut error = EvalError::new(
                codes::E0408,
                format!("attribute `{name}` missing"),
                Some(site),
            );
            if let Some(similar) = did_you_mean(&name, attrs.keys().map(|k| &**k)) {
                error = error.help(format!("did you mean `{similar}`?"));
            }
            Err(error)
        }
    }
}

fn list_to_attrs<'a>(
    ev: &mut Evaluator<'a>,
    args: &[Thunk<'a>],
    site: Site,
) -> EvalResult<Value<'a>> {
    let items = force_list(ev, arg(args, 0), site, "for `listToAttrs`")?;
    let mut map = BTreeMap::new();
    for item in items.iter() {
        let entry = force_attrs(ev, item, site, "with `name` and `value` in `listToAttrs`")?;
        let (Some(name), Some(value)) = (entry.get("name").cloned(), entry.get("value").cloned())
        else {
            return Err(EvalError::new(
                codes::E0408,
                "each element of `listToAttrs` needs `name` and `value`",
                Some(site),
            ));
        };
        let name = force_string(ev, &name, site, "as `name` in `listToAttrs`")?;
        // The first occurrence of a name wins, as in Nix.
        map.entry(name).or_insert(value);
    }
    Ok(attrs_value(map))
}

fn map_attrs<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    let function = force_function(ev, arg(args, 0), site, "for `mapAttrs`")?;
    let attrs = force_attrs(ev, arg(args, 1), site, "for `mapAttrs`")?;
    let map = attrs
        .iter()
        .map(|(name, value)| {
            (
                name.clone(),
                lazy_call2(&function, name, value.clone(), site),
            )
        })
        .collect();
    Ok(attrs_value(map))
}

/// A thunk for `function name value`, applied only when forced: keeps `mapAttrs` and
/// `zipAttrsWith` lazy in every attribute.
fn lazy_call2<'a>(function: &Value<'a>, name: &Rc<str>, value: Thunk<'a>, site: Site) -> Thunk<'a> {
    let partial = lazy_call(function, Thunk::value(string(name.clone())), site);
    let apply_partial = Value::Builtin(Rc::new(BuiltinApp {
        builtin: &APPLY_THUNK,
        args: vec![partial],
    }));
    lazy_call(&apply_partial, value, site)
}

/// Forces its first argument (a function) and applies it to the second.
static APPLY_THUNK: Builtin = builtin!("mapAttrs", apply_thunk);

fn apply_thunk<'a>(
    ev: &mut Evaluator<'a>,
    args: &[Thunk<'a>],
    site: Site,
) -> EvalResult<Value<'a>> {
    let function = ev.force(arg(args, 0))?;
    ev.apply(function, arg(args, 1).clone(), site)
}

fn remove_attrs<'a>(
    ev: &mut Evaluator<'a>,
    args: &[Thunk<'a>],
    site: Site,
) -> EvalResult<Value<'a>> {
    let attrs = force_attrs(ev, arg(args, 0), site, "for `removeAttrs`")?;
    let names = force_list(ev, arg(args, 1), site, "of names for `removeAttrs`")?;
    let mut removed = Vec::with_capacity(names.len());
    for name in names.iter() {
        removed.push(force_string(ev, name, site, "as a name to remove")?);
    }
    Ok(Value::Attrs(Rc::new(
        attrs.filter(|name| !removed.iter().any(|r| **r == *name)),
    )))
}

fn intersect_attrs<'a>(
    ev: &mut Evaluator<'a>,
    args: &[Thunk<'a>],
    site: Site,
) -> EvalResult<Value<'a>> {
    let first = force_attrs(ev, arg(args, 0), site, "for `intersectAttrs`")?;
    let second = force_attrs(ev, arg(args, 1), site, "for `intersectAttrs`")?;
    let map = second
        .iter()
        .filter(|(name, _)| first.get(name).is_some())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Ok(attrs_value(map))
}

fn cat_attrs<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    let name = force_string(ev, arg(args, 0), site, "as the attribute name")?;
    let items = force_list(ev, arg(args, 1), site, "for `catAttrs`")?;
    let mut out = Vec::new();
    for item in items.iter() {
        let attrs = force_attrs(ev, item, site, "in the list given to `catAttrs`")?;
        if let Some(value) = attrs.get(&name) {
            out.push(value.clone());
        }
    }
    Ok(list(out))
}

fn zip_attrs_with<'a>(
    ev: &mut Evaluator<'a>,
    args: &[Thunk<'a>],
    site: Site,
) -> EvalResult<Value<'a>> {
    let function = force_function(ev, arg(args, 0), site, "for `zipAttrsWith`")?;
    let sets = force_list(ev, arg(args, 1), site, "for `zipAttrsWith`")?;
    let mut grouped: BTreeMap<Rc<str>, Vec<Thunk<'a>>> = BTreeMap::new();
    for set in sets.iter() {
        let attrs = force_attrs(ev, set, site, "in the list given to `zipAttrsWith`")?;
        for (name, value) in attrs.iter() {
            grouped.entry(name.clone()).or_default().push(value.clone());
        }
    }
    let map = grouped
        .into_iter()
        .map(|(name, values)| {
            let thunk = lazy_call2(&function, &name, Thunk::value(list(values)), site);
            (name, thunk)
        })
        .collect();
    Ok(attrs_value(map))
}

fn function_args<'a>(
    ev: &mut Evaluator<'a>,
    args: &[Thunk<'a>],
    site: Site,
) -> EvalResult<Value<'a>> {
    match ev.force(arg(args, 0))? {
        Value::Lambda(lambda) => {
            let map = match lambda.param {
                Param::Ident { .. } => BTreeMap::new(),
                Param::Pattern { fields, .. } => fields
                    .iter()
                    .map(|f| {
                        (
                            Rc::from(&*f.name),
                            Thunk::value(Value::Bool(f.default.is_some())),
                        )
                    })
                    .collect(),
            };
            Ok(attrs_value(map))
        }
        Value::Builtin(_) => Ok(attrs_value(BTreeMap::new())),
        other => Err(EvalError::type_error(
            "a function for `functionArgs`",
            other.described(),
            Some(site),
        )),
    }
}
