//! List functions: `length`, `head`, `tail`, `elemAt`, `elem`, `filter`, `map`, `foldl'`,
//! `genList`, `concatLists`, `concatMap`, `any`, `all`, `sort`, `partition`, `groupBy`.

use super::{
    arg, builtin, call, force_bool, force_function, force_int, force_list, force_string, lazy_call,
    list, Builtin,
};
use crate::diagnostic::codes;
use crate::eval::error::{EvalError, EvalResult};
use crate::eval::machine::Evaluator;
use crate::eval::value::{Attrs, Site, Thunk, Value};
use std::collections::BTreeMap;
use std::rc::Rc;

pub static BUILTINS: &[Builtin] = &[
    builtin!("length", length),
    builtin!("head", head),
    builtin!("tail", tail),
    builtin!("elemAt", elem_at),
    builtin!("elem", elem),
    builtin!("filter", filter),
    builtin!("map", map),
    builtin!("foldl'", foldl),
    builtin!("genList", gen_list),
    builtin!("concatLists", concat_lists),
    builtin!("concatMap", concat_map),
    builtin!("any", any),
    builtin!("all", all),
    builtin!("sort", sort),
    builtin!("partition", partition),
    builtin!("groupBy", group_by),
];

fn length<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    Ok(Value::Int(
        force_list(ev, arg(args, 0), site, "for `length`")?.len() as i64,
    ))
}

fn head<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    let items = force_list(ev, arg(args, 0), site, "for `head`")?;
    match items.first() {
        Some(first) => ev.force(first),
        None => Err(EvalError::new(
            codes::E0412,
            "`head` of an empty list",
            Some(site),
        )),
    }
}

fn tail<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    let items = force_list(ev, arg(args, 0), site, "for `tail`")?;
    if items.is_empty() {
        return Err(EvalError::new(
            codes::E0412,
            "`tail` of an empty list",
            Some(site),
        ));
    }
    Ok(list(items[1..].to_vec()))
}

fn elem_at<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    let items = force_list(ev, arg(args, 0), site, "for `elemAt`")?;
    let index = force_int(ev, arg(args, 1), site, "as the index")?;
    match usize::try_from(index).ok().and_then(|i| items.get(i)) {
        Some(item) => ev.force(item),
        None => Err(EvalError::new(
            codes::E0412,
            format!(
                "index {index} is out of bounds for a list of length {}",
                items.len()
            ),
            Some(site),
        )),
    }
}

fn elem<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    let needle = ev.force(arg(args, 0))?;
    let items = force_list(ev, arg(args, 1), site, "for `elem`")?;
    for item in items.iter() {
        let item = ev.force(item)?;
        if ev.equal(&needle, &item, site)? {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

fn filter<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    let predicate = force_function(ev, arg(args, 0), site, "for `filter`")?;
    let items = force_list(ev, arg(args, 1), site, "for `filter`")?;
    let mut kept = Vec::new();
    for item in items.iter() {
        let keep = call(ev, &predicate, vec![item.clone()], site)?;
        match keep {
            Value::Bool(true) => kept.push(item.clone()),
            Value::Bool(false) => {}
            other => {
                return Err(EvalError::type_error(
                    "a Boolean from the `filter` predicate",
                    other.described(),
                    Some(site),
                ))
            }
        }
    }
    Ok(list(kept))
}

fn map<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    let function = force_function(ev, arg(args, 0), site, "for `map`")?;
    let items = force_list(ev, arg(args, 1), site, "for `map`")?;
    Ok(list(
        items
            .iter()
            .map(|item| lazy_call(&function, item.clone(), site))
            .collect(),
    ))
}

fn foldl<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    let function = force_function(ev, arg(args, 0), site, "for `foldl'`")?;
    let mut acc = ev.force(arg(args, 1))?;
    let items = force_list(ev, arg(args, 2), site, "for `foldl'`")?;
    for item in items.iter() {
        acc = call(ev, &function, vec![Thunk::value(acc), item.clone()], site)?;
    }
    Ok(acc)
}

fn gen_list<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    let function = force_function(ev, arg(args, 0), site, "for `genList`")?;
    let count = force_int(ev, arg(args, 1), site, "as the length for `genList`")?;
    if count < 0 {
        return Err(EvalError::new(
            codes::E0412,
            format!("cannot create a list of length {count}"),
            Some(site),
        ));
    }
    crate::eval::limits::check_list_len(usize::try_from(count).unwrap_or(usize::MAX), site)?;
    Ok(list(
        (0..count)
            .map(|i| lazy_call(&function, Thunk::value(Value::Int(i)), site))
            .collect(),
    ))
}

