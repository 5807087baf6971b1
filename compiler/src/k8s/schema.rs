//! Checking objects against their real schema before they are printed (with the formats
//! and enumerations the types leave as strings, [`super::formats`]). Built-in kinds are
//! read into their k8s-openapi types, custom resources into the types generated from their
//! CRDs ([`super::crds`], with the property counts the CRDs set); both through [`super::reader`], which reports every field the type
//! lacks (with the fields it has) and the first value of the wrong type, each with its path.
//!
//! A kind mlc has a schema for, written with an apiVersion it has none for, is reported
//! (it is usually a typo or a version the cluster no longer serves). Any other kind, such
//! as a custom resource of an operator mlc does not know, passes through unchecked.

use super::crds::{self, Crd, PropertyCount};
use super::reader::{self, Error, UnknownField};
use crate::diagnostic::did_you_mean;
use crate::eval::Data;
use k8s_openapi::api::{
    apps, autoscaling, batch, core, networking, policy, rbac, scheduling, storage,
};
use serde::de::DeserializeOwned;

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

/// The schema of one kind in one apiVersion.
struct Schema {
    api_version: &'static str,
    kind: &'static str,
    /// Reads an object into the kind's type.
    read: fn(&Data) -> (Option<Error>, Vec<UnknownField>),
    /// What the schema says beyond field names and types.
    counts: &'static [PropertyCount],
}

/// A built-in kind, read into its k8s-openapi type.
const fn built_in<T: DeserializeOwned>(api_version: &'static str, kind: &'static str) -> Schema {
    Schema {
        api_version,
        kind,
        read: read_as::<T>,
        counts: &[],
    }
}

/// A custom resource, read into the type generated from its CRD.
const fn custom<T: DeserializeOwned + Crd>() -> Schema {
    Schema {
        api_version: T::API_VERSION,
        kind: T::KIND,
        read: read_as::<T>,
        counts: T::PROPERTY_COUNTS,
    }
}

/// Every kind mlc checks (`crds::GENERATED` lists the custom resources a test holds this
/// table to).
const SCHEMAS: &[Schema] = &[
    built_in::<core::v1::ServiceAccount>("v1", "ServiceAccount"),
    built_in::<core::v1::Secret>("v1", "Secret"),
    built_in::<core::v1::ConfigMap>("v1", "ConfigMap"),
    built_in::<core::v1::Namespace>("v1", "Namespace"),
    built_in::<core::v1::PersistentVolumeClaim>("v1", "PersistentVolumeClaim"),
    built_in::<core::v1::PersistentVolume>("v1", "PersistentVolume"),
    built_in::<core::v1::Service>("v1", "Service"),
    built_in::<core::v1::Pod>("v1", "Pod"),
    built_in::<core::v1::ResourceQuota>("v1", "ResourceQuota"),
    built_in::<core::v1::LimitRange>("v1", "LimitRange"),
    built_in::<apps::v1::Deployment>("apps/v1", "Deployment"),
    built_in::<apps::v1::StatefulSet>("apps/v1", "StatefulSet"),
    built_in::<apps::v1::DaemonSet>("apps/v1", "DaemonSet"),
    built_in::<apps::v1::ReplicaSet>("apps/v1", "ReplicaSet"),
    built_in::<batch::v1::Job>("batch/v1", "Job"),
    built_in::<batch::v1::CronJob>("batch/v1", "CronJob"),
    built_in::<autoscaling::v2::HorizontalPodAutoscaler>(
        "autoscaling/v2",
        "HorizontalPodAutoscaler",
    ),
    built_in::<networking::v1::Ingress>("networking.k8s.io/v1", "Ingress"),
    built_in::<networking::v1::IngressClass>("networking.k8s.io/v1", "IngressClass"),
    built_in::<networking::v1::NetworkPolicy>("networking.k8s.io/v1", "NetworkPolicy"),
    built_in::<policy::v1::PodDisruptionBudget>("policy/v1", "PodDisruptionBudget"),
    built_in::<rbac::v1::Role>("rbac.authorization.k8s.io/v1", "Role"),
    built_in::<rbac::v1::RoleBinding>("rbac.authorization.k8s.io/v1", "RoleBinding"),
    built_in::<rbac::v1::ClusterRole>("rbac.authorization.k8s.io/v1", "ClusterRole"),
    built_in::<rbac::v1::ClusterRoleBinding>("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
    built_in::<scheduling::v1::PriorityClass>("scheduling.k8s.io/v1", "PriorityClass"),
    built_in::<storage::v1::StorageClass>("storage.k8s.io/v1", "StorageClass"),
    custom::<crds::monitoring_coreos_com::v1::ServiceMonitor>(),
    custom::<crds::external_secrets_io::v1::SecretStore>(),
    custom::<crds::external_secrets_io::v1::ExternalSecret>(),
    custom::<crds::gateway_networking_k8s_io::v1::HTTPRoute>(),
    custom::<crds::gateway_networking_k8s_io::v1beta1::HTTPRoute>(),
];

/// Checks `object`, an object of `kind` in `api_version`, against its schema if mlc has one.
pub fn check(api_version: &str, kind: &str, object: &Data) -> Checked {
    if let Some(schema) = SCHEMAS
        .iter()
        .find(|s| s.kind == kind && s.api_version == api_version)
    {
        return Checked::Problems(check_as(schema, object));
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

fn read_as<T: DeserializeOwned>(object: &Data) -> (Option<Error>, Vec<UnknownField>) {
    let (result, unknown) = reader::read::<T>(object);
    (result.err(), unknown)
}

fn check_as(schema: &Schema, object: &Data) -> Vec<Problem> {
    let (error, unknown) = (schema.read)(object);
    let mut invalid = match error {
        // Rules would judge an object that lacks the misspelt fields: fix those first.
        None if unknown.is_empty() => crds::property_counts(schema.counts, object),
        None => Vec::new(),
        Some(error) if misspelt(&error, &unknown) => Vec::new(),
        Some(error) => vec![error],
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
    use serde_json::{json, Value};

    fn check(api_version: &str, kind: &str, object: &Value) -> Checked {
        super::check(api_version, kind, &Data::from_json(object))
    }

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
    fn every_generated_custom_resource_is_in_the_table() {
        for (api_version, kind) in crds::GENERATED {
            assert!(
                SCHEMAS
                    .iter()
                    .any(|s| s.api_version == *api_version && s.kind == *kind),
                "{api_version} {kind} is generated but not checked"
            );
        }
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
