//! From evaluated data to Kubernetes manifests: collect the objects a file evaluates to
//! (one object, a list, nested lists), check that each is an object Kubernetes can take
//! (`apiVersion`, `kind`, `metadata.name`), check it against the schema of its kind, order
//! them as Helm installs them, and render YAML or JSON byte for byte the same on every run.
//!
//! Schema checks ([`schema`]) cover the built-in kinds (k8s-openapi) and the chart's custom
//! resources ([`crds`]): a field the schema does not know, or a value it does not take, is
//! an error at the `.mlc` location that produced it, with the closest real field or value.
//! A known kind in an apiVersion mlc has no schema for is a warning; other kinds (custom
//! resources of operators mlc does not know) pass through unchecked.

pub mod applyset;
mod crds;
mod formats;
mod names;
mod order;
mod reader;
mod render;
mod schema;
mod yaml;

pub use render::{to_json, to_yaml, write_json, write_yaml};

use crate::diagnostic::{codes, did_you_mean, Diagnostic, FileName, Fix};
use crate::eval::{Data, DataKind, JsonError};
use crate::syntax::Span;

/// One Kubernetes object, with where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Manifest {
    pub kind: String,
    pub name: String,
    /// The object as evaluated; it has a JSON form (no functions, finite numbers), which
    /// [`Manifest::to_json`] makes.
    pub value: Data,
    /// The innermost place in a user's file that made the object: the object itself when
    /// the user wrote it, else the call that returned it (`mlflow.deployment { ... }`).
    pub origin: Option<(FileName, Span)>,
}

impl Manifest {
    /// The object as JSON, for what compares or edits objects as JSON (`mlc diff`).
    pub fn to_json(&self) -> serde_json::Value {
        // A manifest is collected only when it has a JSON form.
        self.value.to_json().unwrap_or_default()
    }
}

/// The objects of a file, in Helm's install order, and the warnings found checking them.
#[derive(Debug)]
pub struct Built {
    pub manifests: Vec<Manifest>,
    pub warnings: Vec<Diagnostic>,
}

