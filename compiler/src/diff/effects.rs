//! What a difference does to a running MLflow server: each added or removed object and each
//! changed field is classed by the Kubernetes rules that decide it (which fields restart
//! pods, which are immutable) and by what MLflow keeps where (the backend store, the
//! artifact root, the volume). A change with no class is applied in place.

use super::fields::{Change, Segment};
use super::ObjectId;
use serde_json::Value;

/// One effect, most serious first (the order the renderers list them in).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Effect {
    /// An immutable field (a selector, a PVC's class or access modes, a size decrease):
    /// the API server refuses the update; the object must be deleted and created again.
    CannotApply,
    /// Data is lost or moves: a PVC or the Namespace removed, storage turned on or off, the
    /// backend store or artifact location changed.
    LosesData,
    /// A new MLflow version: the database schema must be upgraded (`mlflow db upgrade`).
    NeedsMigration,
    /// RBAC rules, bindings or the identity pods run as.
    ChangesPermissions,
    /// Who can reach the server: Ingress, HTTPRoute, NetworkPolicy, Service type and ports,
    /// authentication, allowed hosts, TLS.
    ChangesExposure,
    /// The pod template changed: the pods are replaced.
    RestartsPods,
}

impl Effect {
    /// The name in `--message-format json`.
    pub fn name(self) -> &'static str {
        match self {
            Effect::CannotApply => "cannot-apply",
            Effect::LosesData => "loses-data",
            Effect::NeedsMigration => "needs-migration",
            Effect::ChangesPermissions => "changes-permissions",
            Effect::ChangesExposure => "changes-exposure",
            Effect::RestartsPods => "restarts-pods",
        }
    }

    /// What it means, for people.
    pub fn explain(self) -> &'static str {
        match self {
            Effect::CannotApply => "cannot be applied: an immutable field; the object must be deleted and created again",
            Effect::LosesData => "loses or moves data: back it up first, or move it",
            Effect::NeedsMigration => "a new MLflow version: run `mlflow db upgrade <backend store URI>` before the new image serves",
            Effect::ChangesPermissions => "changes permissions",
            Effect::ChangesExposure => "changes who can reach the server",
            Effect::RestartsPods => "restarts the pods",
        }
    }
}

const WORKLOADS: &[&str] = &["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"];
const EXPOSURE_KINDS: &[&str] = &[
    "Ingress",
    "HTTPRoute",
    "NetworkPolicy",
    "Gateway",
    "IngressClass",
];
const RBAC_KINDS: &[&str] = &[
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ServiceAccount",
];
/// Environment variables and `mlflow server` options that say where MLflow keeps its data.
const STORE_ENV: &[&str] = &[
    "MLFLOW_BACKEND_STORE_URI",
    "MLFLOW_REGISTRY_STORE_URI",
    "MLFLOW_DEFAULT_ARTIFACT_ROOT",
    "MLFLOW_ARTIFACTS_DESTINATION",
];
const STORE_OPTIONS: &[&str] = &[
    "--backend-store-uri",
    "--registry-store-uri",
    "--default-artifact-root",
    "--artifacts-destination",
];
/// `mlflow server` options that decide who gets in.
const EXPOSURE_OPTIONS: &[&str] = &[
    "--app-name",
    "--allowed-hosts",
    "--cors-allowed-origins",
    "--uvicorn-opts",
    "--gunicorn-opts",
    "--host",
    "--port",
    "--static-prefix",
];

/// The effects of adding the object `value`.
pub fn of_added(id: &ObjectId, value: &Value) -> Vec<Effect> {
    let kind = id.kind.as_str();
    if EXPOSURE_KINDS.contains(&kind) {
        return vec![Effect::ChangesExposure];
    }
    if RBAC_KINDS.contains(&kind) {
        return vec![Effect::ChangesPermissions];
    }
    if kind == "Service" && value["spec"]["type"].as_str().unwrap_or("ClusterIP") != "ClusterIP" {
        return vec![Effect::ChangesExposure];
    }
    Vec::new()
}

/// The effects of removing the object `value`.
pub fn of_removed(id: &ObjectId, value: &Value) -> Vec<Effect> {
    match id.kind.as_str() {
        "PersistentVolumeClaim" | "Namespace" | "StatefulSet" => vec![Effect::LosesData],
        "Service" => vec![Effect::ChangesExposure],
        kind if EXPOSURE_KINDS.contains(&kind) => vec![Effect::ChangesExposure],
        kind if RBAC_KINDS.contains(&kind) => vec![Effect::ChangesPermissions],
        _ => of_added(id, value),
    }
}

