//! `mlc import`: a Helm values file of the MLflow chart to an `.mlc` file a person keeps.
//! It sets only what differs from the chart's defaults, in the values file's order and with
//! its comments, single keys as dotted paths (`metrics.enabled = true;`), formatted as
//! `mlc fmt` would, under a comment that names the source file. Nulls are carried through
//! (in Helm, `key: null` removes the chart's default). A key the chart does not know is an
//! error at its line and column with the closest option; `yaml` reads the file as Helm does,
//! and `report` makes each error a diagnostic shown in the values file.
//!
//! Numbers written as strings (`port: "8080"`) become numbers where the option is an
//! integer: the chart writes such values into the manifests as `{{ .Values.port }}`, where
//! the quotes are gone.

mod print;
pub mod report;
pub mod yaml;

use crate::diagnostic::{codes, did_you_mean, Code};
use crate::types::Type;
use serde_json::Value as Json;
use yaml::{Entry, Node, Pos, Value};

/// A values file that cannot be imported: where, what, and perhaps a suggestion
/// (`report::diagnostic` makes it a diagnostic).
#[derive(Debug, PartialEq)]
pub struct Error {
    pub code: Code,
    pub pos: Pos,
    /// How many characters at `pos` are at fault (a key), or 0: the YAML token there.
    pub width: usize,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
    /// Another place that explains this one, with what it is.
    pub related: Option<(Pos, String)>,
    /// The text that fixes those characters (the closest option's name), if one edit does.
    pub replacement: Option<String>,
}

impl From<yaml::Error> for Error {
    fn from(error: yaml::Error) -> Self {
        Error {
            code: codes::E0601,
            pos: error.pos,
            width: 0,
            message: error.message,
            label: error.label.to_string(),
            help: None,
            related: error.related,
            replacement: None,
        }
    }
}

/// What `mlc import` needs to know of the chart: the `Options` type and its defaults.
pub struct Chart<'a> {
    pub options: &'a Type,
    pub defaults: &'a Json,
}

/// The `.mlc` text for the values file `text` (called `source` in the header comment),
/// a deployment named `name` in `namespace`.
pub fn import(
    chart: &Chart<'_>,
    source: &str,
    text: &str,
    name: &str,
    namespace: &str,
) -> Result<String, Box<Error>> {
    let mut root = yaml::parse(text).map_err(|e| Box::new(Error::from(e)))?;
    let Value::Map(entries) = &mut root.value else {
        return Err(Box::new(Error {
            code: codes::E0603,
            pos: root.pos,
            width: 0,
            message: format!(
                "a values file is a mapping of options, and this one is {}",
                kind(&root.value)
            ),
            label: format!("{} where the options should be", kind(&root.value)),
            help: Some(
                "write `key: value` lines at the top level, such as `replicaCount: 2`".into(),
            ),
            related: None,
            replacement: None,
        }));
    };
    check_entries(entries, chart.options, "")?;
    empty_value_options(entries, chart.defaults);
    let options = difference(entries, chart.defaults);
    Ok(print::file(source, name, namespace, &options))
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Int(_) | Value::Float(_) => "a number",
        Value::String(_) => "a string",
        Value::List(_) => "a list",
        Value::Map(_) => "a mapping",
    }
}

/// The record type in `ty` (under names and `?`), if any.
fn record(ty: &Type) -> Option<&crate::types::Record> {
    match ty.shape() {
        Type::Record(record) => Some(record),
        Type::Union(members) => members.iter().find_map(|m| record(m)),
        _ => None,
    }
}

fn element(ty: &Type) -> Option<&Type> {
    match ty.shape() {
        Type::List(item) => Some(item),
        Type::Union(members) => members.iter().find_map(element),
        _ => None,
    }
}

fn map_value(ty: &Type) -> Option<&Type> {
    match ty.shape() {
        Type::Map(item) => Some(item),
        Type::Union(members) => members.iter().find_map(map_value),
        _ => None,
    }
}

/// Whether `ty` takes integers and no strings.
fn integer(ty: &Type) -> bool {
    fn takes(ty: &Type, int: &mut bool, string: &mut bool) {
        match ty.shape() {
            Type::Int | Type::Number => *int = true,
            Type::String | Type::Literal(_) | Type::Dyn => *string = true,
            Type::Union(members) => members.iter().for_each(|m| takes(m, int, string)),
            _ => {}
        }
    }
    let (mut int, mut string) = (false, false);
    takes(ty, &mut int, &mut string);
    int && !string
}