/// The objects `data` holds, in Helm's install order (with warnings), or why it holds none.
pub fn manifests(data: &Data, entry: &FileName) -> Result<Built, Vec<Diagnostic>> {
    let mut collector = Collector {
        entry,
        objects: Vec::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    collector.collect(data, None);
    if !collector.errors.is_empty() {
        // The warnings too: they may explain an error, and are worth fixing in one go.
        collector.errors.extend(collector.warnings);
        return Err(collector.errors);
    }
    let mut manifests = collector.objects;
    order::sort(&mut manifests);
    Ok(Built {
        manifests,
        warnings: collector.warnings,
    })
}

struct Collector<'e> {
    entry: &'e FileName,
    objects: Vec<Manifest>,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

impl Collector<'_> {
    /// Collects the objects of `data`; `made_by` is the innermost user-written place
    /// around it.
    fn collect(&mut self, data: &Data, made_by: Option<&(FileName, Span)>) {
        let made_by = match &data.origin {
            Some(origin) if !crate::stdlib::is_stdlib_path(&origin.0) => Some(origin),
            _ => made_by,
        };
        match &data.kind {
            DataKind::List(items) => {
                for item in items {
                    self.collect(item, made_by);
                }
            }
            DataKind::Attrs(attrs) => {
                let text = |key: &str| match attrs.get(key).map(|d| &d.kind) {
                    Some(DataKind::String(s)) => Some(s.clone()),
                    _ => None,
                };
                let name = match attrs.get("metadata").map(|d| &d.kind) {
                    Some(DataKind::Attrs(metadata)) => {
                        match metadata.get("name").map(|d| &d.kind) {
                            Some(DataKind::String(name)) => Some(name.clone()),
                            _ => None,
                        }
                    }
                    _ => None,
                };
                match (text("apiVersion"), text("kind"), name) {
                    (Some(api_version), Some(kind), Some(name)) => match data.json_form_error() {
                        None => {
                            let object = Object {
                                data,
                                entry: self.entry,
                                made_by,
                                kind: &kind,
                                name: &name,
                            };
                            match schema::check(&api_version, &kind, data) {
                                schema::Checked::Problems(problems) => self
                                    .errors
                                    .extend(problems.into_iter().map(|p| object.problem(p))),
                                schema::Checked::OtherVersions(versions) => {
                                    self.warnings.push(object.other_version(
                                        attrs.get("apiVersion"),
                                        &api_version,
                                        &versions,
                                    ))
                                }
                                schema::Checked::UnknownKind => {}
                            }
                            self.errors
                                .extend(object.name_problems(attrs.get("metadata")));
                            self.objects.push(Manifest {
                                kind,
                                name,
                                // The evaluated object itself: its sets are shared, not copied.
                                value: data.clone(),
                                origin: made_by.cloned(),
                            });
                        }
                        Some(error) => self.errors.push(no_manifest_form(&error, data, self.entry)),
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
                        self.errors.push(not_an_object(
                            data,
                            self.entry,
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
                self.errors.push(not_an_object(
                    data,
                    self.entry,
                    &format!(
                        "expected Kubernetes objects (attribute sets or lists of them), found {what}"
                    ),
                ));
            }
        }
    }
}

/// One object being checked, for turning what is wrong with it into diagnostics.
struct Object<'a> {
    data: &'a Data,
    entry: &'a FileName,
    /// The innermost user-written place around the object: where a problem goes when the
    /// offending value was not written anywhere (an object from `builtins.fromJSON`).
    made_by: Option<&'a (FileName, Span)>,
    kind: &'a str,
    name: &'a str,
}

impl Object<'_> {
    /// Where `data` was written; else the place that made the object, else the entry file.
    fn origin(&self, data: &Data) -> (FileName, Span) {
        data.origin
            .clone()
            .or_else(|| self.made_by.cloned())
            .unwrap_or_else(|| (self.entry.clone(), Span::default()))
    }

    /// The value at `path`, or the closest enclosing value, that knows where it was written.
    fn closest(&self, path: &[String]) -> &Data {
        (0..=path.len())
            .rev()
            .filter_map(|len| data_at(self.data, &path[..len]))
            .find(|data| data.origin.is_some())
            .unwrap_or(self.data)
    }

    /// A schema problem as a diagnostic at the place that wrote the offending field.
    fn problem(&self, problem: schema::Problem) -> Diagnostic {
        match problem {
            schema::Problem::UnknownField(unknown) => {
                let field = unknown.path.last().cloned().unwrap_or_default();
                let (file, span) = self.origin(self.closest(&unknown.path));
                let mut diagnostic = Diagnostic::error(
                    codes::E0502,
                    format!(
                        "`{}` is not a field of {} `{}`",
                        field_path(&unknown.path),
                        self.kind,
                        self.name
                    ),
                    file,
                    span,
                )
                .with_label(format!("the schema of {} has no `{field}` here", self.kind));
                let candidates = unknown.known.iter().copied().filter(|f| *f != "status");
                if let Some(similar) = did_you_mean(&field, candidates) {
                    diagnostic = diagnostic.with_help(format!("did you mean `{similar}`?"));
                }
                diagnostic
            }
            schema::Problem::Invalid(error) => {
                let (file, span) = self.origin(self.closest(&error.path));
                let place = if error.path.is_empty() {
                    format!("{} `{}`", self.kind, self.name)
                } else {
                    format!(
                        "`{}` of {} `{}`",
                        field_path(&error.path),
                        self.kind,
                        self.name
                    )
                };
                let mut diagnostic = Diagnostic::error(
                    codes::E0503,
                    format!("{place} does not match the schema: {}", error.message),
                    file,
                    span,
                )
                .with_label("the schema does not take this value");
                if let Some(hint) = &error.hint {
                    diagnostic = diagnostic.with_help(hint.clone());
                }
                if let Some((value, allowed)) = &error.choice {
                    let same_but_case = allowed.iter().find(|a| a.eq_ignore_ascii_case(value));
                    let similar = same_but_case
                        .copied()
                        .or_else(|| did_you_mean(value, allowed.iter().copied()));
                    if let Some(similar) = similar {
                        diagnostic = diagnostic.with_help(format!("did you mean `{similar}`?"));
                        // The value as the user wrote it: the fix rewrites that string.
                        let written = &diagnostic.primary;
                        if !crate::stdlib::is_stdlib_path(&written.file) && written.span.end > 0 {
                            let fix = Fix {
                                file: written.file.clone(),
                                span: written.span,
                                replacement: format!("\"{similar}\""),
                            };
                            diagnostic = diagnostic.with_fix(fix);
                        }
                    }
                }
                diagnostic
            }
        }
    }

    /// `metadata.name` and `metadata.namespace` that the API server would reject, as
    /// errors at the values that set them.
    fn name_problems(&self, metadata: Option<&Data>) -> Vec<Diagnostic> {
        let Some(DataKind::Attrs(fields)) = metadata.map(|m| &m.kind) else {
            return Vec::new();
        };
        let mut problems = Vec::new();
        let mut report = |field: &str, message: Option<String>| {
            if let (Some(message), Some(data)) = (message, fields.get(field)) {
                let (file, span) = self.origin(data);
                let label = if data.origin.is_some() {
                    format!("this `metadata.{field}`")
                } else {
                    format!("this object's `metadata.{field}`")
                };
                problems
                    .push(Diagnostic::error(codes::E0503, message, file, span).with_label(label));
            }
        };
        report("name", names::check_name(self.kind, self.name));
        if let Some(DataKind::String(namespace)) = fields.get("namespace").map(|d| &d.kind) {
            report("namespace", names::check_namespace(namespace));
        }
        problems
    }

    /// A known kind in an apiVersion mlc has no schema for: a warning at the apiVersion.
    fn other_version(
        &self,
        written: Option<&Data>,
        api_version: &str,
        versions: &[&'static str],
    ) -> Diagnostic {
        let (file, span) = self.origin(written.unwrap_or(self.data));
        let known = versions
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut diagnostic = Diagnostic::warning(
            codes::W0501,
            format!(
                "{} `{}` is not checked: mlc knows {} in {known}, not in `{api_version}`",
                self.kind, self.name, self.kind
            ),
            file,
            span,
        )
        .with_label("this apiVersion");
        if let [only] = versions {
            diagnostic = diagnostic.with_help(format!("did you mean `{only}`?"));
        }
        diagnostic
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

/// A part of an object that YAML and JSON cannot hold (a function, an infinite or NaN
/// float), reported where that part was written.
fn no_manifest_form(error: &JsonError, object: &Data, entry: &FileName) -> Diagnostic {
    let (file, span) = error
        .origin
        .clone()
        .or_else(|| object.origin.clone())
        .unwrap_or_else(|| (entry.clone(), Span::default()));
    let message = format!("a manifest cannot hold {}", error.what);
    Diagnostic::error(codes::E0503, message, file, span)
        .with_label("no YAML or JSON form")
        .with_help("a manifest holds only data: apply the function, or compute a finite number")
}

fn not_an_object(data: &Data, entry: &FileName, message: &str) -> Diagnostic {
    let (file, span) = data
        .origin
        .clone()
        .unwrap_or_else(|| (entry.clone(), Span::default()));
    Diagnostic::error(codes::E0501, message.to_string(), file, span)
        .with_help("`mlc build` takes a file that evaluates to an object, a list of objects, or `mlflow.deployment { ... }`")
}
