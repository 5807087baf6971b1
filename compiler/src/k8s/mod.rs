//! From evaluated data to Kubernetes manifests: collect the objects a file evaluates to
//! (one object, a list, nested lists), check that each is an object Kubernetes can take
//! (`apiVersion`, `kind`, `metadata.name`), order them as Helm installs them, and render
//! YAML or JSON byte for byte the same on every run.
//!
//! Built-in kinds are checked against their k8s-openapi types ([`schema`]): a field the
//! schema does not know, or a value of the wrong type, is an error at the `.mlc` location
//! that produced it. Not yet: typed definitions for the chart's custom resources.

mod order;
mod render;
mod schema;

pub use render::{file_name, to_json, to_yaml};

use crate::diagnostic::{codes, did_you_mean, Diagnostic, FileName};
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
                (Some(api_version), Some(kind), Some(name)) => match data.to_json() {
                    Ok(value) => {
                        for problem in schema::check(&api_version, &kind, &value) {
                            errors.push(schema_error(data, entry, &kind, &name, problem));
                        }
                        objects.push(Manifest { kind, name, value });
                    }
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

/// A schema problem as a diagnostic at the place that wrote the offending field.
fn schema_error(
    data: &Data,
    entry: &FileName,
    kind: &str,
    name: &str,
    problem: schema::Problem,
) -> Diagnostic {
    match problem {
        schema::Problem::UnknownField(path) => {
            let (field, parent) = match path.split_last() {
                Some((field, parent)) => (field.clone(), parent.to_vec()),
                None => (String::new(), Vec::new()),
            };
            let place = data_at(data, &path)
                .or_else(|| data_at(data, &parent))
                .unwrap_or(data);
            let (file, span) = place
                .origin
                .clone()
                .unwrap_or_else(|| (entry.clone(), Span::default()));
            let mut diagnostic = Diagnostic::error(
                codes::E0502,
                format!("`{}` is not a field of {kind} `{name}`", field_path(&path)),
                file,
                span,
            )
            .with_label(format!("the Kubernetes schema has no `{field}` here"));
            let siblings = common_fields(&parent);
            if let Some(similar) = did_you_mean(&field, siblings.iter().map(String::as_str)) {
                diagnostic = diagnostic.with_help(format!("did you mean `{similar}`?"));
            }
            diagnostic
        }
        schema::Problem::Invalid(reason) => {
            let (file, span) = data
                .origin
                .clone()
                .unwrap_or_else(|| (entry.clone(), Span::default()));
            Diagnostic::error(
                codes::E0503,
                format!("{kind} `{name}` does not match the Kubernetes schema: {reason}"),
                file,
                span,
            )
        }
    }
}

/// `spec.containers[1].image`: a field path as people write it.
fn field_path(path: &[String]) -> String {
    let mut out = String::new();
    for step in path {
        if step.parse::<usize>().is_ok() {
            out.push_str(&format!("[{step}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(step);
        }
    }
    out
}

/// The part of `data` at `path` (attribute names and list indices).
fn data_at<'d>(data: &'d Data, path: &[String]) -> Option<&'d Data> {
    path.iter()
        .try_fold(data, |current, step| match &current.kind {
            DataKind::Attrs(attrs) => attrs.get(step),
            DataKind::List(items) => step.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        })
}

/// Fields commonly written under `parent` (a pod or workload `spec`, `metadata`, a
/// container or port in a list), for "did you mean". A curated list until the schemas'
/// own property names are available (k8s-openapi's `schemars` feature).
fn common_fields(parent: &[String]) -> Vec<String> {
    let last = parent.last().map(String::as_str).unwrap_or("");
    let known: &[&str] = match last {
        "spec" => &[
            "serviceAccountName",
            "containers",
            "initContainers",
            "volumes",
            "securityContext",
            "nodeSelector",
            "tolerations",
            "affinity",
            "imagePullSecrets",
            "restartPolicy",
            "replicas",
            "selector",
            "template",
            "strategy",
            "schedule",
            "jobTemplate",
            "ports",
            "type",
            "rules",
            "tls",
            "ingressClassName",
            "accessModes",
            "resources",
            "storageClassName",
            "podSelector",
            "policyTypes",
            "ingress",
            "egress",
        ],
        "metadata" => &["name", "namespace", "labels", "annotations"],
        _ if last.parse::<usize>().is_ok() => &[
            "name",
            "image",
            "imagePullPolicy",
            "command",
            "args",
            "env",
            "envFrom",
            "ports",
            "resources",
            "volumeMounts",
            "livenessProbe",
            "readinessProbe",
            "startupProbe",
            "securityContext",
            "containerPort",
            "protocol",
            "mountPath",
            "readOnly",
            "value",
            "valueFrom",
        ],
        _ => &[],
    };
    known.iter().map(|s| s.to_string()).collect()
}

fn not_an_object(data: &Data, entry: &FileName, message: &str) -> Diagnostic {
    let (file, span) = data
        .origin
        .clone()
        .unwrap_or_else(|| (entry.clone(), Span::default()));
    Diagnostic::error(codes::E0501, message.to_string(), file, span)
        .with_help("`mlc build` takes a file that evaluates to an object, a list of objects, or `mlflow.deployment { ... }`")
}
