//! [`Data`]: a fully evaluated value as plain, thread-safe data, with where each part was
//! written. This is what evaluation hands to the rest of the pipeline and what `mlc eval`
//! prints (readable form or strict JSON).

use super::data_attrs::DataAttrs;
use super::error::{ErrorExt, EvalError, EvalResult};
use super::limits;
use super::machine::Evaluator;
use super::numfmt;
use super::value::{Site, Thunk, Value};
use crate::diagnostic::{codes, FileName};
use crate::syntax::quote::{string_literal, Dollars};
use crate::syntax::Span;
use rustc_hash::FxHashSet;
use std::fmt::Write;
use std::rc::Rc;

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
    Attrs(DataAttrs),
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
            DataKind::Float(f) => match super::data_json::json_number(*f) {
                Some(number) => Json::Number(number),
                None => return Err(self.no_json_form()),
            },
            DataKind::String(s) | DataKind::Path(s) => Json::String(s.clone()),
            DataKind::List(items) => {
                let mut values = Vec::with_capacity(items.len());
                for item in items {
                    values.push(item.to_json()?);
                }
                Json::Array(values)
            }
            DataKind::Attrs(attrs) => {
                // Gathered at their final size, then built in bulk (in name order already).
                let mut entries = Vec::with_capacity(attrs.len());
                for (key, value) in attrs {
                    entries.push((key.clone(), value.to_json()?));
                }
                Json::Object(entries.into_iter().collect())
            }
            DataKind::Function(_) => return Err(self.no_json_form()),
        })
    }

    /// The error for a function or a non-finite float, at the place it was written.
    pub(super) fn no_json_form(&self) -> JsonError {
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
    /// lines when it does not fit in 80 columns. Linear in the size of the value: whether a
    /// part fits is measured only up to the room left, and each part is written once.
    pub fn pretty(&self) -> String {
        let mut out = String::new();
        self.write_pretty(&mut out, 0);
        out
    }

    fn write_pretty(&self, out: &mut String, indent: usize) {
        let room = 80usize.saturating_sub(indent);
        // Past the 80th column nothing fits any more: the rest is written on one line, so
        // that a deep value prints in its own size, not in its depth squared of indentation.
        if !matches!(self.kind, DataKind::List(_) | DataKind::Attrs(_))
            || room == 0
            || self.fits(room)
        {
            self.write_flat(out);
            return;
        }
        let pad = " ".repeat(indent + 2);
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || match &self.kind {
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
            _ => self.write_flat(out),
        });
    }

    /// Whether the one-line form is at most `room` bytes long; looks at no more of the
    /// value than that.
    fn fits(&self, room: usize) -> bool {
        self.flat_width(room).is_some()
    }

    /// The width of the one-line form, or `None` once it exceeds `room`.
    fn flat_width(&self, room: usize) -> Option<usize> {
        let scalar = |width: usize| (width <= room).then_some(width);
        match &self.kind {
            DataKind::List(items) if items.is_empty() => scalar(3),
            DataKind::List(items) => {
                let mut width = 3; // `[ ` and `]`
                for item in items {
                    width += item.flat_width(room.checked_sub(width)?)? + 1;
                    if width > room {
                        return None;
                    }
                }
                Some(width)
            }
            DataKind::Attrs(attrs) if attrs.is_empty() => scalar(3),
            DataKind::Attrs(attrs) => {
                let mut width = 3; // `{ ` and `}`
                for (key, value) in attrs {
                    width += attr_key(key).len() + 4; // ` = ` and `;`
                    width += value.flat_width(room.checked_sub(width)?)? + 1;
                    if width > room {
                        return None;
                    }
                }
                Some(width)
            }
            DataKind::String(text) | DataKind::Path(text) | DataKind::Function(text)
                if text.len() > room =>
            {
                None
            }
            _ => scalar(self.scalar_text().len()),
        }
    }

    /// The one-line form of a value that is not a non-empty list or set.
    fn scalar_text(&self) -> String {
        match &self.kind {
            DataKind::Null => "null".to_string(),
            DataKind::Bool(b) => b.to_string(),
            DataKind::Int(n) => n.to_string(),
            DataKind::Float(f) => numfmt::general(*f),
            DataKind::String(s) => quote(s),
            DataKind::Path(p) => p.clone(),
            DataKind::List(_) => "[ ]".to_string(),
            DataKind::Attrs(_) => "{ }".to_string(),
            DataKind::Function(name) => name.clone(),
        }
    }

    /// Writes the one-line form.
    fn write_flat(&self, out: &mut String) {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || match &self.kind {
            DataKind::List(items) if !items.is_empty() => {
                out.push_str("[ ");
                for item in items {
                    item.write_flat(out);
                    out.push(' ');
                }
                out.push(']');
            }
            DataKind::Attrs(attrs) if !attrs.is_empty() => {
                out.push_str("{ ");
                for (key, value) in attrs {
                    let _ = write!(out, "{} = ", attr_key(key));
                    value.write_flat(out);
                    out.push_str("; ");
                }
                out.push('}');
            }
            _ => out.push_str(&self.scalar_text()),
        });
    }
}

