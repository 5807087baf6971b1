//! [`Data`]: a fully evaluated value as plain, thread-safe data, with where each part was
//! written. This is what evaluation hands to the rest of the pipeline and what `mlc eval`
//! prints (readable form or strict JSON).

use super::error::{ErrorExt, EvalResult};
use super::machine::Evaluator;
use super::numfmt;
use super::value::{Site, Thunk, Value};
use crate::diagnostic::FileName;
use crate::syntax::Span;
use std::collections::BTreeMap;
use std::fmt::Write;

#[derive(Clone, Debug, PartialEq)]
pub struct Data {
    pub kind: DataKind,
    /// The file and span of the expression that produced this value, when known.
    pub origin: Option<(FileName, Span)>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum DataKind {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    Path(String),
    List(Vec<Data>),
    Attrs(BTreeMap<String, Data>),
    /// A function, which has no data form; the text says which (`<lambda>`, `<builtin map>`).
    Function(String),
}

/// Why a value has no JSON form, and where the part without one was written.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonError {
    /// What the part is: "a function", "infinity (`inf`)".
    pub what: String,
    pub origin: Option<(FileName, Span)>,
}

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot convert {} to JSON", self.what)
    }
}

impl Data {
    /// Strict JSON, like `nix-instantiate --eval --strict --json`: attribute names sorted,
    /// paths as strings. Functions, infinities and NaN have no JSON form.
    pub fn to_json(&self) -> Result<serde_json::Value, JsonError> {
        use serde_json::Value as Json;
        Ok(match &self.kind {
            DataKind::Null => Json::Null,
            DataKind::Bool(b) => Json::Bool(*b),
            DataKind::Int(n) => Json::from(*n),
            DataKind::Float(f) => {
                // Nix prints floats with `%g`; keep that precision so output agrees.
                let printed: f64 = numfmt::general(*f).parse().unwrap_or(*f);
                match serde_json::Number::from_f64(printed) {
                    Some(number) => Json::Number(number),
                    None => return Err(self.no_json_form()),
                }
            }
            DataKind::String(s) | DataKind::Path(s) => Json::String(s.clone()),
            DataKind::List(items) => {
                Json::Array(items.iter().map(Data::to_json).collect::<Result<_, _>>()?)
            }
            DataKind::Attrs(attrs) => Json::Object(
                attrs
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), v.to_json()?)))
                    .collect::<Result<_, JsonError>>()?,
            ),
            DataKind::Function(_) => return Err(self.no_json_form()),
        })
    }

    /// The error for a function or a non-finite float, at the place it was written.
    fn no_json_form(&self) -> JsonError {
        let what = match &self.kind {
            DataKind::Float(f) => non_finite(*f),
            _ => "a function".to_string(),
        };
        JsonError {
            what,
            origin: self.origin.clone(),
        }
    }

    /// JSON text as Nix prints it (floats in `%g` form, e.g. `100` for `100.0`).
    pub fn to_json_string(&self) -> Result<String, JsonError> {
        let mut out = String::new();
        self.write_json(&mut out)?;
        Ok(out)
    }

    fn write_json(&self, out: &mut String) -> Result<(), JsonError> {
        match &self.kind {
            DataKind::Float(f) if f.is_finite() => out.push_str(&numfmt::general(*f)),
            DataKind::List(items) => {
                out.push('[');
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        out.push(',');
                    }
                    item.write_json(out)?;
                }
                out.push(']');
            }
            DataKind::Attrs(attrs) => {
                out.push('{');
                for (index, (key, value)) in attrs.iter().enumerate() {
                    if index > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::Value::String(key.clone()).to_string());
                    out.push(':');
                    value.write_json(out)?;
                }
                out.push('}');
            }
            _ => out.push_str(&self.to_json()?.to_string()),
        }
        Ok(())
    }

    /// A readable, Nix-like rendering: `{ a = 1; b = [ 1 2 ]; }`, broken over indented
    /// lines when it does not fit in 80 columns.
    pub fn pretty(&self) -> String {
        let mut out = String::new();
        self.write_pretty(&mut out, 0);
        out
    }

    fn write_pretty(&self, out: &mut String, indent: usize) {
        let flat = self.flat();
        if flat.len() + indent <= 80 || !matches!(self.kind, DataKind::List(_) | DataKind::Attrs(_))
        {
            out.push_str(&flat);
            return;
        }
        let pad = " ".repeat(indent + 2);
        match &self.kind {
            DataKind::List(items) => {
                out.push_str("[\n");
                for item in items {
                    out.push_str(&pad);
                    item.write_pretty(out, indent + 2);
                    out.push('\n');
                }
                let _ = write!(out, "{}]", " ".repeat(indent));
            }
            DataKind::Attrs(attrs) => {
                out.push_str("{\n");
                for (key, value) in attrs {
                    let _ = write!(out, "{pad}{} = ", attr_key(key));
                    value.write_pretty(out, indent + 2);
                    out.push_str(";\n");
                }
                let _ = write!(out, "{}}}", " ".repeat(indent));
            }
            _ => out.push_str(&flat),
        }
    }

    fn flat(&self) -> String {
        match &self.kind {
            DataKind::Null => "null".to_string(),
            DataKind::Bool(b) => b.to_string(),
            DataKind::Int(n) => n.to_string(),
            DataKind::Float(f) => numfmt::general(*f),
            DataKind::String(s) => quote(s),
            DataKind::Path(p) => p.clone(),
            DataKind::List(items) if items.is_empty() => "[ ]".to_string(),
            DataKind::List(items) => {
                let inner: Vec<String> = items.iter().map(Data::flat).collect();
                format!("[ {} ]", inner.join(" "))
            }
            DataKind::Attrs(attrs) if attrs.is_empty() => "{ }".to_string(),
            DataKind::Attrs(attrs) => {
                let inner: Vec<String> = attrs
                    .iter()
                    .map(|(k, v)| format!("{} = {};", attr_key(k), v.flat()))
                    .collect();
                format!("{{ {} }}", inner.join(" "))
            }
            DataKind::Function(name) => name.clone(),
        }
    }
}

