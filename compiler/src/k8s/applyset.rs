//! Kubernetes ApplySets (KEP-3659), for `mlc build --applyset NAME`: every object of the
//! build gets the label `applyset.kubernetes.io/part-of: <id>`, and a parent Secret `NAME`
//! is added with the label `applyset.kubernetes.io/id: <id>` and the annotations a parent
//! carries (`tooling`, `contains-group-kinds`, `additional-namespaces`), exactly as
//! `kubectl apply --applyset` writes them. The id is the KEP's:
//! `applyset-<base64url(sha256(<name>.<namespace>.<kind>.<group>))>-v1`, unpadded.
//!
//! This is opt-in, because the default output must stay equal to Helm's objects, and because
//! `kubectl apply --prune --applyset=NAME` adds these labels and the parent itself (it refuses
//! input that already carries them, and a parent whose tooling is not kubectl). The labelled
//! output is for appliers that are not kubectl's ApplySet mode (a GitOps agent applying the
//! rendered stream): the objects of one build stay findable and prunable by their label.
//!
//! A Namespace object (`createNamespace`) is left out of the set, as Helm leaves it out of
//! the release: pruning it would delete everything in it, the database volume included.

use super::Manifest;
use crate::eval::{Data, DataKind};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;

pub const PART_OF: &str = "applyset.kubernetes.io/part-of";
pub const ID: &str = "applyset.kubernetes.io/id";
pub const TOOLING: &str = "applyset.kubernetes.io/tooling";
pub const CONTAINS_GROUP_KINDS: &str = "applyset.kubernetes.io/contains-group-kinds";
pub const ADDITIONAL_NAMESPACES: &str = "applyset.kubernetes.io/additional-namespaces";

/// The parent's kind: a Secret, kubectl's default parent.
const PARENT_KIND: &str = "Secret";

/// The id of the ApplySet whose parent is `kind`.`group` `name` in `namespace` (the KEP's
/// rule, as kubectl computes it).
pub fn id(name: &str, namespace: &str, kind: &str, group: &str) -> String {
    let hashed = Sha256::digest(format!("{name}.{namespace}.{kind}.{group}").as_bytes());
    let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(hashed);
    format!("applyset-{encoded}-v1")
}

/// `Deployment.apps`, `Service`: a kind and its API group as the annotation lists them.
fn group_kind(manifest: &Manifest) -> String {
    let api_version = manifest.value["apiVersion"].as_str().unwrap_or_default();
    match api_version.split_once('/') {
        Some((group, _)) => format!("{}.{group}", manifest.kind),
        None => manifest.kind.clone(),
    }
}

fn is_namespace(manifest: &Manifest) -> bool {
    manifest.kind == "Namespace" && manifest.value["apiVersion"].as_str() == Some("v1")
}

/// Makes `manifests` the members of the ApplySet whose parent is the Secret `parent`, and
/// appends the parent. The parent lives in the namespace of the first namespaced object;
/// the other namespaces are listed in its `additional-namespaces` annotation.
pub fn adopt(manifests: &mut Vec<Manifest>, parent: &str, tooling: &str) -> Result<(), String> {
    if !is_dns_subdomain(parent) {
        return Err(format!(
            "`{parent}` cannot name the ApplySet's parent Secret: use lower-case letters, digits, `-` and `.` (at most 253)"
        ));
    }
    let namespaces: Vec<&str> = manifests
        .iter()
        .filter_map(|m| m.value["metadata"]["namespace"].as_str())
        .filter(|namespace| !namespace.is_empty())
        .collect();
    let Some(namespace) = namespaces.first().map(|n| n.to_string()) else {
        return Err(
            "the ApplySet's parent needs a namespace, and no object of this build has one".into(),
        );
    };
    let additional: BTreeSet<&str> = namespaces
        .iter()
        .copied()
        .filter(|n| *n != namespace)
        .collect();
    let additional = additional.into_iter().collect::<Vec<_>>().join(",");
    let id = id(parent, &namespace, PARENT_KIND, "");
    let mut group_kinds = BTreeSet::new();
    for manifest in manifests.iter_mut().filter(|m| !is_namespace(m)) {
        group_kinds.insert(group_kind(manifest));
        let labels = &manifest.value["metadata"]["labels"];
        if let Some(other) = labels.as_attrs().and_then(|labels| labels.get(PART_OF)) {
            if other.as_str() != Some(id.as_str()) {
                return Err(format!(
                    "{} `{}` is already part of the ApplySet {}",
                    manifest.kind,
                    manifest.name,
                    other.to_json().unwrap_or_default()
                ));
            }
        }
        let label = Data {
            kind: DataKind::String(id.clone()),
            origin: None,
        };
        manifest.value.set(&["metadata", "labels", PART_OF], label);
    }
    let group_kinds = group_kinds.into_iter().collect::<Vec<_>>().join(",");
    let value = Data::from_json(&serde_json::json!({
            "apiVersion": "v1",
            "kind": PARENT_KIND,
            "metadata": {
                "name": parent,
                "namespace": namespace,
                "labels": { ID: id },
                "annotations": {
                    TOOLING: tooling,
                    CONTAINS_GROUP_KINDS: group_kinds,
                    ADDITIONAL_NAMESPACES: additional,
                },
            },
    }));
    // Like every object mlc prints, the parent is checked against its schema.
    match super::schema::check("v1", PARENT_KIND, &value) {
        super::schema::Checked::Problems(problems) if problems.is_empty() => {}
        _ => {
            return Err(format!(
                "the ApplySet parent Secret `{parent}` is not a valid Secret"
            ))
        }
    }
    manifests.push(Manifest {
        kind: PARENT_KIND.to_string(),
        name: parent.to_string(),
        value,
        origin: None,
    });
    super::order::sort(manifests);
    Ok(())
}

