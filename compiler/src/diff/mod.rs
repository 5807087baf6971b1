//! `mlc diff`: what changes between two builds, object by object and field by field, what
//! each change does to a running server ([`effects`]), and the report of it for people or
//! as JSON ([`render`]). Cluster-free: it compares the objects two builds make
//! (`crate::build`), never what a cluster holds.
//!
//! Objects are matched by API group, kind, namespace and name (an object whose name or kind
//! changed is one removed and one added, as the cluster sees it). Fields are compared as
//! JSON; lists whose items all have a distinct `name` (containers, env, volumes, ports) are
//! matched by name, so that inserting an env var is one added field, not a shift of all the
//! later ones.

pub mod effects;
mod fields;
pub mod render;

pub use effects::Effect;
pub use fields::{Change, Segment};

use crate::k8s::Manifest;
use serde_json::Value;
use std::collections::BTreeMap;

/// Which object: the identity the API server keys it by.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ObjectId {
    pub api_version: String,
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
}

impl ObjectId {
    fn of(manifest: &Manifest) -> ObjectId {
        ObjectId {
            api_version: manifest.value["apiVersion"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            kind: manifest.kind.clone(),
            namespace: manifest.value["metadata"]["namespace"]
                .as_str()
                .filter(|namespace| !namespace.is_empty())
                .map(str::to_string),
            name: manifest.name.clone(),
        }
    }

    /// The API group (`apps`; empty for the core group): objects of one kind in two versions
    /// of a group are one object.
    fn group(&self) -> &str {
        self.api_version
            .split_once('/')
            .map(|(group, _)| group)
            .unwrap_or("")
    }

    fn key(&self) -> (String, String, Option<String>, String) {
        (
            self.group().to_string(),
            self.kind.clone(),
            self.namespace.clone(),
            self.name.clone(),
        )
    }

    /// `Deployment mlflow/mlflow-mlflow`.
    pub fn display(&self) -> String {
        match &self.namespace {
            Some(namespace) => format!("{} {namespace}/{}", self.kind, self.name),
            None => format!("{} {}", self.kind, self.name),
        }
    }
}

/// One object added, removed or changed.
#[derive(Clone, Debug, PartialEq)]
pub enum ObjectDiff {
    Added { id: ObjectId, effects: Vec<Effect> },
    Removed { id: ObjectId, effects: Vec<Effect> },
    Changed { id: ObjectId, changes: Vec<Change> },
}

impl ObjectDiff {
    pub fn id(&self) -> &ObjectId {
        match self {
            ObjectDiff::Added { id, .. }
            | ObjectDiff::Removed { id, .. }
            | ObjectDiff::Changed { id, .. } => id,
        }
    }

    /// Every effect of this object's difference, each once, most serious first.
    pub fn effects(&self) -> Vec<Effect> {
        let mut effects = match self {
            ObjectDiff::Added { effects, .. } | ObjectDiff::Removed { effects, .. } => {
                effects.clone()
            }
            ObjectDiff::Changed { changes, .. } => changes
                .iter()
                .flat_map(|change| change.effects.iter().copied())
                .collect(),
        };
        effects.sort();
        effects.dedup();
        effects
    }
}

/// The differences from `old` to `new`: removed objects, then changed ones, then added ones,
/// each group in the order of the new build (the old one for removals).
pub fn diff(old: &[Manifest], new: &[Manifest]) -> Vec<ObjectDiff> {
    let index = |manifests: &[Manifest]| -> BTreeMap<_, usize> {
        manifests
            .iter()
            .enumerate()
            .map(|(i, m)| (ObjectId::of(m).key(), i))
            .collect()
    };
    // Fields are compared as JSON.
    let old_json: Vec<Value> = old.iter().map(Manifest::to_json).collect();
    let old_index = index(old);
    let new_index = index(new);
    let mut out = Vec::new();
    for (manifest, json) in old.iter().zip(&old_json) {
        let id = ObjectId::of(manifest);
        if !new_index.contains_key(&id.key()) {
            let effects = effects::of_removed(&id, json);
            out.push(ObjectDiff::Removed { id, effects });
        }
    }
    for manifest in new {
        let id = ObjectId::of(manifest);
        let json = manifest.to_json();
        match old_index.get(&id.key()) {
            Some(&i) => {
                let mut changes = fields::diff(&old_json[i], &json);
                for change in &mut changes {
                    change.effects = effects::of_change(&id, change, &old_json[i]);
                }
                if !changes.is_empty() {
                    out.push(ObjectDiff::Changed { id, changes });
                }
            }
            None => {
                let effects = effects::of_added(&id, &json);
                out.push(ObjectDiff::Added { id, effects });
            }
        }
    }
    out
}

/// A JSON value for people: strings without quotes when they are plain, the rest as JSON.
pub fn show(value: &Value) -> String {
    match value {
        Value::String(text) => format!("{text:?}"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(api_version: &str, kind: &str, name: &str, spec: Value) -> Manifest {
        Manifest {
            kind: kind.to_string(),
            name: name.to_string(),
            value: crate::eval::Data::from_json(&json!({
                "apiVersion": api_version,
                "kind": kind,
                "metadata": { "name": name, "namespace": "ml" },
                "spec": spec,
            })),
            origin: None,
        }
    }

    #[test]
    fn objects_are_matched_by_group_kind_namespace_and_name() {
        let old = [
            object("v1", "Service", "s", json!({ "type": "ClusterIP" })),
            object("v1", "PersistentVolumeClaim", "p", json!({})),
            object(
                "autoscaling/v1",
                "HorizontalPodAutoscaler",
                "h",
                json!({ "x": 1 }),
            ),
        ];
        let new = [
            object("v1", "Service", "s", json!({ "type": "LoadBalancer" })),
            object(
                "autoscaling/v2",
                "HorizontalPodAutoscaler",
                "h",
                json!({ "x": 1 }),
            ),
            object("networking.k8s.io/v1", "Ingress", "i", json!({})),
        ];
        let diffs = diff(&old, &new);
        let summary: Vec<(String, &str)> = diffs
            .iter()
            .map(|d| {
                let what = match d {
                    ObjectDiff::Added { .. } => "added",
                    ObjectDiff::Removed { .. } => "removed",
                    ObjectDiff::Changed { .. } => "changed",
                };
                (d.id().display(), what)
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("PersistentVolumeClaim ml/p".to_string(), "removed"),
                ("Service ml/s".to_string(), "changed"),
                ("HorizontalPodAutoscaler ml/h".to_string(), "changed"),
                ("Ingress ml/i".to_string(), "added"),
            ]
        );
        assert_eq!(diffs[0].effects(), [Effect::LosesData]);
        assert_eq!(diffs[1].effects(), [Effect::ChangesExposure]);
        assert_eq!(diffs[3].effects(), [Effect::ChangesExposure]);
        assert!(diff(&new, &new).is_empty());
    }
}