/// The effects of one changed field of the object `id`, whose old value is `old`.
pub fn of_change(id: &ObjectId, change: &Change, old: &Value) -> Vec<Effect> {
    let mut effects = Vec::new();
    let kind = id.kind.as_str();
    let keys = change.keys();
    if keys.first() == Some(&"apiVersion") {
        return effects;
    }
    if WORKLOADS.contains(&kind) {
        if change.under(&["spec", "selector"]) {
            effects.push(Effect::CannotApply);
        }
        if kind == "StatefulSet"
            && ["volumeClaimTemplates", "serviceName", "podManagementPolicy"]
                .iter()
                .any(|field| change.under(&["spec", field]))
        {
            effects.push(Effect::CannotApply);
        }
        if change.under(&["spec", "template"]) {
            effects.push(Effect::RestartsPods);
            pod_template(change, &keys[2..], old, &mut effects);
        }
    }
    match kind {
        "Job" if change.under(&["spec", "template"]) || change.under(&["spec", "selector"]) => {
            effects.push(Effect::CannotApply)
        }
        "CronJob" if change.under(&["spec", "jobTemplate", "spec", "template"]) => {
            pod_template(change, &keys[4..], old, &mut effects)
        }
        "PersistentVolumeClaim" => persistent_volume_claim(change, &mut effects),
        "Service" => {
            if change.under(&["spec", "clusterIP"]) || change.under(&["spec", "clusterIPs"]) {
                effects.push(Effect::CannotApply);
            } else if change.under(&["spec"]) {
                effects.push(Effect::ChangesExposure);
            }
        }
        "Secret" | "ConfigMap" => {
            let immutable = old["immutable"] == Value::Bool(true);
            if (immutable && (change.under(&["data"]) || change.under(&["stringData"])))
                || (kind == "Secret" && change.under(&["type"]))
            {
                effects.push(Effect::CannotApply);
            }
        }
        "RoleBinding" | "ClusterRoleBinding" if change.under(&["roleRef"]) => {
            effects.push(Effect::CannotApply);
            effects.push(Effect::ChangesPermissions);
        }
        "ServiceAccount"
            if change.under(&["automountServiceAccountToken"])
                || change.under(&["metadata", "annotations"])
                || change.under(&["imagePullSecrets"])
                || change.under(&["secrets"]) =>
        {
            effects.push(Effect::ChangesPermissions);
        }
        "ServiceAccount" => {}
        kind if RBAC_KINDS.contains(&kind) && !change.under(&["metadata"]) => {
            effects.push(Effect::ChangesPermissions)
        }
        kind if EXPOSURE_KINDS.contains(&kind) && !change.under(&["metadata", "labels"]) => {
            effects.push(Effect::ChangesExposure)
        }
        _ => {}
    }
    effects.sort();
    effects.dedup();
    effects
}

/// Effects of a change inside a pod template; `keys` are the keys below `template`.
fn pod_template(change: &Change, keys: &[&str], old: &Value, effects: &mut Vec<Effect>) {
    if keys.starts_with(&["spec", "serviceAccountName"])
        || keys.starts_with(&["spec", "serviceAccount"])
        || keys.starts_with(&["spec", "automountServiceAccountToken"])
    {
        effects.push(Effect::ChangesPermissions);
    }
    if keys.ends_with(&["image"]) && is_new_mlflow_version(change) {
        effects.push(Effect::NeedsMigration);
    }
    if STORE_ENV.iter().any(|name| change.names(name)) || mentions_option(change, STORE_OPTIONS) {
        effects.push(Effect::LosesData);
    }
    if mentions_option(change, EXPOSURE_OPTIONS) {
        effects.push(Effect::ChangesExposure);
    }
    if keys.starts_with(&["spec", "volumes"])
        && (holds_claim(change.old.as_ref()) || holds_claim(change.new.as_ref()))
    {
        // Storage turned on or off, or another claim: the data is elsewhere now.
        effects.push(Effect::LosesData);
    }
    if keys.contains(&"volumeMounts") && mounts_a_claim(change, old) {
        effects.push(Effect::LosesData);
    }
}

/// Whether an image change is another version of an MLflow image (a new tag, or a digest).
fn is_new_mlflow_version(change: &Change) -> bool {
    let (Some(Value::String(old)), Some(Value::String(new))) = (&change.old, &change.new) else {
        return false;
    };
    let split = |image: &str| -> (String, String) {
        let (name, digest) = image.split_once('@').unwrap_or((image, ""));
        let slash = name.rfind('/').map(|i| i + 1).unwrap_or(0);
        match name[slash..].rfind(':') {
            Some(colon) => (
                name[..slash + colon].to_string(),
                format!("{}{digest}", &name[slash + colon + 1..]),
            ),
            None => (name.to_string(), digest.to_string()),
        }
    };
    let (old_repository, old_version) = split(old);
    let (new_repository, new_version) = split(new);
    (old_repository.contains("mlflow") || new_repository.contains("mlflow"))
        && old_version != new_version
}

