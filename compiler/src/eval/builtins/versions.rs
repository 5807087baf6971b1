//! Version strings as Nix compares them: `splitVersion`, `compareVersions`.

use super::{arg, builtin, force_string, list, string, Builtin};
use crate::eval::error::EvalResult;
use crate::eval::machine::Evaluator;
use crate::eval::value::{Site, Thunk, Value};
use std::cmp::Ordering;

pub static BUILTINS: &[Builtin] = &[
    builtin!("splitVersion", split_version),
    builtin!("compareVersions", compare_versions),
];

/// The components of a version: runs of digits, or runs of other non-separator chars;
/// `.` and `-` separate.
fn components(version: &str) -> Vec<&str> {
    let bytes = version.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'.' || bytes[i] == b'-' {
            i += 1;
            continue;
        }
        let start = i;
        let digits = bytes[i].is_ascii_digit();
        while i < bytes.len()
            && bytes[i] != b'.'
            && bytes[i] != b'-'
            && bytes[i].is_ascii_digit() == digits
        {
            i += 1;
        }
        out.push(&version[start..i]);
    }
    out
}

fn component_less(a: &str, b: &str) -> bool {
    let a_num = a.parse::<u64>().ok().filter(|_| !a.is_empty());
    let b_num = b.parse::<u64>().ok().filter(|_| !b.is_empty());
    match (a_num, b_num) {
        (Some(x), Some(y)) => x < y,
        _ if a.is_empty() && b_num.is_some() => true,
        _ if a == "pre" && b != "pre" => true,
        _ if b == "pre" => false,
        (_, Some(_)) => true,
        (Some(_), _) => false,
        _ => a < b,
    }
}

pub fn compare(a: &str, b: &str) -> Ordering {
    let (ca, cb) = (components(a), components(b));
    for i in 0..ca.len().max(cb.len()) {
        let x = ca.get(i).copied().unwrap_or("");
        let y = cb.get(i).copied().unwrap_or("");
        if component_less(x, y) {
            return Ordering::Less;
        }
        if component_less(y, x) {
            return Ordering::Greater;
        }
    }
    Ordering::Equal
}

fn split_version<'a>(
    ev: &mut Evaluator<'a>,
    args: &[Thunk<'a>],
    site: Site,
) -> EvalResult<Value<'a>> {
    let version = force_string(ev, arg(args, 0), site, "as the version")?;
    Ok(list(
        components(&version)
            .into_iter()
            .map(|c| Thunk::value(string(c)))
            .collect(),
    ))
}

fn compare_versions<'a>(
    ev: &mut Evaluator<'a>,
    args: &[Thunk<'a>],
    site: Site,
) -> EvalResult<Value<'a>> {
    let a = force_string(ev, arg(args, 0), site, "as the first version")?;
    let b = force_string(ev, arg(args, 1), site, "as the second version")?;
    Ok(Value::Int(match compare(&a, &b) {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    }))
}
