//! String functions: `toString`, `stringLength`, `substring`, `replaceStrings`,
//! `concatStringsSep`, `split`, `match`, `baseNameOf`, `dirOf`.

use super::{arg, builtin, force_int, force_list, force_string, list, string, Builtin};
use crate::diagnostic::codes;
use crate::eval::error::{ErrorExt, EvalError, EvalResult};
use crate::eval::limits;
use crate::eval::machine::Evaluator;
use crate::eval::value::{Site, Thunk, Value};
use crate::regexes::{Groups, Regex};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

pub static BUILTINS: &[Builtin] = &[
    builtin!("toString", to_string),
    builtin!("stringLength", string_length),
    builtin!("substring", substring),
    builtin!("replaceStrings", replace_strings),
    builtin!("concatStringsSep", concat_strings_sep),
    builtin!("split", split),
    builtin!("match", match_),
    builtin!("baseNameOf", base_name_of),
    builtin!("dirOf", dir_of),
];

fn to_string<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    let value = ev.force(arg(args, 0))?;
    Ok(string(ev.coerce_to_string(&value, true, site)?))
}

fn string_length<'a>(
    ev: &mut Evaluator<'a>,
    args: &[Thunk<'a>],
    site: Site,
) -> EvalResult<Value<'a>> {
    let value = ev.force(arg(args, 0))?;
    let text = ev.coerce_to_string(&value, false, site)?;
    // Nix counts bytes.
    Ok(Value::Int(text.len() as i64))
}

fn substring<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    let start = force_int(ev, arg(args, 0), site, "as the start of `substring`")?;
    let len = force_int(ev, arg(args, 1), site, "as the length of `substring`")?;
    let value = ev.force(arg(args, 2))?;
    let text = ev.coerce_to_string(&value, false, site)?;
    if start < 0 {
        return Err(EvalError::new(
            codes::E0412,
            "negative start position in `substring`",
            Some(site),
        ));
    }
    let bytes = text.as_bytes();
    let start = (start as usize).min(bytes.len());
    let end = if len < 0 {
        bytes.len()
    } else {
        start.saturating_add(len as usize).min(bytes.len())
    };
    // Nix works on bytes; a cut through a multi-byte character keeps what is valid.
    Ok(string(
        String::from_utf8_lossy(&bytes[start..end]).into_owned(),
    ))
}

fn replace_strings<'a>(
    ev: &mut Evaluator<'a>,
    args: &[Thunk<'a>],
    site: Site,
) -> EvalResult<Value<'a>> {
    let from_list = force_list(ev, arg(args, 0), site, "of patterns for `replaceStrings`")?;
    let to_list = force_list(
        ev,
        arg(args, 1),
        site,
        "of replacements for `replaceStrings`",
    )?;
    if from_list.len() != to_list.len() {
        return Err(EvalError::new(
            codes::E0412,
            "`replaceStrings` needs as many replacements as patterns",
            Some(site),
        ));
    }
    let mut from = Vec::with_capacity(from_list.len());
    for item in from_list.iter() {
        from.push(force_string(ev, item, site, "as a pattern")?);
    }
    let mut to: Vec<Option<String>> = vec![None; to_list.len()];
    let text = force_string(ev, arg(args, 2), site, "to replace in")?;
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    while pos <= text.len() {
        let mut matched = false;
        for (index, pattern) in from.iter().enumerate() {
            if text[pos..].starts_with(&**pattern) {
                if to[index].is_none() {
                    to[index] = Some(
                        force_string(ev, &to_list[index], site, "as a replacement")?.to_string(),
                    );
                }
                limits::push_str_within(&mut out, to[index].as_deref().unwrap_or_default(), site)?;
                matched = true;
                if pattern.is_empty() {
                    if let Some(c) = text[pos..].chars().next() {
                        out.push(c);
                        pos += c.len_utf8();
                    } else {
                        pos += 1;
                    }
                } else {
                    pos += pattern.len();
                }
                break;
            }
        }
        if !matched {
            match text[pos..].chars().next() {
                Some(c) => {
                    out.push(c);
                    pos += c.len_utf8();
                }
                None => break,
            }
        }
    }
    Ok(string(out))
}

