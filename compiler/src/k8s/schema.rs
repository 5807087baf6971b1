//! Checking objects against their real schema: built-in kinds are read into their
//! k8s-openapi types; a value of the wrong type fails there, and a field the type does not
//! have is found by writing the typed object back and looking for what was lost. Custom
//! resources (ServiceMonitor, SecretStore, ExternalSecret, ...) are not checked yet.

use k8s_openapi::api::{apps, batch, core, networking, policy, rbac};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// What is wrong with one object: fields its schema lacks (as paths), or why it does not
/// read as its type.
#[derive(Debug, PartialEq)]
pub enum Problem {
    UnknownField(Vec<String>),
    Invalid(String),
}

/// The problems of `object`, an object of `kind` in `api_version`; none for kinds this
/// module has no schema for.
pub fn check(api_version: &str, kind: &str, object: &Value) -> Vec<Problem> {
    macro_rules! typed {
        ($($api:literal, $kind:literal => $ty:ty;)*) => {
            match (api_version, kind) {
                $(($api, $kind) => check_as::<$ty>(object),)*
                _ => Vec::new(),
            }
        };
    }
    typed! {
        "v1", "ServiceAccount" => core::v1::ServiceAccount;
        "v1", "Secret" => core::v1::Secret;
        "v1", "ConfigMap" => core::v1::ConfigMap;
        "v1", "Namespace" => core::v1::Namespace;
        "v1", "PersistentVolumeClaim" => core::v1::PersistentVolumeClaim;
        "v1", "Service" => core::v1::Service;
        "v1", "Pod" => core::v1::Pod;
        "apps/v1", "Deployment" => apps::v1::Deployment;
        "apps/v1", "StatefulSet" => apps::v1::StatefulSet;
        "apps/v1", "DaemonSet" => apps::v1::DaemonSet;
        "batch/v1", "Job" => batch::v1::Job;
        "batch/v1", "CronJob" => batch::v1::CronJob;
        "networking.k8s.io/v1", "Ingress" => networking::v1::Ingress;
        "networking.k8s.io/v1", "NetworkPolicy" => networking::v1::NetworkPolicy;
        "policy/v1", "PodDisruptionBudget" => policy::v1::PodDisruptionBudget;
        "rbac.authorization.k8s.io/v1", "Role" => rbac::v1::Role;
        "rbac.authorization.k8s.io/v1", "RoleBinding" => rbac::v1::RoleBinding;
        "rbac.authorization.k8s.io/v1", "ClusterRole" => rbac::v1::ClusterRole;
        "rbac.authorization.k8s.io/v1", "ClusterRoleBinding" => rbac::v1::ClusterRoleBinding;
    }
}

fn check_as<T: DeserializeOwned + Serialize>(object: &Value) -> Vec<Problem> {
    let typed: T = match serde_json::from_value(object.clone()) {
        Ok(typed) => typed,
        Err(error) => return vec![Problem::Invalid(error.to_string())],
    };
    let Ok(written) = serde_json::to_value(&typed) else {
        return Vec::new();
    };
    let mut problems = Vec::new();
    lost_fields(object, &written, &mut Vec::new(), &mut problems);
    problems
}

/// Every key of `input` that `written` (the typed object written back) does not have.
fn lost_fields(
    input: &Value,
    written: &Value,
    path: &mut Vec<String>,
    problems: &mut Vec<Problem>,
) {
    match (input, written) {
        (Value::Object(input), Value::Object(written)) => {
            for (key, value) in input {
                path.push(key.clone());
                match written.get(key) {
                    Some(kept) => lost_fields(value, kept, path, problems),
                    // A null the type leaves out is not a field it lacks.
                    None if !value.is_null() => problems.push(Problem::UnknownField(path.clone())),
                    None => {}
                }
                path.pop();
            }
        }
        (Value::Array(input), Value::Array(written)) => {
            for (index, (value, kept)) in input.iter().zip(written).enumerate() {
                path.push(index.to_string());
                lost_fields(value, kept, path, problems);
                path.pop();
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_fields_the_schema_lacks() {
        let deployment = json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": { "name": "x" },
            "spec": {
                "selector": { "matchLabels": { "a": "b" } },
                "template": { "spec": { "serviceAcountName": "x", "containers": [ { "name": "c", "imag": "i" } ] } }
            }
        });
        assert_eq!(
            check("apps/v1", "Deployment", &deployment),
            vec![
                Problem::UnknownField(vec![
                    "spec".into(),
                    "template".into(),
                    "spec".into(),
                    "containers".into(),
                    "0".into(),
                    "imag".into()
                ]),
                Problem::UnknownField(vec![
                    "spec".into(),
                    "template".into(),
                    "spec".into(),
                    "serviceAcountName".into()
                ]),
            ]
        );
    }

    #[test]
    fn reports_values_of_the_wrong_type() {
        let service = json!({ "apiVersion": "v1", "kind": "Service", "metadata": { "name": "x" }, "spec": { "ports": [ { "port": "http" } ] } });
        assert!(matches!(
            check("v1", "Service", &service).as_slice(),
            [Problem::Invalid(_)]
        ));
    }

    #[test]
    fn accepts_valid_objects_and_unknown_kinds() {
        let account = json!({ "apiVersion": "v1", "kind": "ServiceAccount", "metadata": { "name": "x" }, "automountServiceAccountToken": false });
        assert!(check("v1", "ServiceAccount", &account).is_empty());
        assert!(check(
            "monitoring.coreos.com/v1",
            "ServiceMonitor",
            &json!({ "anything": 1 })
        )
        .is_empty());
    }
}