/// A DNS-1123 subdomain: what a Secret may be named.
fn is_dns_subdomain(name: &str) -> bool {
    name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::manifest;
    use serde_json::json;

    #[test]
    fn the_id_is_the_keps_hash_as_kubectl_computes_it() {
        // kubectl's own test (pkg/cmd/apply/apply_test.go): the parent Secret `my-set` in
        // namespace `test`.
        assert_eq!(
            id("my-set", "test", "Secret", ""),
            "applyset-0eFHV8ySqp7XoShsGvyWFQD3s96yqwHmzc4e0HR1dsY-v1"
        );
        // The KEP's rule, <name>.<namespace>.<kind>.<group>, computed independently
        // (Python's hashlib and base64.urlsafe_b64encode, padding stripped).
        assert_eq!(
            id("my-set", "test", "ConfigMap", ""),
            "applyset-gixR4KUFBNRxOPyC-scYMHmBW0ziohNNkE_oCmTLycQ-v1"
        );
        // A label value: at most 63 characters, alphanumeric at both ends.
        let value = id("mlflow", "mlflow", "Secret", "");
        assert!(value.len() <= 63, "{value}");
        assert!(value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    }

    #[test]
    fn members_are_labelled_and_the_parent_lists_their_group_kinds() {
        let mut manifests = vec![
            manifest("v1", "Namespace", None, "ml"),
            manifest("v1", "Service", Some("ml"), "s"),
            manifest("apps/v1", "Deployment", Some("ml"), "d"),
            manifest("rbac.authorization.k8s.io/v1", "ClusterRole", None, "c"),
            manifest("v1", "ConfigMap", Some("other"), "o"),
        ];
        adopt(&mut manifests, "mlflow-set", "mlc/0.1.0").expect("adopted");
        let id = id("mlflow-set", "ml", "Secret", "");
        let parent = manifests
            .iter()
            .find(|m| m.kind == "Secret")
            .expect("the parent");
        assert_eq!(
            parent.to_json(),
            json!({
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {
                    "name": "mlflow-set",
                    "namespace": "ml",
                    "labels": { ID: id },
                    "annotations": {
                        TOOLING: "mlc/0.1.0",
                        CONTAINS_GROUP_KINDS: "ClusterRole.rbac.authorization.k8s.io,ConfigMap,Deployment.apps,Service",
                        ADDITIONAL_NAMESPACES: "other",
                    },
                },
            })
        );
        for member in manifests.iter().filter(|m| m.kind != "Secret") {
            let label = member.value["metadata"]["labels"][PART_OF].as_str();
            if member.kind == "Namespace" {
                assert!(label.is_none(), "the Namespace is not a member");
            } else {
                assert_eq!(label, Some(id.as_str()), "{}", member.kind);
            }
        }
        // Still in Helm's install order: the Secret before the ConfigMap.
        let kinds: Vec<&str> = manifests.iter().map(|m| m.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "Namespace",
                "Secret",
                "ConfigMap",
                "ClusterRole",
                "Service",
                "Deployment"
            ]
        );
    }

    #[test]
    fn bad_parents_and_foreign_members_are_refused() {
        let mut manifests = vec![manifest("v1", "Service", Some("ml"), "s")];
        assert!(adopt(&mut manifests.clone(), "Bad_Name", "mlc/0").is_err());
        assert!(adopt(
            &mut vec![manifest("v1", "Namespace", None, "x")],
            "p",
            "mlc/0"
        )
        .is_err());
        manifests[0].value.set(
            &["metadata", "labels"],
            Data::from_json(&json!({ PART_OF: "applyset-other-v1" })),
        );
        let error = adopt(&mut manifests, "p", "mlc/0");
        assert_eq!(
            error,
            Err("Service `s` is already part of the ApplySet \"applyset-other-v1\"".to_string())
        );
    }
}
