//! The generated types read the objects the chart makes, and find what is wrong with
//! others, as the CRDs say.

use super::external_secrets_io::v1::{ExternalSecret, SecretStore};
use super::gateway_networking_k8s_io::v1::HTTPRoute;
use super::monitoring_coreos_com::v1::ServiceMonitor;
use super::{property_counts, Crd};
use crate::eval::Data;
use crate::k8s::reader::{read, Error, UnknownField};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

/// The read's error (if any) and unknown fields.
fn check<T: DeserializeOwned>(object: &Value) -> (Option<Error>, Vec<UnknownField>) {
    let (result, unknown) = read::<T>(&Data::from_json(object));
    (result.err(), unknown)
}

fn store(provider: Value) -> Value {
    json!({
        "apiVersion": "external-secrets.io/v1", "kind": "SecretStore",
        "metadata": { "name": "s" }, "spec": { "provider": provider }
    })
}

/// The messages of the property counts `object` breaks.
fn counts<T: Crd>(object: &Value) -> Vec<String> {
    property_counts(T::PROPERTY_COUNTS, &Data::from_json(object))
        .into_iter()
        .map(|error| error.message.clone())
        .collect()
}

#[test]
fn reads_the_charts_providers() {
    for provider in [
        json!({ "aws": { "service": "SecretsManager", "region": "eu-west-1", "auth": { "jwt": { "serviceAccountRef": { "name": "mlflow" } } } } }),
        json!({ "vault": { "server": "https://vault.example.com", "path": "secret", "version": "v2",
            "auth": { "kubernetes": { "mountPath": "kubernetes", "role": "mlflow" } } } }),
        json!({ "gcpsm": { "projectID": "p", "auth": { "workloadIdentity": { "serviceAccountRef": { "name": "sa" } } } } }),
        json!({ "azurekv": { "vaultUrl": "https://v.vault.azure.net", "authType": "WorkloadIdentity" } }),
        json!({ "doppler": { "auth": { "secretRef": { "dopplerToken": { "name": "t" } } } } }),
    ] {
        let object = store(provider.clone());
        let (error, unknown) = check::<SecretStore>(&object);
        assert!(error.is_none(), "{provider}: {error:?}");
        assert!(unknown.is_empty(), "{provider}: {unknown:?}");
        assert!(counts::<SecretStore>(&object).is_empty(), "{provider}");
    }
}

#[test]
fn finds_misspelt_provider_fields_and_unknown_providers() {
    let (error, unknown) = check::<SecretStore>(&store(
        json!({ "aws": { "service": "SecretsManager", "regoin": "eu-west-1" } }),
    ));
    assert_eq!(unknown[0].path, ["spec", "provider", "aws", "regoin"]);
    let error = error.expect("region is required");
    assert_eq!(error.missing, Some("region"));

    let (_, unknown) = check::<SecretStore>(&store(json!({ "valut": { "server": "x" } })));
    assert_eq!(unknown[0].path, ["spec", "provider", "valut"]);
    assert!(unknown[0].known.contains(&"vault"));
}

#[test]
fn an_aws_provider_needs_its_region_and_service() {
    // ESO's CRD: `required: [region, service]`.
    let (error, _) =
        check::<SecretStore>(&store(json!({ "aws": { "service": "SecretsManager" } })));
    assert_eq!(error.and_then(|e| e.missing), Some("region"));
    let (error, _) = check::<SecretStore>(&store(json!({ "aws": { "region": "eu-west-1" } })));
    assert_eq!(error.and_then(|e| e.missing), Some("service"));
}

#[test]
fn exactly_one_provider() {
    let none = counts::<SecretStore>(&store(json!({})));
    assert_eq!(none.len(), 1);
    assert!(
        none[0].starts_with("nothing is set in `provider`: give exactly one of `akeyless`"),
        "{none:?}"
    );
    // A provider set to null is not set.
    assert_eq!(
        counts::<SecretStore>(&store(json!({ "vault": null }))),
        none
    );

    let two = counts::<SecretStore>(&store(json!({
        "fake": { "data": [] }, "vault": { "server": "x" }
    })));
    assert_eq!(
        two,
        ["2 fields are set in `provider` (`fake`, `vault`): it takes exactly one"]
    );
}

#[test]
fn counts_are_checked_where_the_schema_sets_them() {
    // The Kubernetes provider's `auth` is one method too (`maxProperties: 1`).
    let object = store(json!({ "kubernetes": { "auth": {
        "token": { "bearerToken": { "name": "t", "key": "k" } },
        "serviceAccount": { "name": "sa" }
    } } }));
    let errors = property_counts(SecretStore::PROPERTY_COUNTS, &Data::from_json(&object));
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].path, ["spec", "provider", "kubernetes", "auth"]);
}

#[test]
fn reads_the_charts_external_secret() {
    let (error, unknown) = check::<ExternalSecret>(&json!({
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
    assert!(error.is_none(), "{error:?}");
    assert!(unknown.is_empty(), "{unknown:?}");
}

#[test]
fn finds_misspelt_external_secret_fields_and_policies() {
    let (error, unknown) = check::<ExternalSecret>(&json!({
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
    let error = error.expect("Owned is no policy");
    assert_eq!(
        error.choice.as_ref().map(|(value, _)| value.clone()),
        Some("Owned".to_string())
    );
}

#[test]
fn reads_a_route_like_the_charts() {
    let (error, unknown) = check::<HTTPRoute>(&json!({
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
    assert!(error.is_none(), "{error:?}");
    assert!(unknown.is_empty(), "{unknown:?}");
}

#[test]
fn finds_misspelt_route_fields_and_match_types() {
    let (error, unknown) = check::<HTTPRoute>(&json!({
        "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
        "metadata": { "name": "r" },
        "spec": { "rules": [ {
            "backendRef": [ { "name": "x" } ],
            "matches": [ { "path": { "type": "Prefix", "value": "/" } } ]
        } ] }
    }));
    assert_eq!(unknown[0].path, ["spec", "rules", "0", "backendRef"]);
    assert!(unknown[0].known.contains(&"backendRefs"));
    let error = error.expect("Prefix is the Ingress spelling");
    assert_eq!(
        error.path,
        ["spec", "rules", "0", "matches", "0", "path", "type"]
    );
}

#[test]
fn reads_a_full_service_monitor() {
    let (error, unknown) = check::<ServiceMonitor>(&json!({
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
    assert!(error.is_none(), "{error:?}");
    assert!(unknown.is_empty(), "{unknown:?}");
}

#[test]
fn finds_misspelt_endpoint_fields_and_bad_schemes() {
    let (error, unknown) = check::<ServiceMonitor>(&json!({
        "apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor",
        "metadata": { "name": "m" },
        "spec": { "selector": {}, "endpoints": [ { "port": "http", "intervall": "30s", "scheme": "htps" } ] }
    }));
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0].path, ["spec", "endpoints", "0", "intervall"]);
    assert!(unknown[0].known.contains(&"interval"));
    let error = error.expect("htps is no scheme");
    assert_eq!(error.path, ["spec", "endpoints", "0", "scheme"]);
}

#[test]
fn a_service_monitor_requires_endpoints_and_a_selector() {
    let (error, _) = check::<ServiceMonitor>(&json!({
        "apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor",
        "metadata": { "name": "m" }, "spec": { "endpoints": [] }
    }));
    let error = error.expect("selector is required");
    assert_eq!(error.path, ["spec"]);
    assert!(error.message.contains("`selector`"), "{}", error.message);
}
