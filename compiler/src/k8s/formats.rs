//! Formats and enumerations of the Kubernetes API that its types leave as plain strings
//! (k8s-openapi's `protocol`, `imagePullPolicy`, `Quantity`, ... are `String`s), checked as
//! the API server validates them, so that `protocol = "tcp"` or `cpu = "0.5 cores"` written
//! in a free-form option is an error at the user's value, with the value meant.
//!
//! One walk over the object: each rule names the field and the place it is at (inside a
//! `ports` list, a `tolerations` list, a container's `resources`), so that the same rule
//! covers containers of Deployments, CronJobs and Pods, Service ports and NetworkPolicy
//! ports alike.

use super::reader::Error;
use crate::eval::{Data, DataKind};

const PROTOCOLS: &[&str] = &["TCP", "UDP", "SCTP"];
const PULL_POLICIES: &[&str] = &["Always", "IfNotPresent", "Never"];
const TOLERATION_OPERATORS: &[&str] = &["Exists", "Equal"];
const TAINT_EFFECTS: &[&str] = &["NoSchedule", "PreferNoSchedule", "NoExecute"];
const RESTART_POLICIES: &[&str] = &["Always", "OnFailure", "Never"];
const DNS_POLICIES: &[&str] = &["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"];

/// Every value of `object` outside its field's format or enumeration.
pub fn check(object: &Data) -> Vec<Error> {
    let mut errors = Vec::new();
    walk(object, &mut Vec::new(), &mut errors);
    errors
}

/// One step of the path to a value: a key, or an index in a list. The path is turned into
/// strings only for an error.
#[derive(Clone, Copy)]
enum Step<'v> {
    Key(&'v str),
    Index(usize),
}

impl Step<'_> {
    fn is_key(self, name: &str) -> bool {
        matches!(self, Step::Key(key) if key == name)
    }

    /// Whether the step reads as an index (a key of digits does too).
    fn is_index(self) -> bool {
        match self {
            Step::Key(key) => key.parse::<usize>().is_ok(),
            Step::Index(_) => true,
        }
    }
}

fn path_text(path: &[Step<'_>]) -> Vec<String> {
    path.iter()
        .map(|step| match step {
            Step::Key(key) => key.to_string(),
            Step::Index(index) => index.to_string(),
        })
        .collect()
}

fn walk<'v>(value: &'v Data, path: &mut Vec<Step<'v>>, errors: &mut Vec<Error>) {
    match &value.kind {
        DataKind::Attrs(fields) => {
            for (key, field) in fields {
                path.push(Step::Key(key));
                check_field(key, field, path, errors);
                walk(field, path, errors);
                path.pop();
            }
        }
        DataKind::List(items) => {
            for (index, item) in items.iter().enumerate() {
                path.push(Step::Index(index));
                walk(item, path, errors);
                path.pop();
            }
        }
        _ => {}
    }
}

/// The name of the list the value at `path` is an element of (`ports` for
/// `spec.ports.0.protocol`'s parent), if it is in one.
fn enclosing_list<'v>(path: &[Step<'v>]) -> Option<&'v str> {
    let [.., list, index, _field] = path else {
        return None;
    };
    if !index.is_index() {
        return None;
    }
    match list {
        Step::Key(list) => Some(list),
        Step::Index(_) => None,
    }
}

