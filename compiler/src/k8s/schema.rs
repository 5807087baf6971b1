//! Checking objects against their real schema before they are printed (with the formats
//! and enumerations the types leave as strings, [`super::formats`]). Built-in kinds are
//! read into their k8s-openapi types, the chart's custom resources into mlc's own types
//! ([`super::crds`]); both through [`super::reader`], which reports every field the type
//! lacks (with the fields it has) and the first value of the wrong type, each with its path.
//!
//! A kind mlc has a schema for, written with an apiVersion it has none for, is reported
//! (it is usually a typo or a version the cluster no longer serves). Any other kind, such
//! as a custom resource of an operator mlc does not know, passes through unchecked.

use super::crds::{external_secret, http_route, secret_store, service_monitor};
use super::reader::{self, Error, UnknownField};
use crate::diagnostic::did_you_mean;
use k8s_openapi::api::{
    apps, autoscaling, batch, core, networking, policy, rbac, scheduling, storage,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// What is wrong with one object.
#[derive(Debug, PartialEq)]
pub enum Problem {
    /// A field the schema does not have.
    UnknownField(UnknownField),
    /// A value the schema does not take (wrong type, not an allowed value, a required
    /// field missing, or a rule of the resource broken).
    Invalid(Error),
}

/// The result of looking an object up.
#[derive(Debug, PartialEq)]
pub enum Checked {
    /// Checked against its schema; these are the problems found (none if it is valid).
    Problems(Vec<Problem>),
    /// mlc knows the kind, but only in these apiVersions: not checked.
    OtherVersions(Vec<&'static str>),
    /// mlc has no schema for the kind: not checked.
    UnknownKind,
}

/// Rules of a resource beyond field names and types (the types' own checks).
trait Rules {
    fn rules(&self) -> Vec<Error> {
        Vec::new()
    }
}

struct Schema {
    api_version: &'static str,
    kind: &'static str,
    check: fn(&Value) -> Vec<Problem>,
}

macro_rules! schemas {
    ($($api:literal, $kind:literal => $ty:ty;)*) => {
        const SCHEMAS: &[Schema] = &[
            $(Schema { api_version: $api, kind: $kind, check: check_as::<$ty> },)*
        ];
    };
}

schemas! {
    "v1", "ServiceAccount" => core::v1::ServiceAccount;
    "v1", "Secret" => core::v1::Secret;
    "v1", "ConfigMap" => core::v1::ConfigMap;
    "v1", "Namespace" => core::v1::Namespace;
    "v1", "PersistentVolumeClaim" => core::v1::PersistentVolumeClaim;
    "v1", "PersistentVolume" => core::v1::PersistentVolume;
    "v1", "Service" => core::v1::Service;
    "v1", "Pod" => core::v1::Pod;
    "v1", "ResourceQuota" => core::v1::ResourceQuota;
    "v1", "LimitRange" => core::v1::LimitRange;
    "apps/v1", "Deployment" => apps::v1::Deployment;
    "apps/v1", "StatefulSet" => apps::v1::StatefulSet;
    "apps/v1", "DaemonSet" => apps::v1::DaemonSet;
    "apps/v1", "ReplicaSet" => apps::v1::ReplicaSet;
    "batch/v1", "Job" => batch::v1::Job;
    "batch/v1", "CronJob" => batch::v1::CronJob;
    "autoscaling/v2", "HorizontalPodAutoscaler" => autoscaling::v2::HorizontalPodAutoscaler;
    "networking.k8s.io/v1", "Ingress" => networking::v1::Ingress;
    "networking.k8s.io/v1", "IngressClass" => networking::v1::IngressClass;
    "networking.k8s.io/v1", "NetworkPolicy" => networking::v1::NetworkPolicy;
    "policy/v1", "PodDisruptionBudget" => policy::v1::PodDisruptionBudget;
    "rbac.authorization.k8s.io/v1", "Role" => rbac::v1::Role;
    "rbac.authorization.k8s.io/v1", "RoleBinding" => rbac::v1::RoleBinding;
    "rbac.authorization.k8s.io/v1", "ClusterRole" => rbac::v1::ClusterRole;
    "rbac.authorization.k8s.io/v1", "ClusterRoleBinding" => rbac::v1::ClusterRoleBinding;
    "scheduling.k8s.io/v1", "PriorityClass" => scheduling::v1::PriorityClass;
    "storage.k8s.io/v1", "StorageClass" => storage::v1::StorageClass;
    "monitoring.coreos.com/v1", "ServiceMonitor" => service_monitor::ServiceMonitor;
    "external-secrets.io/v1", "SecretStore" => secret_store::SecretStore;
    "external-secrets.io/v1", "ExternalSecret" => external_secret::ExternalSecret;
    "gateway.networking.k8s.io/v1", "HTTPRoute" => http_route::HttpRoute;
    "gateway.networking.k8s.io/v1beta1", "HTTPRoute" => http_route::HttpRoute;
}

/// Built-in types have no rules beyond their types.
macro_rules! no_rules {
    ($($ty:ty),* $(,)?) => { $(impl Rules for $ty {})* };
}

no_rules!(
    core::v1::ServiceAccount,
    core::v1::Secret,
    core::v1::ConfigMap,
    core::v1::Namespace,
    core::v1::PersistentVolumeClaim,
    core::v1::PersistentVolume,
    core::v1::Service,
    core::v1::Pod,
    core::v1::ResourceQuota,
    core::v1::LimitRange,
    apps::v1::Deployment,
    apps::v1::StatefulSet,
    apps::v1::DaemonSet,
    apps::v1::ReplicaSet,
    batch::v1::Job,
    batch::v1::CronJob,
    autoscaling::v2::HorizontalPodAutoscaler,
    networking::v1::Ingress,
    networking::v1::IngressClass,
    networking::v1::NetworkPolicy,
    policy::v1::PodDisruptionBudget,
    rbac::v1::Role,
    rbac::v1::RoleBinding,
    rbac::v1::ClusterRole,
    rbac::v1::ClusterRoleBinding,
    scheduling::v1::PriorityClass,
    storage::v1::StorageClass,
    service_monitor::ServiceMonitor,
    external_secret::ExternalSecret,
    http_route::HttpRoute,
);

impl Rules for secret_store::SecretStore {
    fn rules(&self) -> Vec<Error> {
        secret_store::SecretStore::rules(self)
    }
}

/// Checks `object`, an object of `kind` in `api_version`, against its schema if mlc has one.
pub fn check(api_version: &str, kind: &str, object: &Value) -> Checked {
    if let Some(schema) = SCHEMAS
        .iter()
        .find(|s| s.kind == kind && s.api_version == api_version)
    {
        return Checked::Problems((schema.check)(object));
    }
    let versions: Vec<&'static str> = SCHEMAS
        .iter()
        .filter(|s| s.kind == kind)
        .map(|s| s.api_version)
        .collect();
    if versions.is_empty() {
        Checked::UnknownKind
    } else {
        Checked::OtherVersions(versions)
    }
}

fn check_as<T: DeserializeOwned + Rules>(object: &Value) -> Vec<Problem> {
    let (result, unknown) = reader::read::<T>(object);
    let mut invalid = match result {
        // Rules would judge an object that lacks the misspelt fields: fix those first.
        Ok(typed) if unknown.is_empty() => typed.rules(),
        Ok(_) => Vec::new(),
        Err(error) if misspelt(&error, &unknown) => Vec::new(),
        Err(error) => vec![error],
    };
    // Formats and enumerations the types leave as strings; not where the reader already
    // found the value wrong.
    let formats: Vec<Error> = super::formats::check(object)
        .into_iter()
        .filter(|error| !invalid.iter().any(|found| found.path == error.path))
        .collect();
    invalid.extend(formats);
    unknown
        .into_iter()
        .map(Problem::UnknownField)
        .chain(invalid.into_iter().map(Problem::Invalid))
        .collect()
}

/// Whether `error` is a required field that is there, misspelt (`regoin` for `region`):
/// the unknown field's diagnostic already says so.
fn misspelt(error: &Error, unknown: &[UnknownField]) -> bool {
    let Some(field) = error.missing else {
        return false;
    };
    unknown.iter().any(|u| {
        u.path.len() == error.path.len() + 1
            && u.path.starts_with(&error.path)
            && u.path
                .last()
                .is_some_and(|name| did_you_mean(name, [field]).is_some())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn problems(api_version: &str, kind: &str, object: &Value) -> Vec<Problem> {
        match check(api_version, kind, object) {
            Checked::Problems(problems) => problems,
            other => panic!("not checked: {other:?}"),
        }
    }

    fn unknown_paths(problems: &[Problem]) -> Vec<Vec<String>> {
        problems
            .iter()
            .filter_map(|p| match p {
                Problem::UnknownField(u) => Some(u.path.clone()),
                Problem::Invalid(_) => None,
            })
            .collect()
    }

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
            unknown_paths(&problems("apps/v1", "Deployment", &deployment)),
            [
                ["spec", "template", "spec", "containers", "0", "imag"]
                    .map(String::from)
                    .to_vec(),
                ["spec", "template", "spec", "serviceAcountName"]
                    .map(String::from)
                    .to_vec(),
            ]
        );
    }

    #[test]
    fn reports_values_of_the_wrong_type_where_they_are() {
        let service = json!({ "apiVersion": "v1", "kind": "Service", "metadata": { "name": "x" }, "spec": { "ports": [ { "port": "http" } ] } });
        match problems("v1", "Service", &service).as_slice() {
            [Problem::Invalid(error)] => assert_eq!(error.path, ["spec", "ports", "0", "port"]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn checks_custom_resources_and_their_rules() {
        let monitor = json!({
            "apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor",
            "metadata": { "name": "m" },
            "spec": { "selector": {}, "endpoints": [ { "prot": "http" } ] }
        });
        assert_eq!(
            unknown_paths(&problems(
                "monitoring.coreos.com/v1",
                "ServiceMonitor",
                &monitor
            )),
            [["spec", "endpoints", "0", "prot"]
                .map(String::from)
                .to_vec()]
        );
        let store = json!({
            "apiVersion": "external-secrets.io/v1", "kind": "SecretStore",
            "metadata": { "name": "s" }, "spec": { "provider": {} }
        });
        assert!(matches!(
            problems("external-secrets.io/v1", "SecretStore", &store).as_slice(),
            [Problem::Invalid(_)]
        ));
    }

    #[test]
    fn a_misspelt_required_field_is_reported_once() {
        let store = json!({
            "apiVersion": "external-secrets.io/v1", "kind": "SecretStore",
            "metadata": { "name": "s" },
            "spec": { "provider": { "aws": { "service": "SecretsManager", "regoin": "eu-west-1" } } }
        });
        assert_eq!(
            unknown_paths(&problems("external-secrets.io/v1", "SecretStore", &store)),
            [["spec", "provider", "aws", "regoin"]
                .map(String::from)
                .to_vec()]
        );
        // Misspelt, the provider is not set; the rule saying so waits for the fix.
        let store = json!({
            "apiVersion": "external-secrets.io/v1", "kind": "SecretStore",
            "metadata": { "name": "s" }, "spec": { "provider": { "valut": { "server": "x" } } }
        });
        assert_eq!(
            problems("external-secrets.io/v1", "SecretStore", &store).len(),
            1
        );
    }

    #[test]
    fn accepts_valid_objects_and_passes_unknown_kinds() {
        let account = json!({ "apiVersion": "v1", "kind": "ServiceAccount", "metadata": { "name": "x" }, "automountServiceAccountToken": false });
        assert!(problems("v1", "ServiceAccount", &account).is_empty());
        assert_eq!(
            check(
                "cert-manager.io/v1",
                "Certificate",
                &json!({ "anything": 1 })
            ),
            Checked::UnknownKind
        );
    }

    #[test]
    fn known_kinds_in_other_versions_are_not_checked() {
        assert_eq!(
            check("apps/v1beta2", "Deployment", &json!({})),
            Checked::OtherVersions(vec!["apps/v1"])
        );
        assert_eq!(
            check(
                "gateway.networking.k8s.io/v1alpha2",
                "HTTPRoute",
                &json!({})
            ),
            Checked::OtherVersions(vec![
                "gateway.networking.k8s.io/v1",
                "gateway.networking.k8s.io/v1beta1"
            ])
        );
    }
}