/// Whether the old or new value is an option like `--backend-store-uri=...`.
fn mentions_option(change: &Change, options: &[&str]) -> bool {
    [&change.old, &change.new]
        .into_iter()
        .flatten()
        .any(|value| {
            value.as_str().is_some_and(|text| {
                options
                    .iter()
                    .any(|option| text == *option || text.starts_with(&format!("{option}=")))
            })
        })
}

/// Whether a (part of a) volume list refers to a PersistentVolumeClaim.
fn holds_claim(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Object(map)) => {
            map.contains_key("persistentVolumeClaim") || map.values().any(|v| holds_claim(Some(v)))
        }
        Some(Value::Array(items)) => items.iter().any(|v| holds_claim(Some(v))),
        _ => false,
    }
}

/// Whether a changed volume mount is the mount of a claim in the old pod template.
fn mounts_a_claim(change: &Change, old: &Value) -> bool {
    let Some(mount) = change.path.iter().rev().find_map(|segment| match segment {
        Segment::Named(name) => Some(name.as_str()),
        _ => None,
    }) else {
        return holds_claim(change.old.as_ref());
    };
    let volumes = &old["spec"]["template"]["spec"]["volumes"];
    volumes.as_array().is_some_and(|volumes| {
        volumes
            .iter()
            .any(|volume| volume["name"] == mount && volume.get("persistentVolumeClaim").is_some())
    })
}

fn persistent_volume_claim(change: &Change, effects: &mut Vec<Effect>) {
    let immutable = [
        "storageClassName",
        "accessModes",
        "volumeName",
        "volumeMode",
        "selector",
        "dataSource",
        "dataSourceRef",
    ];
    if immutable.iter().any(|field| change.under(&["spec", field])) {
        effects.push(Effect::CannotApply);
    }
    if change.under(&["spec", "resources", "requests", "storage"]) {
        let size =
            |value: &Option<Value>| value.as_ref().and_then(|v| v.as_str()).and_then(quantity);
        match (size(&change.old), size(&change.new)) {
            (Some(old), Some(new)) if new < old => effects.push(Effect::CannotApply),
            // Growing works only when the StorageClass allows expansion; not knowable here.
            (Some(_), Some(_)) => {}
            _ => effects.push(Effect::CannotApply),
        }
    }
}

/// A Kubernetes quantity (`10Gi`, `500M`, `1.5T`) in bytes.
pub fn quantity(text: &str) -> Option<f64> {
    let suffixes: [(&str, f64); 13] = [
        ("Ki", 1024f64),
        ("Mi", 1024f64.powi(2)),
        ("Gi", 1024f64.powi(3)),
        ("Ti", 1024f64.powi(4)),
        ("Pi", 1024f64.powi(5)),
        ("Ei", 1024f64.powi(6)),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
        ("P", 1e15),
        ("E", 1e18),
        ("m", 1e-3),
    ];
    let (number, factor) = suffixes
        .iter()
        .find_map(|(suffix, factor)| text.strip_suffix(suffix).map(|n| (n, *factor)))
        .unwrap_or((text, 1.0));
    number.parse::<f64>().ok().map(|n| n * factor)
}

#[cfg(test)]
mod tests {
    use super::super::fields;
    use super::*;
    use serde_json::json;

    fn id(kind: &str) -> ObjectId {
        ObjectId {
            api_version: "v1".into(),
            kind: kind.into(),
            namespace: Some("ml".into()),
            name: "x".into(),
        }
    }

    /// The effects of each change from `old` to `new`, by path.
    fn effects(kind: &str, old: Value, new: Value) -> Vec<(String, Vec<Effect>)> {
        fields::diff(&old, &new)
            .iter()
            .map(|change| (change.path_text(), of_change(&id(kind), change, &old)))
            .collect()
    }

    fn deployment(container: Value, volumes: Value) -> Value {
        json!({ "spec": {
            "selector": { "matchLabels": { "app": "mlflow" } },
            "template": { "spec": { "containers": [container], "volumes": volumes } },
        } })
    }

