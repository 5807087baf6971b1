//! Reference documentation of a record type, generated from its declaration: every field
//! (nested fields as dotted paths) with its type, default and doc comment, as a Markdown
//! table. `mlc doc` prints it; the README's option reference is this output, checked by a
//! test, so the documentation cannot drift from the code.

use super::ty::{Default, Field, Type};

/// The Markdown reference of `ty`'s fields; `default_text` gives a default's source text.
pub fn markdown(ty: &Type, default_text: &dyn Fn(&Default) -> Option<String>) -> String {
    let mut out =
        String::from("| option | type | default | description |\n| --- | --- | --- | --- |\n");
    if let Some(record) = ty.as_record() {
        for field in &record.fields {
            row(&mut out, "", field, default_text);
        }
    }
    out
}

fn row(
    out: &mut String,
    prefix: &str,
    field: &Field,
    default_text: &dyn Fn(&Default) -> Option<String>,
) {
    let path = format!("{prefix}{}", field.name);
    let doc = field
        .doc
        .as_deref()
        .unwrap_or("")
        .replace('\n', " ")
        .replace('|', "\\|");
    // A section: a record whose fields are documented one by one below it. A section that
    // may be null (`{ ... }? = { }`, Helm's `key: null`) says so in its type cell.
    let filled = match &field.default {
        None => true,
        Some(default) => default_text(default).is_some_and(|text| text.trim() == "{ }"),
    };
    if let (Some((record, nullable)), true) = (section(&field.ty), filled) {
        if !record.fields.is_empty() {
            let ty = if nullable { "`{ ... }?`" } else { "" };
            out.push_str(&format!("| **`{path}`** | {ty} | | {doc} |\n"));
            for inner in &record.fields {
                row(out, &format!("{path}."), inner, default_text);
            }
            return;
        }
    }
    let ty = cell(&field.ty.to_string());
    let default = match &field.default {
        Some(default) => default_text(default)
            .map(|text| cell(&text.split_whitespace().collect::<Vec<_>>().join(" ")))
            .unwrap_or_default(),
        None if field.ty.accepts_null() => "`null`".to_string(),
        None => "*required*".to_string(),
    };
    out.push_str(&format!("| `{path}` | {ty} | {default} | {doc} |\n"));
}

/// The record under `ty` when it is written inline (not a named type: those are one row).
fn section(ty: &Type) -> Option<(&std::sync::Arc<super::ty::Record>, bool)> {
    match ty {
        Type::Record(record) => Some((record, false)),
        Type::Union(members) => match &members[..] {
            [Type::Record(record), Type::Null] | [Type::Null, Type::Record(record)] => {
                Some((record, true))
            }
            _ => None,
        },
        _ => None,
    }
}

/// Inline code in a table cell: backticks, pipes escaped.
fn cell(text: &str) -> String {
    format!("`{}`", text.replace('|', "\\|"))
}
