//! From evaluated data to Kubernetes manifests: collect the objects a file evaluates to
//! (one object, a list, nested lists), check that each is an object Kubernetes can take
//! (`apiVersion`, `kind`, `metadata.name`), order them as Helm installs them, and render
//! YAML or JSON byte for byte the same on every run.
//!
//! Not yet: checking every field against the real schema (k8s-openapi types for built-in
//! kinds, our own for the chart's CRDs); today an unknown field passes through.

mod order;
mod render;

pub use render::{file_name, to_json, to_yaml};

use crate::diagnostic::{codes, Diagnostic, FileName};
use crate::eval::{Data, DataKind};
use crate::syntax::Span;

/// One Kubernetes object, as JSON, with where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Manifest {
    pub kind: String,
    pub name: String,
    pub value: serde_json::Value,
}

/// The objects `data` holds, in Helm's install order, or why it holds none.
pub fn manifests(data: &Data, entry: &FileName) -> Result<Vec<Manifest>, Vec<Diagnostic>> {
    let mut objects = Vec::new();
    let mut errors = Vec::new();
    collect(data, entry, &mut objects, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    order::sort(&mut objects);
    Ok(objects)
}

fn collect(
    data: &Data,
    entry: &FileName,
    objects: &mut Vec<Manifest>,
    errors: &mut Vec<Diagnostic>,
) {
    match &data.kind {
        DataKind::List(items) => {
            for item in items {
                collect(item, entry, objects, errors);
            }
        }
        DataKind::Attrs(attrs) => {
            let text = |key: &str| match attrs.get(key).map(|d| &d.kind) {
                Some(DataKind::String(s)) => Some(s.clone()),
                _ => None,
            };
            let name = match attrs.get("metadata").map(|d| &d.kind) {
                Some(DataKind::Attrs(metadata)) => match metadata.get("name").map(|d| &d.kind) {
                    Some(DataKind::String(name)) => Some(name.clone()),
                    _ => None,
                },
                _ => None,
            };
            match (text("apiVersion"), text("kind"), name) {
                (Some(_), Some(kind), Some(name)) => match data.to_json() {
                    Ok(value) => objects.push(Manifest { kind, name, value }),
                    Err(message) => errors.push(not_an_object(data, entry, &message)),
                },
                (api_version, kind, name) => {
                    let mut missing = Vec::new();
                    if api_version.is_none() {
                        missing.push("`apiVersion`");
                    }
                    if kind.is_none() {
                        missing.push("`kind`");
                    }
                    if name.is_none() {
                        missing.push("`metadata.name`");
                    }
                    errors.push(not_an_object(
                        data,
                        entry,
                        &format!(
                            "this set is not a Kubernetes object: it has no {}",
                            missing.join(", ")
                        ),
                    ));
                }
            }
        }
        other => {
            let what = match other {
                DataKind::Function(_) => "a function",
                DataKind::String(_) => "a string",
                DataKind::Null => "null",
                _ => "a value that is not an object",
            };
            errors.push(not_an_object(
                data,
                entry,
                &format!(
                    "expected Kubernetes objects (attribute sets or lists of them), found {what}"
                ),
            ));
        }
    }
}

fn not_an_object(data: &Data, entry: &FileName, message: &str) -> Diagnostic {
    let (file, span) = data
        .origin
        .clone()
        .unwrap_or_else(|| (entry.clone(), Span::default()));
    Diagnostic::error(codes::E0501, message.to_string(), file, span)
        .with_help("`mlc build` takes a file that evaluates to an object, a list of objects, or `mlflow.deployment { ... }`")
}