/// An infinite or NaN float in messages: "infinity (`-inf`)".
pub(super) fn non_finite(value: f64) -> String {
    let what = if value.is_nan() { "NaN" } else { "infinity" };
    format!("{what} (`{}`)", numfmt::general(value))
}

/// A string value as Nix prints it: `$` escaped only before `{`.
fn quote(text: &str) -> String {
    string_literal(text, Dollars::BeforeBrace)
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
        // A quoted attribute name, as Nix prints it: every `$` escaped.
        string_literal(key, Dollars::Every)
    }
}

/// How many steps of a path a message shows.
const PATH_STEPS_SHOWN: usize = 16;

/// One step of the path from the evaluated value to a part of it, for error traces.
pub(super) enum Step {
    Attr(std::rc::Rc<str>),
    Index(usize),
}

/// `spec.containers[0].image`: the path in the form a user reads it. A path longer than
/// [`PATH_STEPS_SHOWN`] steps shows its first and last steps around a count of the others,
/// so a message stays short however deep the value.
pub(super) fn path_text(steps: &[Step]) -> String {
    if steps.len() > PATH_STEPS_SHOWN {
        let half = PATH_STEPS_SHOWN / 2;
        let skipped = steps.len() - 2 * half;
        return format!(
            "{}.…({skipped} more)….{}",
            path_text(&steps[..half]),
            path_text(&steps[steps.len() - half..]).trim_start_matches('.')
        );
    }
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

/// The state of one [`Evaluator::force_data`] walk.
struct Walk {
    /// Where the walk is inside the value, for messages.
    steps: Vec<Step>,
    /// The lists and sets being forced right now (by address): meeting one again means the
    /// value contains itself (`let x = { a = x; }; in x`). Hashed by `FxHash`: the keys
    /// are addresses, and SipHash was a visible part of a build's time.
    open: FxHashSet<usize>,
    /// Values produced so far, against [`limits::MAX_DATA_NODES`].
    nodes: usize,
}

impl<'a> Evaluator<'a> {
    /// Forces `value` completely into [`Data`]. A value that contains itself is an error
    /// (it has no finite form), as is a result of more than [`limits::MAX_DATA_NODES`]
    /// values (a shared list printed as a tree can be exponentially larger than its
    /// program).
    pub fn force_data(&mut self, value: Value<'a>, origin: Option<Site>) -> EvalResult<Data> {
        let mut walk = Walk {
            steps: Vec::new(),
            open: FxHashSet::default(),
            nodes: 0,
        };
        self.force_data_at(value, origin, &mut walk)
    }

    /// Forces `value`, which is at `walk.steps` inside the value being forced (the path is
    /// only formatted when an error needs it).
    fn force_data_at(
        &mut self,
        value: Value<'a>,
        origin: Option<Site>,
        walk: &mut Walk,
    ) -> EvalResult<Data> {
        walk.nodes += 1;
        if walk.nodes > limits::MAX_DATA_NODES {
            return Err(limits::too_large(
                format!(
                    "the result holds more than {} values",
                    limits::MAX_DATA_NODES
                ),
                origin,
            ));
        }
        let origin_name = origin.and_then(|site| {
            self.files
                .get(site.file as usize)
                .map(|info| (info.display.clone(), site.span))
        });
        let address = match &value {
            Value::List(items) => Some(Rc::as_ptr(items) as *const () as usize),
            Value::Attrs(attrs) => Some(Rc::as_ptr(attrs) as *const () as usize),
            _ => None,
        };
        if let Some(address) = address {
            if !walk.open.insert(address) {
                let at = if walk.steps.is_empty() {
                    String::new()
                } else {
                    format!(" at `{}`", path_text(&walk.steps))
                };
                return Err(EvalError::new(
                    codes::E0402,
                    format!("this value contains itself{at}, so it has no finite form"),
                    origin,
                )
                .label("this value is inside itself"));
            }
        }
        let kind = match value {
            Value::Null => DataKind::Null,
            Value::Bool(b) => DataKind::Bool(b),
            Value::Int(n) => DataKind::Int(n),
            Value::Float(f) => DataKind::Float(f),
            // `String::from(&str)`, not `to_string()`: on an `Rc<str>` that goes through
            // `Display` and the formatter's padding, a fiftieth of a large build.
            Value::String(s) => DataKind::String(String::from(&*s)),
            Value::Path(p) => DataKind::Path(String::from(&*p)),
            Value::Lambda(_) => DataKind::Function("<lambda>".to_string()),
            Value::Builtin(app) => DataKind::Function(format!("<builtin {}>", app.builtin.name)),
            Value::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (index, item) in items.iter().enumerate() {
                    walk.steps.push(Step::Index(index));
                    let data = self.thunk_to_data(item, walk);
                    walk.steps.pop();
                    out.push(data?);
                }
                DataKind::List(out)
            }
            Value::Attrs(attrs) => {
                // In name order already: the vector is the set as it is.
                let mut out = Vec::with_capacity(attrs.len());
                for (key, thunk) in attrs.iter() {
                    walk.steps.push(Step::Attr(key.clone()));
                    let data = self.thunk_to_data(thunk, walk);
                    walk.steps.pop();
                    out.push((String::from(&**key), data?));
                }
                DataKind::Attrs(DataAttrs::from_sorted(out))
            }
        };
        if let Some(address) = address {
            walk.open.remove(&address);
        }
        Ok(Data {
            kind,
            origin: origin_name,
        })
    }

    fn thunk_to_data(&mut self, thunk: &Thunk<'a>, walk: &mut Walk) -> EvalResult<Data> {
        let site = thunk.site();
        let value = self.force(thunk).map_err(|e| match site {
            Some(site) => e.frame(
                site,
                format!("while evaluating `{}`", path_text(&walk.steps)),
            ),
            None => e,
        })?;
        self.nested(site, |ev| ev.force_data_at(value, site, walk))
    }

    /// Forces `value` completely, like `builtins.deepSeq`: each list and set is visited once,
    /// so a shared structure costs its size, not the size of its tree, and one that contains
    /// itself ends.
    pub fn deep_force(&mut self, value: Value<'a>, site: Site) -> EvalResult<()> {
        let mut seen = FxHashSet::default();
        self.deep_force_in(value, site, &mut seen)
    }

    fn deep_force_in(
        &mut self,
        value: Value<'a>,
        site: Site,
        seen: &mut FxHashSet<usize>,
    ) -> EvalResult<()> {
        let items: Vec<Thunk<'a>> = match &value {
            Value::List(items) if seen.insert(Rc::as_ptr(items) as *const () as usize) => {
                items.iter().cloned().collect()
            }
            Value::Attrs(attrs) if seen.insert(Rc::as_ptr(attrs) as *const () as usize) => {
                attrs.values().cloned().collect()
            }
            _ => return Ok(()),
        };
        for item in items {
            let value = self.force(&item)?;
            let at = item.site().unwrap_or(site);
            self.nested(Some(at), |ev| ev.deep_force_in(value, at, seen))?;
        }
        Ok(())
    }
}