/// An infinite or NaN float in messages: "infinity (`-inf`)".
pub(super) fn non_finite(value: f64) -> String {
    let what = if value.is_nan() { "NaN" } else { "infinity" };
    format!("{what} (`{}`)", numfmt::general(value))
}

/// A string literal as Nix prints it.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' => out.push_str("\\$"),
            other => out.push(other),
        }
    }
    out.push('"');
    out
}

fn attr_key(key: &str) -> String {
    let plain = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '\''));
    if plain {
        key.to_string()
    } else {
        quote(key)
    }
}

/// One step of the path from the evaluated value to a part of it, for error traces.
pub(super) enum Step {
    Attr(std::rc::Rc<str>),
    Index(usize),
}

/// `spec.containers[0].image`: the path in the form a user reads it.
pub(super) fn path_text(steps: &[Step]) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Attr(name) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            Step::Index(index) => {
                let _ = write!(out, "[{index}]");
            }
        }
    }
    out
}

impl<'a> Evaluator<'a> {
    /// Forces `value` completely into [`Data`].
    pub fn force_data(&mut self, value: Value<'a>, origin: Option<Site>) -> EvalResult<Data> {
        self.force_data_at(value, origin, &mut Vec::new())
    }

    /// Forces `value`, which is at `path` inside the value being forced (the path is only
    /// formatted when an error needs it).
    fn force_data_at(
        &mut self,
        value: Value<'a>,
        origin: Option<Site>,
        path: &mut Vec<Step>,
    ) -> EvalResult<Data> {
        let origin_name = origin.and_then(|site| {
            self.files
                .get(site.file as usize)
                .map(|info| (info.display.clone(), site.span))
        });
        let kind = match value {
            Value::Null => DataKind::Null,
            Value::Bool(b) => DataKind::Bool(b),
            Value::Int(n) => DataKind::Int(n),
            Value::Float(f) => DataKind::Float(f),
            Value::String(s) => DataKind::String(s.to_string()),
            Value::Path(p) => DataKind::Path(p.to_string()),
            Value::Lambda(_) => DataKind::Function("<lambda>".to_string()),
            Value::Builtin(app) => DataKind::Function(format!("<builtin {}>", app.builtin.name)),
            Value::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (index, item) in items.iter().enumerate() {
                    path.push(Step::Index(index));
                    let data = self.thunk_to_data(item, path);
                    path.pop();
                    out.push(data?);
                }
                DataKind::List(out)
            }
            Value::Attrs(attrs) => {
                let mut out = BTreeMap::new();
                for (key, thunk) in attrs.iter() {
                    path.push(Step::Attr(key.clone()));
                    let data = self.thunk_to_data(thunk, path);
                    path.pop();
                    out.insert(key.to_string(), data?);
                }
                DataKind::Attrs(out)
            }
        };
        Ok(Data {
            kind,
            origin: origin_name,
        })
    }

    fn thunk_to_data(&mut self, thunk: &Thunk<'a>, path: &mut Vec<Step>) -> EvalResult<Data> {
        let site = thunk.site();
        let value = self.force(thunk).map_err(|e| match site {
            Some(site) => e.frame(site, format!("while evaluating `{}`", path_text(path))),
            None => e,
        })?;
        stacker::maybe_grow(256 * 1024, 4 * 1024 * 1024, || {
            self.force_data_at(value, site, path)
        })
    }
}