/// Whether the step before the last (the parent of the field) is the key `name`.
fn parent_is(path: &[Step<'_>], name: &str) -> bool {
    path.len() >= 2 && path[path.len() - 2].is_key(name)
}

fn check_field(key: &str, value: &Data, path: &[Step<'_>], errors: &mut Vec<Error>) {
    let list = enclosing_list(path);
    let allowed = match (key, list) {
        ("protocol", Some("ports")) => Some(PROTOCOLS),
        ("imagePullPolicy", _) => Some(PULL_POLICIES),
        ("operator", Some("tolerations")) => Some(TOLERATION_OPERATORS),
        ("effect", Some("tolerations")) => Some(TAINT_EFFECTS),
        ("restartPolicy", _) if parent_is(path, "spec") => Some(RESTART_POLICIES),
        ("dnsPolicy", _) => Some(DNS_POLICIES),
        _ => None,
    };
    if let (Some(allowed), Some(text)) = (allowed, value.as_str()) {
        // An empty toleration effect means every effect.
        if !(allowed.contains(&text) || key == "effect" && text.is_empty()) {
            let listed = allowed
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let mut error = Error::at(
                path_text(path),
                format!("`{text}` is not one of the values Kubernetes allows: {listed}"),
            );
            error.choice = Some((text.to_string(), allowed));
            errors.push(error);
        }
    }
    if matches!(key, "requests" | "limits") && parent_is(path, "resources") {
        if let Some(quantities) = value.as_attrs() {
            for (resource, quantity) in quantities {
                if let Some(text) = quantity.as_str() {
                    if !crate::types::matchers::quantity(text) {
                        let mut at = path_text(path);
                        at.push(resource.clone());
                        let mut error =
                            Error::at(at, format!("`{text}` is not a Kubernetes quantity"));
                        error.hint = Some(quantity_hint(resource, text));
                        errors.push(error);
                    }
                }
            }
        }
    }
}

/// How to write a quantity of `resource`: `cpu = "500m"` (half a core), `memory = "512Mi"`.
fn quantity_hint(resource: &str, text: &str) -> String {
    let number: String = text
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let example = match resource {
        "cpu" => match number.parse::<f64>() {
            Ok(cores) if !number.is_empty() => {
                let millis = (cores * 1000.0).round() as i64;
                if millis % 1000 == 0 {
                    format!("\"{}\"", millis / 1000)
                } else {
                    format!("\"{millis}m\"")
                }
            }
            _ => "\"500m\"".to_string(),
        },
        _ => "\"512Mi\"".to_string(),
    };
    format!(
        "write a number with an optional unit suffix (`m`, `Ki`, `Mi`, `Gi`, `k`, `M`, `G`, ...), without spaces: `{resource} = {example};`"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn check(object: &Value) -> Vec<Error> {
        super::check(&Data::from_json(object))
    }

    fn paths(object: &Value) -> Vec<(String, Option<String>)> {
        check(object)
            .into_iter()
            .map(|e| (e.path.join("."), e.hint.clone()))
            .collect()
    }

    #[test]
    fn enumerations_in_containers_services_and_tolerations() {
        let object = json!({
            "spec": {
                "ports": [ { "port": 80, "protocol": "tcp" } ],
                "template": { "spec": {
                    "containers": [ { "name": "c", "imagePullPolicy": "always",
                        "ports": [ { "containerPort": 1, "protocol": "TCP" } ] } ],
                    "tolerations": [ { "operator": "Exist", "effect": "" }, { "operator": "Equal", "effect": "NoSchedul" } ],
                } }
            }
        });
        let errors = check(&object);
        let found: Vec<(String, String)> = errors
            .iter()
            .map(|e| {
                (
                    e.path.join("."),
                    e.choice.as_ref().map(|c| c.0.clone()).unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("spec.ports.0.protocol".to_string(), "tcp".to_string()),
                (
                    "spec.template.spec.containers.0.imagePullPolicy".to_string(),
                    "always".to_string()
                ),
                (
                    "spec.template.spec.tolerations.0.operator".to_string(),
                    "Exist".to_string()
                ),
                (
                    "spec.template.spec.tolerations.1.effect".to_string(),
                    "NoSchedul".to_string()
                ),
            ]
        );
    }

    #[test]
    fn quantities_of_resources() {
        let object = json!({ "containers": [ { "resources": {
            "requests": { "cpu": "0.5 cores", "memory": "1Gi" },
            "limits": { "cpu": "2", "memory": "1 GB", "nvidia.com/gpu": "1" }
        } } ] });
        assert_eq!(
            paths(&object)
                .into_iter()
                .map(|(path, hint)| (path, hint.unwrap_or_default().contains("cpu = \"500m\"")))
                .collect::<Vec<_>>(),
            [
                ("containers.0.resources.limits.memory".to_string(), false),
                ("containers.0.resources.requests.cpu".to_string(), true),
            ]
        );
    }

    #[test]
    fn valid_values_pass() {
        let object = json!({ "spec": { "ports": [ { "protocol": "UDP" } ], "restartPolicy": "OnFailure",
            "containers": [ { "resources": { "requests": { "cpu": "100m", "memory": "1e3" } } } ] } });
        assert!(check(&object).is_empty());
    }
}
