//! `HTTPRoute` (`gateway.networking.k8s.io/v1`, the Gateway API): which requests a Gateway
//! sends to which Services. Mirrors `apis/v1/httproute_types.go` of the Gateway API
//! (standard channel, plus the experimental `retry`, `sessionPersistence`, `cors` and
//! `externalAuth`; `externalAuth` is accepted as it is). Also served as `v1beta1`, with the
//! same schema.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct HttpRoute {
    api_version: String,
    kind: String,
    metadata: Option<ObjectMeta>,
    spec: HttpRouteSpec,
    /// Written by the Gateway controller, never checked.
    status: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct HttpRouteSpec {
    parent_refs: Option<Vec<ParentReference>>,
    hostnames: Option<Vec<String>>,
    rules: Option<Vec<Rule>>,
}

/// The Gateway (or other parent) the route attaches to.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ParentReference {
    group: Option<String>,
    kind: Option<String>,
    namespace: Option<String>,
    name: String,
    section_name: Option<String>,
    port: Option<i32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Rule {
    name: Option<String>,
    matches: Option<Vec<Match>>,
    filters: Option<Vec<Filter>>,
    backend_refs: Option<Vec<BackendRef>>,
    timeouts: Option<Timeouts>,
    retry: Option<Retry>,
    session_persistence: Option<SessionPersistence>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Match {
    path: Option<PathMatch>,
    headers: Option<Vec<NameMatch>>,
    query_params: Option<Vec<NameMatch>>,
    method: Option<Method>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PathMatch {
    r#type: Option<PathMatchType>,
    value: Option<String>,
}

#[derive(Debug, Deserialize)]
enum PathMatchType {
    Exact,
    PathPrefix,
    RegularExpression,
}

/// A header or query parameter match.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NameMatch {
    r#type: Option<ValueMatchType>,
    name: String,
    value: String,
}

#[derive(Debug, Deserialize)]
enum ValueMatchType {
    Exact,
    RegularExpression,
}

#[derive(Debug, Deserialize)]
#[allow(clippy::upper_case_acronyms)]
enum Method {
    GET,
    HEAD,
    POST,
    PUT,
    DELETE,
    CONNECT,
    OPTIONS,
    TRACE,
    PATCH,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Filter {
    r#type: FilterType,
    request_header_modifier: Option<HeaderFilter>,
    response_header_modifier: Option<HeaderFilter>,
    request_mirror: Option<RequestMirror>,
    request_redirect: Option<RequestRedirect>,
    url_rewrite: Option<UrlRewrite>,
    cors: Option<Cors>,
    external_auth: Option<serde_json::Value>,
    extension_ref: Option<LocalObjectReference>,
}

#[derive(Debug, Deserialize)]
enum FilterType {
    RequestHeaderModifier,
    ResponseHeaderModifier,
    RequestMirror,
    RequestRedirect,
    #[serde(rename = "URLRewrite")]
    UrlRewrite,
    ExtensionRef,
    #[serde(rename = "CORS")]
    Cors,
    ExternalAuth,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HeaderFilter {
    set: Option<Vec<Header>>,
    add: Option<Vec<Header>>,
    remove: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    name: String,
    value: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RequestMirror {
    backend_ref: BackendObjectReference,
    percent: Option<i32>,
    fraction: Option<Fraction>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Fraction {
    numerator: i32,
    denominator: Option<i32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RequestRedirect {
    scheme: Option<RedirectScheme>,
    hostname: Option<String>,
    path: Option<PathModifier>,
    port: Option<i32>,
    status_code: Option<i32>,
}

#[derive(Debug, Deserialize)]
enum RedirectScheme {
    #[serde(rename = "http")]
    Http,
    #[serde(rename = "https")]
    Https,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UrlRewrite {
    hostname: Option<String>,
    path: Option<PathModifier>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct PathModifier {
    r#type: PathModifierType,
    replace_full_path: Option<String>,
    replace_prefix_match: Option<String>,
}

#[derive(Debug, Deserialize)]
enum PathModifierType {
    ReplaceFullPath,
    ReplacePrefixMatch,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Cors {
    allow_origins: Option<Vec<String>>,
    allow_credentials: Option<bool>,
    allow_methods: Option<Vec<String>>,
    allow_headers: Option<Vec<String>>,
    expose_headers: Option<Vec<String>>,
    max_age: Option<i32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LocalObjectReference {
    group: String,
    kind: String,
    name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BackendObjectReference {
    group: Option<String>,
    kind: Option<String>,
    name: String,
    namespace: Option<String>,
    port: Option<i32>,
}

/// Where matching requests go, with a share of the traffic and filters of its own.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BackendRef {
    group: Option<String>,
    kind: Option<String>,
    name: String,
    namespace: Option<String>,
    port: Option<i32>,
    weight: Option<i32>,
    filters: Option<Vec<Filter>>,
}

/// Gateway API durations: `10s`, `1h30m`, `500ms`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Timeouts {
    request: Option<String>,
    backend_request: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Retry {
    codes: Option<Vec<i32>>,
    attempts: Option<i32>,
    backoff: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct SessionPersistence {
    session_name: Option<String>,
    absolute_timeout: Option<String>,
    idle_timeout: Option<String>,
    r#type: Option<SessionPersistenceType>,
    cookie_config: Option<CookieConfig>,
}

#[derive(Debug, Deserialize)]
enum SessionPersistenceType {
    Cookie,
    Header,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct CookieConfig {
    lifetime_type: Option<CookieLifetime>,
}

#[derive(Debug, Deserialize)]
enum CookieLifetime {
    Permanent,
    Session,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::k8s::reader::read;
    use serde_json::json;

    #[test]
    fn reads_a_route_like_the_charts() {
        let (result, unknown) = read::<HttpRoute>(&json!({
            "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": { "name": "mlflow" },
            "spec": {
                "parentRefs": [ { "name": "public", "namespace": "gateway", "sectionName": "https" } ],
                "hostnames": [ "mlflow.example.com" ],
                "rules": [ {
                    "matches": [ { "path": { "type": "PathPrefix", "value": "/" } } ],
                    "filters": [ { "type": "ResponseHeaderModifier", "responseHeaderModifier": { "set": [ { "name": "X-Frame-Options", "value": "DENY" } ] } } ],
                    "backendRefs": [ { "name": "mlflow-mlflow", "port": 5000 } ],
                    "timeouts": { "request": "60s" }
                } ]
            }
        }));
        assert!(result.is_ok(), "{result:?}");
        assert!(unknown.is_empty(), "{unknown:?}");
    }

    #[test]
    fn finds_misspelt_fields_and_match_types() {
        let (result, unknown) = read::<HttpRoute>(&json!({
            "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": { "name": "r" },
            "spec": { "rules": [ {
                "backendRef": [ { "name": "x" } ],
                "matches": [ { "path": { "type": "Prefix", "value": "/" } } ]
            } ] }
        }));
        assert_eq!(unknown[0].path, ["spec", "rules", "0", "backendRef"]);
        assert!(unknown[0].known.contains(&"backendRefs"));
        let error = result.expect_err("Prefix is the Ingress spelling");
        assert_eq!(
            error.path,
            ["spec", "rules", "0", "matches", "0", "path", "type"]
        );
    }
}