    #[test]
    fn pod_template_changes_restart_and_say_what_else_they_do() {
        let old = deployment(
            json!({ "name": "mlflow", "image": "ghcr.io/mlflow/mlflow:v3.12.0-full",
                    "args": ["--app-name=basic-auth"],
                    "env": [ { "name": "MLFLOW_BACKEND_STORE_URI", "value": "sqlite:////a" } ],
                    "volumeMounts": [ { "name": "data", "mountPath": "/mlflow" } ] }),
            json!([ { "name": "data", "persistentVolumeClaim": { "claimName": "c" } } ]),
        );
        let new = deployment(
            json!({ "name": "mlflow", "image": "ghcr.io/mlflow/mlflow:v3.13.0-full",
                    "args": ["--host=0.0.0.0"],
                    "env": [ { "name": "MLFLOW_BACKEND_STORE_URI", "value": "postgresql://db" } ],
                    "volumeMounts": [ { "name": "data", "mountPath": "/data" } ] }),
            json!([ { "name": "data", "persistentVolumeClaim": { "claimName": "c" } } ]),
        );
        use Effect::*;
        assert_eq!(
            effects("Deployment", old, new),
            [
                ("spec.template.spec.containers[name=mlflow].args[0]".to_string(), vec![ChangesExposure, RestartsPods]),
                ("spec.template.spec.containers[name=mlflow].env[name=MLFLOW_BACKEND_STORE_URI].value".to_string(), vec![LosesData, RestartsPods]),
                ("spec.template.spec.containers[name=mlflow].image".to_string(), vec![NeedsMigration, RestartsPods]),
                ("spec.template.spec.containers[name=mlflow].volumeMounts[name=data].mountPath".to_string(), vec![LosesData, RestartsPods]),
            ]
        );
    }

    #[test]
    fn storage_turned_off_and_selectors_cannot_be_taken_back_quietly() {
        use Effect::*;
        let container = json!({ "name": "mlflow", "image": "busybox:1" });
        let old = deployment(
            container.clone(),
            json!([ { "name": "data", "persistentVolumeClaim": { "claimName": "c" } } ]),
        );
        let mut new = deployment(json!({ "name": "mlflow", "image": "busybox:2" }), json!([]));
        new["spec"]["selector"]["matchLabels"]["app"] = json!("other");
        assert_eq!(
            effects("Deployment", old, new),
            [
                (
                    "spec.selector.matchLabels.app".to_string(),
                    vec![CannotApply]
                ),
                (
                    "spec.template.spec.containers[name=mlflow].image".to_string(),
                    vec![RestartsPods]
                ),
                (
                    "spec.template.spec.volumes[0]".to_string(),
                    vec![LosesData, RestartsPods]
                ),
            ]
        );
    }

    #[test]
    fn claims_refuse_a_new_class_access_mode_or_a_smaller_size() {
        use Effect::*;
        let claim = |class: &str, size: &str| {
            json!({ "spec": {
            "storageClassName": class, "accessModes": ["ReadWriteOnce"],
            "resources": { "requests": { "storage": size } } } })
        };
        assert_eq!(
            effects(
                "PersistentVolumeClaim",
                claim("a", "10Gi"),
                claim("b", "5Gi")
            ),
            [
                (
                    "spec.resources.requests.storage".to_string(),
                    vec![CannotApply]
                ),
                ("spec.storageClassName".to_string(), vec![CannotApply]),
            ]
        );
        assert_eq!(
            effects(
                "PersistentVolumeClaim",
                claim("a", "10Gi"),
                claim("a", "20Gi")
            ),
            [("spec.resources.requests.storage".to_string(), vec![])]
        );
        assert_eq!(quantity("1Gi"), Some(1073741824.0));
        assert!(quantity("2G") > quantity("1Gi"));
        assert_eq!(quantity("x"), None);
    }

    #[test]
    fn exposure_and_permissions() {
        use Effect::*;
        let service = |t: &str| json!({ "spec": { "type": t, "clusterIP": "None" } });
        assert_eq!(
            effects("Service", service("ClusterIP"), service("LoadBalancer")),
            [("spec.type".to_string(), vec![ChangesExposure])]
        );
        let role = |verb: &str| json!({ "rules": [ { "verbs": [verb] } ] });
        assert_eq!(
            effects("Role", role("get"), role("delete")),
            [("rules[0].verbs[0]".to_string(), vec![ChangesPermissions])]
        );
        assert_eq!(
            of_removed(&id("PersistentVolumeClaim"), &json!({})),
            [LosesData]
        );
        assert_eq!(of_added(&id("Ingress"), &json!({})), [ChangesExposure]);
        assert_eq!(of_added(&id("ConfigMap"), &json!({})), []);
    }
}