fn concat_lists<'a>(
    ev: &mut Evaluator<'a>,
    args: &[Thunk<'a>],
    site: Site,
) -> EvalResult<Value<'a>> {
    let lists = force_list(ev, arg(args, 0), site, "for `concatLists`")?;
    let mut out = Vec::new();
    for inner in lists.iter() {
        let inner = force_list(ev, inner, site, "in the list given to `concatLists`")?;
        crate::eval::limits::extend_within(&mut out, &inner, site)?;
    }
    Ok(list(out))
}

fn concat_map<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    let function = force_function(ev, arg(args, 0), site, "for `concatMap`")?;
    let items = force_list(ev, arg(args, 1), site, "for `concatMap`")?;
    let mut out = Vec::new();
    for item in items.iter() {
        match call(ev, &function, vec![item.clone()], site)? {
            Value::List(inner) => crate::eval::limits::extend_within(&mut out, &inner, site)?,
            other => {
                return Err(EvalError::type_error(
                    "a list from the `concatMap` function",
                    other.described(),
                    Some(site),
                ))
            }
        }
    }
    Ok(list(out))
}

fn quantifier<'a>(
    ev: &mut Evaluator<'a>,
    args: &[Thunk<'a>],
    site: Site,
    want: bool,
) -> EvalResult<Value<'a>> {
    let predicate = force_function(ev, arg(args, 0), site, "as the predicate")?;
    let items = force_list(ev, arg(args, 1), site, "to test")?;
    for item in items.iter() {
        let result = call(ev, &predicate, vec![item.clone()], site)?;
        let result = force_bool(ev, &Thunk::value(result), site, "from the predicate")?;
        if result == want {
            return Ok(Value::Bool(want));
        }
    }
    Ok(Value::Bool(!want))
}

fn any<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    quantifier(ev, args, site, true)
}

fn all<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    quantifier(ev, args, site, false)
}

/// A stable merge sort that calls the user's comparator (which may fail).
fn sort<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    let comparator = force_function(ev, arg(args, 0), site, "as the comparator for `sort`")?;
    let items = force_list(ev, arg(args, 1), site, "for `sort`")?;
    let mut items: Vec<Thunk<'a>> = items.to_vec();
    let mut buffer = Vec::with_capacity(items.len());
    let mut width = 1;
    while width < items.len() {
        buffer.clear();
        let mut start = 0;
        while start < items.len() {
            let middle = (start + width).min(items.len());
            let end = (start + 2 * width).min(items.len());
            let (mut i, mut j) = (start, middle);
            while i < middle && j < end {
                let less = call(
                    ev,
                    &comparator,
                    vec![items[j].clone(), items[i].clone()],
                    site,
                )?;
                let less = force_bool(ev, &Thunk::value(less), site, "from the `sort` comparator")?;
                if less {
                    buffer.push(items[j].clone());
                    j += 1;
                } else {
                    buffer.push(items[i].clone());
                    i += 1;
                }
            }
            buffer.extend_from_slice(&items[i..middle]);
            buffer.extend_from_slice(&items[j..end]);
            start = end;
        }
        std::mem::swap(&mut items, &mut buffer);
        width *= 2;
    }
    Ok(list(items))
}

fn partition<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    let predicate = force_function(ev, arg(args, 0), site, "for `partition`")?;
    let items = force_list(ev, arg(args, 1), site, "for `partition`")?;
    let (mut right, mut wrong) = (Vec::new(), Vec::new());
    for item in items.iter() {
        let result = call(ev, &predicate, vec![item.clone()], site)?;
        if force_bool(
            ev,
            &Thunk::value(result),
            site,
            "from the `partition` predicate",
        )? {
            right.push(item.clone());
        } else {
            wrong.push(item.clone());
        }
    }
    let mut map = BTreeMap::new();
    map.insert(Rc::from("right"), Thunk::value(list(right)));
    map.insert(Rc::from("wrong"), Thunk::value(list(wrong)));
    Ok(Value::Attrs(Rc::new(Attrs::from(map))))
}

fn group_by<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    let function = force_function(ev, arg(args, 0), site, "for `groupBy`")?;
    let items = force_list(ev, arg(args, 1), site, "for `groupBy`")?;
    let mut groups: BTreeMap<Rc<str>, Vec<Thunk<'a>>> = BTreeMap::new();
    for item in items.iter() {
        let key = call(ev, &function, vec![item.clone()], site)?;
        let key = force_string(ev, &Thunk::value(key), site, "as the group name")?;
        groups.entry(key).or_default().push(item.clone());
    }
    let map: Attrs<'_> = groups
        .into_iter()
        .map(|(k, v)| (k, Thunk::value(list(v))))
        .collect();
    Ok(Value::Attrs(Rc::new(map)))
}
