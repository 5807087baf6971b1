//! `ServiceMonitor` (`monitoring.coreos.com/v1`, the Prometheus Operator): how Prometheus
//! finds and scrapes the Services of a label selector. Mirrors the published CRD of
//! prometheus-operator 0.84 (`monitoring.coreos.com_servicemonitors.yaml`), every field
//! of `spec`; enumerations are Rust enums, so a value outside them is an error too.

use k8s_openapi::api::core::v1::{ConfigMapKeySelector, SecretKeySelector};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ServiceMonitor {
    api_version: String,
    kind: String,
    metadata: Option<ObjectMeta>,
    spec: ServiceMonitorSpec,
    /// Written by the operator, never checked.
    status: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ServiceMonitorSpec {
    attach_metadata: Option<AttachMetadata>,
    body_size_limit: Option<String>,
    #[serde(rename = "convertClassicHistogramsToNHCB")]
    convert_classic_histograms_to_nhcb: Option<bool>,
    endpoints: Vec<Endpoint>,
    fallback_scrape_protocol: Option<ScrapeProtocol>,
    job_label: Option<String>,
    keep_dropped_targets: Option<i64>,
    label_limit: Option<i64>,
    label_name_length_limit: Option<i64>,
    label_value_length_limit: Option<i64>,
    namespace_selector: Option<NamespaceSelector>,
    native_histogram_bucket_limit: Option<i64>,
    native_histogram_min_bucket_factor: Option<IntOrString>,
    pod_target_labels: Option<Vec<String>>,
    sample_limit: Option<i64>,
    scrape_class: Option<String>,
    scrape_classic_histograms: Option<bool>,
    scrape_protocols: Option<Vec<ScrapeProtocol>>,
    selector: LabelSelector,
    selector_mechanism: Option<SelectorMechanism>,
    target_labels: Option<Vec<String>>,
    target_limit: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AttachMetadata {
    node: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct NamespaceSelector {
    any: Option<bool>,
    match_names: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
enum ScrapeProtocol {
    PrometheusProto,
    #[serde(rename = "OpenMetricsText0.0.1")]
    OpenMetricsText001,
    #[serde(rename = "OpenMetricsText1.0.0")]
    OpenMetricsText100,
    #[serde(rename = "PrometheusText0.0.4")]
    PrometheusText004,
    #[serde(rename = "PrometheusText1.0.0")]
    PrometheusText100,
}

#[derive(Debug, Deserialize)]
enum SelectorMechanism {
    RelabelConfig,
    RoleSelector,
}

/// One scrape target of the selected Services.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Endpoint {
    authorization: Option<SafeAuthorization>,
    basic_auth: Option<BasicAuth>,
    bearer_token_file: Option<String>,
    bearer_token_secret: Option<SecretKeySelector>,
    enable_http2: Option<bool>,
    filter_running: Option<bool>,
    follow_redirects: Option<bool>,
    honor_labels: Option<bool>,
    honor_timestamps: Option<bool>,
    interval: Option<String>,
    metric_relabelings: Option<Vec<RelabelConfig>>,
    no_proxy: Option<String>,
    oauth2: Option<OAuth2>,
    params: Option<BTreeMap<String, Vec<String>>>,
    path: Option<String>,
    port: Option<String>,
    proxy_connect_header: Option<BTreeMap<String, Vec<SecretKeySelector>>>,
    proxy_from_environment: Option<bool>,
    proxy_url: Option<String>,
    relabelings: Option<Vec<RelabelConfig>>,
    scheme: Option<Scheme>,
    scrape_timeout: Option<String>,
    target_port: Option<IntOrString>,
    tls_config: Option<TlsConfig>,
    track_timestamps_staleness: Option<bool>,
}

#[derive(Debug, Deserialize)]
enum Scheme {
    #[serde(rename = "http")]
    Http,
    #[serde(rename = "https")]
    Https,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SafeAuthorization {
    credentials: Option<SecretKeySelector>,
    r#type: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BasicAuth {
    password: Option<SecretKeySelector>,
    username: Option<SecretKeySelector>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct OAuth2 {
    client_id: SecretOrConfigMap,
    client_secret: SecretKeySelector,
    endpoint_params: Option<BTreeMap<String, String>>,
    no_proxy: Option<String>,
    proxy_connect_header: Option<BTreeMap<String, Vec<SecretKeySelector>>>,
    proxy_from_environment: Option<bool>,
    proxy_url: Option<String>,
    scopes: Option<Vec<String>>,
    tls_config: Option<SafeTlsConfig>,
    token_url: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct SecretOrConfigMap {
    config_map: Option<ConfigMapKeySelector>,
    secret: Option<SecretKeySelector>,
}

/// TLS settings that reference only Secrets and ConfigMaps.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct SafeTlsConfig {
    ca: Option<SecretOrConfigMap>,
    cert: Option<SecretOrConfigMap>,
    insecure_skip_verify: Option<bool>,
    key_secret: Option<SecretKeySelector>,
    max_version: Option<TlsVersion>,
    min_version: Option<TlsVersion>,
    server_name: Option<String>,
}

/// The endpoint's TLS settings: the safe ones plus files in the Prometheus container.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct TlsConfig {
    ca: Option<SecretOrConfigMap>,
    ca_file: Option<String>,
    cert: Option<SecretOrConfigMap>,
    cert_file: Option<String>,
    insecure_skip_verify: Option<bool>,
    key_file: Option<String>,
    key_secret: Option<SecretKeySelector>,
    max_version: Option<TlsVersion>,
    min_version: Option<TlsVersion>,
    server_name: Option<String>,
}

#[derive(Debug, Deserialize)]
enum TlsVersion {
    #[serde(rename = "TLS10")]
    Tls10,
    #[serde(rename = "TLS11")]
    Tls11,
    #[serde(rename = "TLS12")]
    Tls12,
    #[serde(rename = "TLS13")]
    Tls13,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RelabelConfig {
    action: Option<RelabelAction>,
    modulus: Option<i64>,
    regex: Option<String>,
    replacement: Option<String>,
    separator: Option<String>,
    source_labels: Option<Vec<String>>,
    target_label: Option<String>,
}

/// Relabeling actions; the CRD takes each in lower case and in CamelCase.
#[derive(Debug, Deserialize)]
enum RelabelAction {
    #[serde(rename = "replace", alias = "Replace")]
    Replace,
    #[serde(rename = "keep", alias = "Keep")]
    Keep,
    #[serde(rename = "drop", alias = "Drop")]
    Drop,
    #[serde(rename = "hashmod", alias = "HashMod")]
    HashMod,
    #[serde(rename = "labelmap", alias = "LabelMap")]
    LabelMap,
    #[serde(rename = "labeldrop", alias = "LabelDrop")]
    LabelDrop,
    #[serde(rename = "labelkeep", alias = "LabelKeep")]
    LabelKeep,
    #[serde(rename = "lowercase", alias = "Lowercase")]
    Lowercase,
    #[serde(rename = "uppercase", alias = "Uppercase")]
    Uppercase,
    #[serde(rename = "keepequal", alias = "KeepEqual")]
    KeepEqual,
    #[serde(rename = "dropequal", alias = "DropEqual")]
    DropEqual,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::k8s::reader::read;
    use serde_json::json;

    #[test]
    fn reads_a_full_service_monitor() {
        let (result, unknown) = read::<ServiceMonitor>(&json!({
            "apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor",
            "metadata": { "name": "m", "labels": { "release": "prometheus" } },
            "spec": {
                "selector": { "matchLabels": { "app": "x" } },
                "namespaceSelector": { "matchNames": [ "mlflow" ] },
                "endpoints": [ {
                    "port": "https", "path": "/metrics", "scheme": "https", "interval": "30s",
                    "tlsConfig": { "insecureSkipVerify": true, "ca": { "secret": { "name": "ca", "key": "ca.crt" } } },
                    "relabelings": [ { "action": "Replace", "sourceLabels": [ "__meta_x" ], "targetLabel": "x" } ],
                    "params": { "format": [ "prometheus" ] }
                } ],
                "scrapeProtocols": [ "OpenMetricsText1.0.0" ]
            }
        }));
        assert!(result.is_ok(), "{result:?}");
        assert!(unknown.is_empty(), "{unknown:?}");
    }

    #[test]
    fn finds_misspelt_endpoint_fields_and_bad_schemes() {
        let (result, unknown) = read::<ServiceMonitor>(&json!({
            "apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor",
            "metadata": { "name": "m" },
            "spec": { "selector": {}, "endpoints": [ { "port": "http", "intervall": "30s", "scheme": "htps" } ] }
        }));
        assert_eq!(unknown.len(), 1);
        assert_eq!(unknown[0].path, ["spec", "endpoints", "0", "intervall"]);
        assert!(unknown[0].known.contains(&"interval"));
        let error = result.expect_err("htps is no scheme");
        assert_eq!(error.path, ["spec", "endpoints", "0", "scheme"]);
    }

    #[test]
    fn requires_endpoints_and_a_selector() {
        let (result, _) = read::<ServiceMonitor>(&json!({
            "apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor",
            "metadata": { "name": "m" }, "spec": { "endpoints": [] }
        }));
        let error = result.expect_err("selector is required");
        assert_eq!(error.path, ["spec"]);
        assert!(error.message.contains("`selector`"), "{}", error.message);
    }
}
