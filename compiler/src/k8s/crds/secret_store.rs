//! `SecretStore` (`external-secrets.io/v1`, the External Secrets Operator): where remote
//! secrets live and how to log in there. Mirrors `apis/externalsecrets/v1/secretstore_types.go`
//! of ESO. Every provider ESO v1 has is a known key of `spec.provider`; the common ones
//! (AWS, HashiCorp Vault, Google Secret Manager, Azure Key Vault, Kubernetes) are typed to
//! the last field, the others are accepted as they are. Exactly one provider must be set,
//! as the CRD's `minProperties`/`maxProperties` say.

use super::super::reader::Error;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SecretStore {
    api_version: String,
    kind: String,
    metadata: Option<ObjectMeta>,
    spec: Option<SecretStoreSpec>,
    /// Written by the operator, never checked.
    status: Option<Value>,
}

impl SecretStore {
    /// What the CRD requires beyond field names and types.
    pub fn rules(&self) -> Vec<Error> {
        let Some(provider) = self.spec.as_ref().map(|spec| &spec.provider) else {
            return Vec::new();
        };
        let set = provider.set();
        let path = vec!["spec".to_string(), "provider".to_string()];
        match set.as_slice() {
            [_] => Vec::new(),
            [] => vec![Error::at(
                path,
                "no provider is set: give exactly one (`aws`, `vault`, `gcpsm`, `azurekv`, `kubernetes`, ...)".to_string(),
            )],
            several => vec![Error::at(
                path,
                format!(
                    "{} providers are set ({}): a store has exactly one",
                    several.len(),
                    several
                        .iter()
                        .map(|name| format!("`{name}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )],
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct SecretStoreSpec {
    controller: Option<String>,
    provider: Provider,
    retry_settings: Option<RetrySettings>,
    /// Seconds between checks of the store; 0 or unset leaves it to the controller.
    refresh_interval: Option<i64>,
    /// Only for a ClusterSecretStore: which namespaces may use it.
    conditions: Option<Vec<Condition>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RetrySettings {
    max_retries: Option<i32>,
    retry_interval: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Condition {
    namespace_selector: Option<LabelSelector>,
    namespaces: Option<Vec<String>>,
    namespace_regexes: Option<Vec<String>>,
}

/// Declares the provider keys: typed ones with their Rust type, accepted-as-is ones as JSON.
macro_rules! providers {
    (typed { $($typed:ident: $ty:ty),* $(,)? } free { $($free:ident $(= $rename:literal)?),* $(,)? }) => {
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Provider {
            $($typed: Option<$ty>,)*
            $($(#[serde(rename = $rename)])? $free: Option<Value>,)*
        }

        impl Provider {
            /// The names of the providers that are set.
            fn set(&self) -> Vec<&'static str> {
                let mut names = Vec::new();
                $(if self.$typed.is_some() { names.push(stringify!($typed)); })*
                $(if self.$free.is_some() { names.push(providers!(@name $free $($rename)?)); })*
                names
            }
        }
    };
    (@name $free:ident $rename:literal) => { $rename };
    (@name $free:ident) => { stringify!($free) };
}

providers! {
    typed {
        aws: AwsProvider,
        vault: VaultProvider,
        gcpsm: GcpsmProvider,
        azurekv: AzureKvProvider,
        kubernetes: KubernetesProvider,
    }
    free {
        akeyless, alibaba, barbican, beyondtrust, beyondtrustworkloadcredentials,
        bitwardensecretsmanager, chef, cloudrusm, conjur, delinea, device42, doppler, dvls,
        fake, fortanix, github, gitlab, ibm, infisical, keepersecurity, nebiusmysterybox,
        ngrok, onboardbase, onepassword, onepassword_sdk = "onepasswordSDK", oracle, ovh,
        passbolt, passworddepot, previder, pulumi, scaleway, secretserver, senhasegura,
        volcengine, webhook, yandexcertificatemanager, yandexlockbox,
    }
}

/// A key of a Secret (ESO's selector: every part optional, a namespace for cluster stores).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SecretKeySelector {
    name: Option<String>,
    namespace: Option<String>,
    key: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceAccountSelector {
    name: String,
    namespace: Option<String>,
    audiences: Option<Vec<String>>,
}

/// A CA certificate kept in a Secret or ConfigMap.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaProvider {
    r#type: CaProviderType,
    name: String,
    key: Option<String>,
    namespace: Option<String>,
}

#[derive(Debug, Deserialize)]
enum CaProviderType {
    Secret,
    ConfigMap,
}

// ---- AWS Secrets Manager and Parameter Store --------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct AwsProvider {
    service: AwsService,
    auth: Option<AwsAuth>,
    role: Option<String>,
    region: String,
    additional_roles: Option<Vec<String>>,
    #[serde(rename = "externalID")]
    external_id: Option<String>,
    session_tags: Option<Vec<AwsTag>>,
    secrets_manager: Option<AwsSecretsManager>,
    transitive_tag_keys: Option<Vec<String>>,
    session_tags_policy: Option<AwsSessionTagsPolicy>,
    custom_session_tags: Option<BTreeMap<String, String>>,
    prefix: Option<String>,
}

#[derive(Debug, Deserialize)]
enum AwsService {
    SecretsManager,
    ParameterStore,
}

#[derive(Debug, Deserialize)]
enum AwsSessionTagsPolicy {
    None,
    Simple,
    Custom,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct AwsAuth {
    secret_ref: Option<AwsAuthSecretRef>,
    jwt: Option<JwtServiceAccount>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AwsAuthSecretRef {
    #[serde(rename = "accessKeyIDSecretRef")]
    access_key_id: Option<SecretKeySelector>,
    #[serde(rename = "secretAccessKeySecretRef")]
    secret_access_key: Option<SecretKeySelector>,
    #[serde(rename = "sessionTokenSecretRef")]
    session_token: Option<SecretKeySelector>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct JwtServiceAccount {
    service_account_ref: Option<ServiceAccountSelector>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AwsTag {
    key: String,
    value: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct AwsSecretsManager {
    force_delete_without_recovery: Option<bool>,
    recovery_window_in_days: Option<i64>,
}

// ---- HashiCorp Vault --------------------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct VaultProvider {
    auth: Option<VaultAuth>,
    server: String,
    path: Option<String>,
    version: Option<VaultKvVersion>,
    namespace: Option<String>,
    /// PEM bundle, base64-encoded.
    ca_bundle: Option<String>,
    tls: Option<VaultClientTls>,
    ca_provider: Option<CaProvider>,
    read_your_writes: Option<bool>,
    forward_inconsistent: Option<bool>,
    headers: Option<BTreeMap<String, String>>,
    check_and_set: Option<VaultCheckAndSet>,
}

#[derive(Debug, Deserialize)]
enum VaultKvVersion {
    #[serde(rename = "v1")]
    V1,
    #[serde(rename = "v2")]
    V2,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct VaultClientTls {
    cert_secret_ref: Option<SecretKeySelector>,
    key_secret_ref: Option<SecretKeySelector>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VaultCheckAndSet {
    required: Option<bool>,
}

/// How to log in to Vault: one of the methods.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct VaultAuth {
    namespace: Option<String>,
    token_secret_ref: Option<SecretKeySelector>,
    app_role: Option<VaultAppRole>,
    kubernetes: Option<VaultKubernetesAuth>,
    ldap: Option<VaultUsernameAuth>,
    jwt: Option<VaultJwtAuth>,
    cert: Option<VaultCertAuth>,
    iam: Option<VaultIamAuth>,
    user_pass: Option<VaultUsernameAuth>,
    gcp: Option<VaultGcpAuth>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct VaultAppRole {
    path: Option<String>,
    role_id: Option<String>,
    role_ref: Option<SecretKeySelector>,
    secret_ref: SecretKeySelector,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct VaultKubernetesAuth {
    mount_path: Option<String>,
    service_account_ref: Option<ServiceAccountSelector>,
    secret_ref: Option<SecretKeySelector>,
    role: String,
}

/// LDAP and user/password logins have the same shape.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct VaultUsernameAuth {
    path: Option<String>,
    username: String,
    secret_ref: Option<SecretKeySelector>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct VaultJwtAuth {
    path: Option<String>,
    role: Option<String>,
    secret_ref: Option<SecretKeySelector>,
    kubernetes_service_account_token: Option<VaultServiceAccountToken>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct VaultServiceAccountToken {
    service_account_ref: ServiceAccountSelector,
    audiences: Option<Vec<String>>,
    expiration_seconds: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct VaultCertAuth {
    path: Option<String>,
    client_cert: Option<SecretKeySelector>,
    secret_ref: Option<SecretKeySelector>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct VaultIamAuth {
    path: Option<String>,
    region: Option<String>,
    /// The AWS role to assume before logging in.
    role: Option<String>,
    vault_role: String,
    #[serde(rename = "externalID")]
    external_id: Option<String>,
    #[serde(rename = "vaultAwsIamServerID")]
    vault_aws_iam_server_id: Option<String>,
    secret_ref: Option<AwsAuthSecretRef>,
    jwt: Option<JwtServiceAccount>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct VaultGcpAuth {
    path: Option<String>,
    role: String,
    #[serde(rename = "projectID")]
    project_id: Option<String>,
    location: Option<String>,
    secret_ref: Option<GcpSecretRef>,
    workload_identity: Option<GcpWorkloadIdentity>,
    service_account_ref: Option<ServiceAccountSelector>,
}

// ---- Google Secret Manager --------------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct GcpsmProvider {
    auth: Option<GcpsmAuth>,
    #[serde(rename = "projectID")]
    project_id: Option<String>,
    location: Option<String>,
    get_latest_enabled_secret: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct GcpsmAuth {
    secret_ref: Option<GcpSecretRef>,
    workload_identity: Option<GcpWorkloadIdentity>,
    /// Newer ESO releases; accepted as it is.
    workload_identity_federation: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GcpSecretRef {
    #[serde(rename = "secretAccessKeySecretRef")]
    secret_access_key: Option<SecretKeySelector>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct GcpWorkloadIdentity {
    service_account_ref: ServiceAccountSelector,
    cluster_location: Option<String>,
    cluster_name: Option<String>,
    #[serde(rename = "clusterProjectID")]
    cluster_project_id: Option<String>,
}

// ---- Azure Key Vault --------------------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct AzureKvProvider {
    auth_type: Option<AzureAuthType>,
    vault_url: String,
    tenant_id: Option<String>,
    environment_type: Option<AzureEnvironment>,
    auth_secret_ref: Option<AzureKvAuth>,
    service_account_ref: Option<ServiceAccountSelector>,
    identity_id: Option<String>,
    #[serde(rename = "useAzureSDK")]
    use_azure_sdk: Option<bool>,
    custom_cloud_config: Option<AzureCustomCloud>,
}

#[derive(Debug, Deserialize)]
enum AzureAuthType {
    ServicePrincipal,
    ManagedIdentity,
    WorkloadIdentity,
}

/// Named as the CRD names them.
#[derive(Debug, Deserialize)]
#[allow(clippy::enum_variant_names)]
enum AzureEnvironment {
    PublicCloud,
    USGovernmentCloud,
    ChinaCloud,
    GermanCloud,
    AzureStackCloud,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct AzureKvAuth {
    client_id: Option<SecretKeySelector>,
    tenant_id: Option<SecretKeySelector>,
    client_secret: Option<SecretKeySelector>,
    client_certificate: Option<SecretKeySelector>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct AzureCustomCloud {
    active_directory_endpoint: String,
    key_vault_endpoint: Option<String>,
    #[serde(rename = "keyVaultDNSSuffix")]
    key_vault_dns_suffix: Option<String>,
    resource_manager_endpoint: Option<String>,
    audience: Option<String>,
}

// ---- Another Kubernetes cluster (or namespace) ------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct KubernetesProvider {
    server: Option<KubernetesServer>,
    auth: Option<KubernetesAuth>,
    auth_ref: Option<SecretKeySelector>,
    remote_namespace: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct KubernetesServer {
    url: Option<String>,
    ca_bundle: Option<String>,
    ca_provider: Option<CaProvider>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct KubernetesAuth {
    cert: Option<KubernetesCertAuth>,
    token: Option<KubernetesTokenAuth>,
    service_account: Option<ServiceAccountSelector>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct KubernetesCertAuth {
    client_cert: Option<SecretKeySelector>,
    client_key: Option<SecretKeySelector>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct KubernetesTokenAuth {
    bearer_token: Option<SecretKeySelector>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::k8s::reader::read;
    use serde_json::json;

    fn store(provider: Value) -> Value {
        json!({
            "apiVersion": "external-secrets.io/v1", "kind": "SecretStore",
            "metadata": { "name": "s" }, "spec": { "provider": provider }
        })
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
            let (result, unknown) = read::<SecretStore>(&store(provider.clone()));
            let store = result.unwrap_or_else(|e| panic!("{provider}: {e:?}"));
            assert!(unknown.is_empty(), "{provider}: {unknown:?}");
            assert!(store.rules().is_empty(), "{provider}");
        }
    }

    #[test]
    fn finds_misspelt_provider_fields_and_unknown_providers() {
        let (result, unknown) = read::<SecretStore>(&store(
            json!({ "aws": { "service": "SecretsManager", "regoin": "eu-west-1" } }),
        ));
        assert_eq!(unknown[0].path, ["spec", "provider", "aws", "regoin"]);
        assert!(result.is_err(), "region is required");

        let (_, unknown) = read::<SecretStore>(&store(json!({ "valut": { "server": "x" } })));
        assert_eq!(unknown[0].path, ["spec", "provider", "valut"]);
        assert!(unknown[0].known.contains(&"vault"));
    }

    #[test]
    fn exactly_one_provider() {
        let (result, _) = read::<SecretStore>(&store(json!({})));
        let rules = result.map(|s| s.rules()).unwrap_or_default();
        assert_eq!(rules.len(), 1);
        assert!(rules[0].message.starts_with("no provider is set"));

        let (result, _) = read::<SecretStore>(&store(json!({
            "fake": { "data": [] }, "vault": { "server": "x" }
        })));
        let rules = result.map(|s| s.rules()).unwrap_or_default();
        assert_eq!(
            rules[0].message,
            "2 providers are set (`vault`, `fake`): a store has exactly one"
        );
    }
}
