//! `ExternalSecret` (`external-secrets.io/v1`, the External Secrets Operator): which
//! remote values to copy into a Kubernetes Secret, through which store, and how to shape
//! the Secret. Mirrors `apis/externalsecrets/v1/externalsecret_types.go` of ESO, every
//! field of `spec`; enumerations are Rust enums.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ExternalSecret {
    api_version: String,
    kind: String,
    metadata: Option<ObjectMeta>,
    spec: Option<ExternalSecretSpec>,
    /// Written by the operator, never checked.
    status: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ExternalSecretSpec {
    secret_store_ref: Option<SecretStoreRef>,
    target: Option<Target>,
    refresh_policy: Option<RefreshPolicy>,
    /// A Go duration: `1h`, `2h30m`, `0` to fetch once.
    refresh_interval: Option<String>,
    data: Option<Vec<Data>>,
    data_from: Option<Vec<DataFrom>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SecretStoreRef {
    name: Option<String>,
    kind: Option<StoreKind>,
}

#[derive(Debug, Deserialize)]
enum StoreKind {
    SecretStore,
    ClusterSecretStore,
}

#[derive(Debug, Deserialize)]
enum RefreshPolicy {
    CreatedOnce,
    Periodic,
    OnChange,
}

/// The Secret the operator writes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Target {
    name: Option<String>,
    creation_policy: Option<CreationPolicy>,
    deletion_policy: Option<DeletionPolicy>,
    template: Option<Template>,
    immutable: Option<bool>,
}

#[derive(Debug, Deserialize)]
enum CreationPolicy {
    Owner,
    Orphan,
    Merge,
    None,
}

#[derive(Debug, Deserialize)]
enum DeletionPolicy {
    Delete,
    Merge,
    Retain,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Template {
    /// The Secret's `type` (`Opaque`, `kubernetes.io/tls`, ...).
    r#type: Option<String>,
    engine_version: Option<EngineVersion>,
    metadata: Option<TemplateMetadata>,
    merge_policy: Option<MergePolicy>,
    data: Option<BTreeMap<String, String>>,
    template_from: Option<Vec<TemplateFrom>>,
}

#[derive(Debug, Deserialize)]
enum EngineVersion {
    #[serde(rename = "v2")]
    V2,
}

#[derive(Debug, Deserialize)]
enum MergePolicy {
    Replace,
    Merge,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateMetadata {
    annotations: Option<BTreeMap<String, String>>,
    labels: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct TemplateFrom {
    config_map: Option<TemplateRef>,
    secret: Option<TemplateRef>,
    target: Option<TemplateTarget>,
    literal: Option<String>,
}

#[derive(Debug, Deserialize)]
enum TemplateTarget {
    Data,
    Annotations,
    Labels,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateRef {
    name: String,
    items: Vec<TemplateRefItem>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct TemplateRefItem {
    key: String,
    template_as: Option<TemplateScope>,
}

#[derive(Debug, Deserialize)]
enum TemplateScope {
    Values,
    KeysAndValues,
}

/// One key of the Secret and the remote value it holds.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Data {
    secret_key: String,
    remote_ref: RemoteRef,
    source_ref: Option<SourceRef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RemoteRef {
    key: String,
    metadata_policy: Option<MetadataPolicy>,
    property: Option<String>,
    version: Option<String>,
    conversion_strategy: Option<ConversionStrategy>,
    decoding_strategy: Option<DecodingStrategy>,
}

#[derive(Debug, Deserialize)]
enum MetadataPolicy {
    None,
    Fetch,
}

#[derive(Debug, Deserialize)]
enum ConversionStrategy {
    Default,
    Unicode,
}

#[derive(Debug, Deserialize)]
enum DecodingStrategy {
    Auto,
    Base64,
    #[serde(rename = "Base64URL")]
    Base64Url,
    None,
}

/// Many keys at once: all properties of one remote secret, or every secret found.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct DataFrom {
    extract: Option<RemoteRef>,
    find: Option<Find>,
    rewrite: Option<Vec<Rewrite>>,
    source_ref: Option<SourceRef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Find {
    path: Option<String>,
    name: Option<FindName>,
    tags: Option<BTreeMap<String, String>>,
    conversion_strategy: Option<ConversionStrategy>,
    decoding_strategy: Option<DecodingStrategy>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FindName {
    regexp: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Rewrite {
    merge: Option<RewriteMerge>,
    regexp: Option<RewriteRegexp>,
    transform: Option<RewriteTransform>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RewriteMerge {
    into: Option<String>,
    priority: Option<Vec<String>>,
    conflict_policy: Option<ConflictPolicy>,
    strategy: Option<MergeStrategy>,
}

#[derive(Debug, Deserialize)]
enum ConflictPolicy {
    Ignore,
    Error,
}

#[derive(Debug, Deserialize)]
enum MergeStrategy {
    Extract,
    #[serde(rename = "JSON")]
    Json,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RewriteRegexp {
    source: String,
    target: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RewriteTransform {
    template: String,
}

/// Another store, or a generator, to take values from.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct SourceRef {
    store_ref: Option<SecretStoreRef>,
    generator_ref: Option<GeneratorRef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct GeneratorRef {
    api_version: Option<String>,
    kind: String,
    name: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::k8s::reader::read;
    use serde_json::json;

    #[test]
    fn reads_the_charts_external_secret() {
        let (result, unknown) = read::<ExternalSecret>(&json!({
            "apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret",
            "metadata": { "name": "mlflow-mlflow-externalsecret" },
            "spec": {
                "refreshInterval": "1h",
                "secretStoreRef": { "name": "mlflow-mlflow", "kind": "SecretStore" },
                "target": {
                    "name": "mlflow-backend-store", "creationPolicy": "Owner",
                    "template": { "engineVersion": "v2", "data": { "db-uri": "postgresql://{{ .username }}@db/mlflow" } }
                },
                "data": [ { "secretKey": "username", "remoteRef": { "key": "remote", "property": "username" } } ],
                "dataFrom": [ { "extract": { "key": "all" }, "rewrite": [ { "regexp": { "source": "a", "target": "b" } } ] } ]
            }
        }));
        assert!(result.is_ok(), "{result:?}");
        assert!(unknown.is_empty(), "{unknown:?}");
    }

    #[test]
    fn finds_misspelt_fields_and_policies() {
        let (result, unknown) = read::<ExternalSecret>(&json!({
            "apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret",
            "metadata": { "name": "x" },
            "spec": {
                "data": [ { "secretKey": "a", "remoteRef": { "key": "k", "propery": "p" } } ],
                "target": { "creationPolicy": "Owned" }
            }
        }));
        assert_eq!(unknown.len(), 1);
        assert_eq!(
            unknown[0].path,
            ["spec", "data", "0", "remoteRef", "propery"]
        );
        let error = result.expect_err("Owned is no policy");
        assert_eq!(
            error.choice.as_ref().map(|(value, _)| value.clone()),
            Some("Owned".to_string())
        );
    }
}