fn concat_strings_sep<'a>(
    ev: &mut Evaluator<'a>,
    args: &[Thunk<'a>],
    site: Site,
) -> EvalResult<Value<'a>> {
    let separator = force_string(ev, arg(args, 0), site, "as the separator")?;
    let items = force_list(ev, arg(args, 1), site, "for `concatStringsSep`")?;
    let mut out = String::new();
    for (index, item) in items.iter().enumerate() {
        let value = ev.force(item)?;
        let part = ev.coerce_to_string(&value, false, site)?;
        if index > 0 {
            limits::push_str_within(&mut out, &separator, site)?;
        }
        limits::push_str_within(&mut out, &part, site)?;
    }
    Ok(string(out))
}

thread_local! {
    /// Compiled regular expressions, by pattern: `match` and `split` are often called in
    /// loops with the same pattern. Shared, not cloned: a cloned `Regex` starts with empty
    /// matching caches, which costs more than the match.
    static REGEXES: RefCell<HashMap<String, Rc<Regex>>> = RefCell::new(HashMap::new());
}

fn regex(pattern: &str, anchored: bool, site: Site) -> EvalResult<Rc<Regex>> {
    let key = format!("{anchored}:{pattern}");
    if let Some(found) = REGEXES.with(|cache| cache.borrow().get(&key).cloned()) {
        return Ok(found);
    }
    let source = if anchored {
        format!("^(?:{pattern})$")
    } else {
        pattern.to_string()
    };
    let compiled = Regex::new(&source).map_err(|reason| {
        EvalError::new(
            codes::E0413,
            format!("invalid regular expression `{pattern}`: {reason}"),
            Some(site),
        )
        .label("not a valid regular expression")
    })?;
    let compiled = Rc::new(compiled);
    REGEXES.with(|cache| {
        let mut cache = cache.borrow_mut();
        // Bounded, so that a long-lived process evaluating many patterns stays small.
        if cache.len() >= 256 {
            cache.clear();
        }
        cache.insert(key, compiled.clone());
    });
    Ok(compiled)
}

fn captures_list<'a>(text: &str, groups: &Groups) -> Value<'a> {
    list(
        groups
            .iter()
            .skip(1)
            .map(|group| {
                Thunk::value(
                    group
                        .clone()
                        .map_or(Value::Null, |range| string(&text[range])),
                )
            })
            .collect(),
    )
}

fn match_<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    let pattern = force_string(ev, arg(args, 0), site, "as the regular expression")?;
    let text = force_string(ev, arg(args, 1), site, "to match")?;
    let regex = regex(&pattern, true, site)?;
    // Without groups the answer is `[ ]` or `null`: a search that tracks no groups is
    // cheaper.
    if regex.captures_len() == 1 {
        return Ok(if regex.is_match(&text) {
            list(Vec::new())
        } else {
            Value::Null
        });
    }
    Ok(match regex.captures(&text) {
        Some(groups) => captures_list(&text, &groups),
        None => Value::Null,
    })
}

fn split<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    let pattern = force_string(ev, arg(args, 0), site, "as the regular expression")?;
    let text = force_string(ev, arg(args, 1), site, "to split")?;
    let regex = regex(&pattern, false, site)?;
    let mut out = Vec::new();
    let mut last = 0;
    for groups in regex.captures_all(&text) {
        let Some(Some(whole)) = groups.first() else {
            continue;
        };
        out.push(Thunk::value(string(&text[last..whole.start])));
        last = whole.end;
        out.push(Thunk::value(captures_list(&text, &groups)));
    }
    out.push(Thunk::value(string(&text[last..])));
    Ok(list(out))
}

fn base_name_of<'a>(
    ev: &mut Evaluator<'a>,
    args: &[Thunk<'a>],
    site: Site,
) -> EvalResult<Value<'a>> {
    let value = ev.force(arg(args, 0))?;
    let text = ev.coerce_to_string(&value, false, site)?;
    let trimmed = text.strip_suffix('/').unwrap_or(&text);
    let base = trimmed.rsplit('/').next().unwrap_or(trimmed);
    Ok(string(base))
}

fn dir_of<'a>(ev: &mut Evaluator<'a>, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
    let value = ev.force(arg(args, 0))?;
    let is_path = matches!(value, Value::Path(_));
    let text = ev.coerce_to_string(&value, false, site)?;
    let dir = match text.rfind('/') {
        Some(0) => "/".to_string(),
        Some(index) => text[..index].to_string(),
        None => ".".to_string(),
    };
    Ok(if is_path {
        Value::Path(dir.into())
    } else {
        string(dir)
    })
}