/// Checks every key against the options (unknown ones are errors) and turns numbers
/// written as strings into numbers where the option is an integer. Walks without
/// recursion, so any depth the reader accepted is fine.
fn check_entries(entries: &mut [Entry], ty: &Type, path: &str) -> Result<(), Box<Error>> {
    let mut todo: Vec<(&mut Node, &Type, String)> = Vec::new();
    push_entries(entries, ty, path, &mut todo)?;
    while let Some((node, ty, path)) = todo.pop() {
        let value = &mut node.value;
        match value {
            Value::String(text) if integer(ty) => {
                let number = text.trim().parse::<i64>().ok();
                if let Some(n) = number {
                    *value = Value::Int(n);
                }
            }
            Value::Map(entries) => {
                if let Some(item) = map_value(ty) {
                    for entry in entries.iter_mut() {
                        let path = format!("{path}.{}", entry.key);
                        todo.push((&mut entry.value, item, path));
                    }
                } else {
                    push_entries(entries, ty, &path, &mut todo)?;
                }
            }
            Value::List(items) => {
                if let Some(item) = element(ty) {
                    for (i, node) in items.iter_mut().enumerate() {
                        todo.push((node, item, format!("{path}[{i}]")));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Queues the entries of a mapping whose option type is `ty`; a key that a closed record
/// does not declare is an error.
fn push_entries<'a>(
    entries: &'a mut [Entry],
    ty: &'a Type,
    path: &str,
    todo: &mut Vec<(&'a mut Node, &'a Type, String)>,
) -> Result<(), Box<Error>> {
    let Some(record) = record(ty) else {
        return Ok(());
    };
    for entry in entries.iter_mut() {
        let full = if path.is_empty() {
            entry.key.clone()
        } else {
            format!("{path}.{}", entry.key)
        };
        match record.field(&entry.key) {
            // `name` and `namespace` are the release's, given on the command line.
            Some(_) if path.is_empty() && (entry.key == "name" || entry.key == "namespace") => {
                return Err(Box::new(unknown(entry, &full, record, path)));
            }
            Some(field) => todo.push((&mut entry.value, &field.ty, full)),
            None if record.open => {}
            None => return Err(Box::new(unknown(entry, &full, record, path))),
        }
    }
    Ok(())
}

fn unknown(entry: &Entry, full: &str, record: &crate::types::Record, path: &str) -> Error {
    let release = path.is_empty() && (entry.key == "name" || entry.key == "namespace");
    let names = record
        .fields
        .iter()
        .map(|f| &*f.name)
        .filter(|n| !(path.is_empty() && (*n == "name" || *n == "namespace")));
    let similar = if release {
        None
    } else {
        did_you_mean(&entry.key, names)
    };
    let help = if release {
        Some(format!(
            "the release's {} is given on the command line: `mlc import --{} ...`",
            entry.key, entry.key
        ))
    } else {
        similar.map(|n| {
            if path.is_empty() {
                format!("did you mean `{n}`?")
            } else {
                format!("did you mean `{path}.{n}`?")
            }
        })
    };
    Error {
        code: codes::E0602,
        pos: entry.pos,
        width: entry.key.chars().count(),
        message: format!("`{full}` is not an option of the MLflow chart"),
        label: if path.is_empty() {
            "not an option of the chart".to_string()
        } else {
            format!("not an option of `{path}`")
        },
        help,
        related: None,
        replacement: similar.map(str::to_string),
    }
}

/// The chart renders each `server.value_options` entry as `--key={{ $val }}`. Helm's null
/// removes a key the chart's values.yaml sets (`workers`), but one it does not set stays,
/// and prints as `--key=`: that is the empty string.
fn empty_value_options(entries: &mut [Entry], defaults: &Json) {
    let chart = &defaults["server"]["value_options"];
    for server in entries.iter_mut().filter(|e| e.key == "server") {
        let Value::Map(server) = &mut server.value.value else {
            continue;
        };
        for options in server.iter_mut().filter(|e| e.key == "value_options") {
            let Value::Map(options) = &mut options.value.value else {
                continue;
            };
            for option in options.iter_mut() {
                let in_chart = chart.get(&option.key).is_some_and(|d| !d.is_null());
                if option.value.value == Value::Null && !in_chart {
                    option.value.value = Value::String(String::new());
                }
            }
        }
    }
}

/// The entries that differ from `defaults`: maps are compared key by key (Helm merges
/// them), anything else whole (lists replace). Order and comments are kept.
fn difference(entries: &[Entry], defaults: &Json) -> Vec<Entry> {
    let mut out = Vec::new();
    for entry in entries {
        let default = defaults.get(&entry.key);
        let value = match (&entry.value.value, default) {
            (Value::Map(inner), Some(default @ Json::Object(_))) => {
                let changed = difference(inner, default);
                if changed.is_empty() {
                    continue;
                }
                Node {
                    value: Value::Map(changed),
                    pos: entry.value.pos,
                }
            }
            (value, Some(default)) if same(value, default) => continue,
            _ => entry.value.clone(),
        };
        out.push(Entry {
            value,
            ..entry.clone()
        });
    }
    out
}

/// Whether a values-file value equals a default (YAML's `5000` and the library's `5000`).
fn same(value: &Value, default: &Json) -> bool {
    match (value, default) {
        (Value::Null, Json::Null) => true,
        (Value::Bool(a), Json::Bool(b)) => a == b,
        (Value::Int(a), Json::Number(b)) => b.as_i64() == Some(*a),
        (Value::Float(a), Json::Number(b)) => b.as_f64() == Some(*a),
        (Value::String(a), Json::String(b)) => a == b,
        (Value::List(a), Json::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(&x.value, y))
        }
        (Value::Map(a), Json::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|e| b.get(&e.key).is_some_and(|d| same(&e.value.value, d)))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests;
