//! The one table of checks: for each, its code, kebab-case name, default level, one-line
//! summary and the long text of `mlc explain` (why it matters, a failing example, the fix).
//! The standard library reports findings by name (`stdlib/mlflow/validate.mlc`,
//! `refusals.mlc`); the build-wide checks (`super::objects`) by constant. A test keeps the
//! names the library uses, this table, `mlc explain` and `docs/checks.md` in agreement.
//!
//! Codes follow the default level: `E05xx` errors (the deployment cannot work: MLflow, the
//! API server or the chart refuses it), `W05xx` warnings (it works, but not as meant).

use crate::diagnostic::Code;

/// How a finding of a check is reported when nothing changes its level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
}

/// One check.
#[derive(Debug)]
pub struct Check {
    pub code: Code,
    pub name: &'static str,
    pub level: Level,
    /// The chart itself refuses these values (its `fail`): there is no Helm output to
    /// reproduce, so neither a waiver nor `--allow` lifts it.
    pub refusal: bool,
    pub summary: &'static str,
    pub explanation: &'static str,
}

impl Check {
    pub fn waivable(&self) -> bool {
        !self.refusal
    }
}

/// The check called `name`, or whose code is `name` (case does not matter for codes).
pub fn find(name: &str) -> Option<&'static Check> {
    CHECKS
        .iter()
        .find(|check| check.name == name || check.code.as_str().eq_ignore_ascii_case(name))
}

/// The check whose code is `code`.
pub fn by_code(code: &str) -> Option<&'static Check> {
    CHECKS.iter().find(|check| check.code.as_str() == code)
}

macro_rules! checks {
    ($( $code:ident $name:literal $level:ident $(refusal $refusal:tt)?, $summary:literal, $text:literal; )*) => {
        /// Every check, in code order.
        pub const CHECKS: &[Check] = &[ $( Check {
            code: Code(stringify!($code)),
            name: $name,
            level: Level::$level,
            refusal: false $( || $refusal )?,
            summary: $summary,
            explanation: $text,
        } ),* ];
    };
}

checks! {
    // ---- the chart's own refusals ----------------------------------------------------------
    E0510 "external-secrets-data" Error refusal true,
    "External Secrets enabled without `externalSecrets.data`",
    "The chart refuses `externalSecrets.enabled = true` without entries in `externalSecrets.data` (its template fails with \"externalSecrets.data is required\"): an ExternalSecret that fetches nothing creates an empty Secret.\n\nExample:\n\n    externalSecrets = { enabled = true; provider.vault = { ... }; };\n\nSay what to fetch:\n\n    externalSecrets.data = [ { secretKey = \"password\"; remoteRef = { key = \"db\"; property = \"password\"; }; } ];\n\nThis is the chart's own refusal: Helm renders nothing for these values, so it cannot be waived.\n";

    E0511 "backend-store-required" Error refusal true,
    "no backend store: neither `mlflow.backendStoreUri` nor `mlflow.backendStoreUriFrom`",
    "The chart refuses values without a backend store (its templates fail with \"mlflow.backendStoreUri or mlflow.backendStoreUriFrom is required\"): MLflow would fall back to `./mlruns` inside the container, and every run would be lost with the pod.\n\nExample:\n\n    mlflow.deployment { name = \"mlflow\"; }\n\nAdd the store, written out or from a Secret:\n\n    mlflow.backendStoreUri = \"postgresql://mlflow@db:5432/mlflow\";\n    mlflow.backendStoreUriFrom.secretKeyRef = { name = \"mlflow-db\"; key = \"uri\"; };\n\nThis is the chart's own refusal: Helm renders nothing for these values, so it cannot be waived.\n";

    // ---- errors: the deployment cannot work ------------------------------------------------
    E0512 "rwo-replicas" Error,
    "several replicas share a ReadWriteOnce volume",
    "A ReadWriteOnce volume is attached to one node at a time. With `replicaCount` above 1, every replica scheduled on another node waits forever in ContainerCreating (\"Multi-Attach error for volume\"), and a rolling update deadlocks the same way.\n\nExample:\n\n    storage.enabled = true;\n    replicaCount = 2;\n\nRun one replica, or use a volume several nodes can mount:\n\n    storage.accessMode = \"ReadWriteMany\";\n\nOn a single-node cluster the replicas do start: waive the check there (`waivers.rwo-replicas = \"single-node cluster\";`).\n";

    E0513 "sqlite-replicas" Error,
    "several replicas share a SQLite database",
    "SQLite is a file with one writer at a time, and its locks do not work across the network filesystems a ReadWriteMany volume uses: several MLflow servers writing one SQLite file corrupt it, and with a volume per pod each replica sees its own, different data.\n\nExample:\n\n    mlflow.backendStoreUri = \"sqlite:////mlflow/mlflow.db\";\n    replicaCount = 2;\n\nUse one replica, or a database server:\n\n    mlflow.backendStoreUri = \"postgresql://mlflow@db:5432/mlflow\";\n";

    E0514 "workspaces-sql-backend" Error,
    "workspaces without a SQL backend store: the server does not start",
    "`mlflow server --enable-workspaces` checks at start-up that the backend store supports workspaces, and only the SQL stores do. With a file store MLflow 3.12 stops with \"The configured tracking store does not support workspace-aware operations\" (`mlflow/server/handlers.py`), so the pod crash-loops.\n\nExample:\n\n    mlflow.backendStoreUri = \"/mlflow/mlruns\";\n    server.flag_options = [ \"enable_workspaces\" ];\n\nUse a SQL backend store (`sqlite:`, `postgresql:`, `mysql:`, `mssql:`), or drop `enable_workspaces`.\n";

    E0515 "basic-auth-secret-key" Error,
    "the basic-auth app without `MLFLOW_FLASK_SERVER_SECRET_KEY`: the server does not start",
    "MLflow's basic-auth app needs a static secret key for CSRF protection, shared by every worker and replica. Without `MLFLOW_FLASK_SERVER_SECRET_KEY` in its environment, MLflow 3.12 refuses to start: \"A static secret key needs to be set for CSRF protection\" (`mlflow/server/auth/__init__.py`).\n\nExample:\n\n    server.value_options.app_name = \"basic-auth\";\n\nSet the key from a Secret:\n\n    env = [ { name = \"MLFLOW_FLASK_SERVER_SECRET_KEY\"; valueFrom.secretKeyRef = { name = \"mlflow-auth\"; key = \"secret-key\"; }; } ];\n";

    E0516 "gc-backend-unreachable" Error,
    "garbage collection cannot reach a backend store inside the server's container",
    "`garbageCollection` runs `mlflow gc` in a CronJob pod of its own. A SQLite file or file store that lives inside the server's container (no `storage`) does not exist in that pod: the job collects an empty store of its own and the deleted runs are never removed.\n\nExample:\n\n    mlflow.backendStoreUri = \"sqlite:////mlflow/mlflow.db\";\n    garbageCollection.enabled = true;\n\nPut the store on the volume both pods mount:\n\n    storage.enabled = true;\n";

    E0517 "external-secrets-provider" Error,
    "External Secrets enabled without `externalSecrets.provider`",
    "The SecretStore the chart creates needs a provider (`vault`, `aws`, `gcpsm`, ...): the operator's CRD requires exactly one, so the API server rejects the SecretStore and no Secret is ever made.\n\nExample:\n\n    externalSecrets = { enabled = true; data = [ ... ]; };\n\nName the provider:\n\n    externalSecrets.provider.aws = { service = \"SecretsManager\"; region = \"eu-west-1\"; };\n";

    E0518 "tls-secret-name" Error,
    "TLS on with an empty `tls.secretName`",
    "With `tls.enabled`, the server mounts the certificate from the Secret `tls.secretName`. An empty name is an invalid volume: the API server rejects the Deployment (`secret.secretName: Required value`).\n\nExample:\n\n    tls = { enabled = true; secretName = \"\"; };\n\nName the `kubernetes.io/tls` Secret, or leave the option out for the default `mlflow-tls`:\n\n    tls.secretName = \"mlflow-tls\";\n";

    E0519 "ingress-host-not-allowed" Error,
    "an ingress host the server answers with HTTP 403",
    "MLflow 3.12's security middleware answers every request whose `Host` header is not in `--allowed-hosts` with HTTP 403 (\"Invalid Host header - possible DNS rebinding attack detected\"); without the option only localhost and private IPs are allowed. So an Ingress host missing from `server.value_options.allowed_hosts` cannot reach MLflow at all.\n\nExample:\n\n    ingress = { enabled = true; hosts = [ { host = \"mlflow.example.com\"; } ]; };\n\nAllow the host (patterns such as `*.example.com` work):\n\n    server.value_options.allowed_hosts = \"mlflow.example.com\";\n";

    E0520 "unknown-server-option" Error,
    "an `mlflow server` option or flag that MLflow does not have: the server does not start",
    "`server.value_options` and `server.flag_options` become the `mlflow server` command line as the chart writes it (`--key=value` and `--flag`, each `_` written as `-`). MLflow's command line (click) takes only its own options, spelt exactly (`--allowed-hosts`, not `--allowed_hosts` or `--allowed`): for any other, MLflow 3.12 stops at once with \"No such option\", and so does a flag given a value (`--dev=true`: \"does not take a value\") or an option given none. The pod crash-loops.\n\nExample:\n\n    server.value_options.workres = 2;\n\nUse the option's name (`mlc doc` lists them; `_` and `-` are both fine, as the chart turns one into the other):\n\n    server.value_options.workers = 2;\n\nAn image of a newer MLflow may have options mlc does not know yet: waive the check for it (`waivers.unknown-server-option = \"runs MLflow 3.14\";`), and the option is passed as the chart passes it. `--allow unknown-server-option` does the same for one run, to reproduce a Helm release's output.\n";

    // ---- warnings: it works, but not as meant ------------------------------------------------
    W0510 "ephemeral-backend-store" Warning,
    "the backend store is inside the container and is lost when the pod restarts",
    "A SQLite file or a file store without `storage` lives in the container's filesystem: every restart, eviction or upgrade starts with an empty store, and every run logged so far is gone.\n\nExample:\n\n    mlflow.backendStoreUri = \"sqlite:////mlflow/mlflow.db\";\n\nMount a volume at the store's directory (`storage.mountPath`, `/mlflow` by default):\n\n    storage.enabled = true;\n\nFor a throw-away server, waive it: `waivers.ephemeral-backend-store = \"demo\";`.\n";

    W0511 "workspaces-artifact-root" Warning,
    "workspaces without an artifact root keep every artifact inside the container",
    "With workspaces and neither `mlflow.defaultArtifactRoot` nor `mlflow.artifactsDestination`, MLflow serves artifacts from `./mlartifacts` in the container (`resolve_default_artifact_root`): the server starts and workspaces can be created, but every artifact is lost when the pod restarts.\n\nExample:\n\n    server.flag_options = [ \"enable_workspaces\" ];\n\nStore artifacts somewhere that lasts:\n\n    mlflow.artifactsDestination = \"s3://mlflow-artifacts\";\n";

    W0512 "gc-all-workspaces-without-workspaces" Warning,
    "`garbageCollection.allWorkspaces` without workspaces has no effect",
    "`mlflow gc --all-workspaces` iterates over the workspaces of a server running with workspaces; without `enable_workspaces` there are none, and the option does nothing.\n\nExample:\n\n    garbageCollection = { enabled = true; allWorkspaces = true; };\n\nEnable workspaces (`server.flag_options = [ \"enable_workspaces\" ];`) or remove the option.\n";

    W0513 "credentials-in-uri" Warning,
    "a password written into a store URI",
    "A URI such as `postgresql://user:password@host/db` ends up in plain text in the Deployment (and the garbage-collection CronJob): anyone who can read those objects, or your repository, has the database password.\n\nExample:\n\n    mlflow.backendStoreUri = \"postgresql://mlflow:s3cret@db:5432/mlflow\";\n\nPut the URI in a Secret and refer to it:\n\n    mlflow.backendStoreUriFrom.secretKeyRef = { name = \"mlflow-db\"; key = \"uri\"; };\n";

    W0514 "service-monitor-without-metrics" Warning,
    "`serviceMonitor.enabled` without `metrics.enabled` makes no ServiceMonitor",
    "The server exposes Prometheus metrics only with `metrics.enabled`; without them there is nothing to scrape, and the chart makes no ServiceMonitor.\n\nExample:\n\n    serviceMonitor.enabled = true;\n\nEnable the metrics too:\n\n    metrics.enabled = true;\n";

    W0515 "service-monitor-tls-without-tls" Warning,
    "`serviceMonitor.tlsConfig` without `tls.enabled` has no effect",
    "The ServiceMonitor scrapes over HTTPS, with `tlsConfig`, only when the server itself serves HTTPS (`tls.enabled`); otherwise the TLS settings are dropped.\n\nExample:\n\n    serviceMonitor.tlsConfig.insecureSkipVerify = true;\n\nEnable TLS (`tls.enabled = true;`), or remove `tlsConfig`.\n";

    W0516 "metrics-path" Warning,
    "`metrics.path` does not start with `/`",
    "The ServiceMonitor's `path` is the absolute HTTP path Prometheus requests, and MLflow's exporter (`--expose-prometheus`) serves `/metrics`. A path without a leading `/` is relative: whether a scraper turns it into `/metrics` or into a request MLflow does not answer depends on how it joins URLs, so the scrape works by accident at best.\n\nExample:\n\n    metrics.path = \"metrics\";\n\nWrite an absolute path:\n\n    metrics.path = \"/metrics\";\n";

    W0517 "secret-in-env" Warning,
    "a secret written as a plain environment value",
    "An environment variable whose name says it holds a secret (`*PASSWORD*`, `*SECRET*`, `*TOKEN*`, `*_KEY`) but whose `value` is written out is stored in plain text in the Deployment and in your repository.\n\nExample:\n\n    env = [ { name = \"MLFLOW_FLASK_SERVER_SECRET_KEY\"; value = \"changeme\"; } ];\n\nTake it from a Secret:\n\n    env = [ { name = \"MLFLOW_FLASK_SERVER_SECRET_KEY\"; valueFrom.secretKeyRef = { name = \"mlflow-auth\"; key = \"secret-key\"; }; } ];\n";

    W0518 "no-resource-requests" Warning,
    "the server container requests no CPU or memory",
    "Without `resources.requests` the scheduler places the server as if it needed nothing: it lands on full nodes, is the first to be evicted under memory pressure (QoS class BestEffort), and gunicorn's workers are starved of CPU.\n\nExample:\n\n    mlflow.deployment { mlflow.backendStoreUri = \"postgresql://db/mlflow\"; }\n\nRequest what the server needs:\n\n    resources.requests = { cpu = \"500m\"; memory = \"1Gi\"; };\n";

    W0519 "probes-disabled" Warning,
    "every probe of the server is disabled",
    "Without liveness, readiness or startup probes, Kubernetes sends traffic to a server that has not started, and never restarts one that hangs.\n\nExample:\n\n    probes = { liveness.enabled = false; readiness.enabled = false; startup.enabled = false; };\n\nKeep at least the readiness probe:\n\n    probes.readiness.enabled = true;\n";

    W0520 "unpinned-image" Warning,
    "an image without a pinned tag",
    "An image tagged `latest`, or with no tag at all, is whatever the registry serves at the moment a node pulls it: two replicas can run different versions, and a restart can upgrade MLflow (and migrate its database) without anyone deciding to.\n\nExample:\n\n    image.tag = \"latest\";\n\nPin a version, or leave `image.tag` out for the chart's `v3.12.0-full`:\n\n    image.tag = \"v3.12.0-full\";\n";

    W0521 "duplicate-object" Warning,
    "two objects of the build with the same kind, namespace and name",
    "`kubectl apply` of a stream with two objects of the same kind, namespace and name keeps only the last: the first is silently replaced. This usually means two deployments with the same `name` (both make ClusterRole `mlflow-mlflow`), or an extra object that collides with one the library makes.\n\nExample:\n\n    [ (mlflow.deployment { name = \"mlflow\"; ... }) (mlflow.deployment { name = \"mlflow\"; namespace = \"team-b\"; ... }) ]\n\nGive each deployment its own `name` (or `fullnameOverride`).\n";

    W0522 "selector-matches-nothing" Warning,
    "a Service or NetworkPolicy selector that matches no pod of the build",
    "A Service whose selector matches no pod template of the build has no endpoints, and a NetworkPolicy whose pod selector matches none protects nothing; usually a label was misspelt, or changed on one side only.\n\nExample:\n\n    spec.selector = { \"app.kubernetes.io/name\" = \"mlfow\"; };\n\nUse the labels of the pods you mean (`kubectl get pods --show-labels`). Pods made outside this build are not known to mlc: waive the check for selectors meant for them.\n";

    W0523 "server-option-newer" Warning,
    "an `mlflow server` option newer than the MLflow the image runs",
    "`server.value_options` accepts the options of `mlflow server` in the chart's MLflow (3.12.0) and those added by later releases, since an image of a newer MLflow can be run (`image.tag`). With the chart's image, or an older tag, `mlflow server` stops at once with \"No such option\" for an option it does not have.\n\nExample:\n\n    server.value_options.read_replica_backend_store_uri = \"postgresql://replica/mlflow\";\n\nRun an image of a release that has the option, or remove it:\n\n    image.tag = \"v3.13.0-full\";\n";

    W0524 "store-uri-shadowed" Warning,
    "a store URI written inline and taken from a Secret",
    "When both `mlflow.backendStoreUri` and `mlflow.backendStoreUriFrom` are set (or the registry pair), the chart sets the server's environment from the Secret, and the inline URI has no effect; whoever reads the file later believes the other one is used.\n\nExample:\n\n    mlflow.backendStoreUri = \"postgresql://mlflow@db:5432/mlflow\";\n    mlflow.backendStoreUriFrom.secretKeyRef = { name = \"mlflow-db\"; key = \"uri\"; };\n\nKeep one of them: remove `mlflow.backendStoreUri`.\n";
}

/// `docs/checks.md`: every check with its code, name, level and summary, then each long
/// explanation (a test keeps the file equal to this).
pub fn markdown() -> String {
    let mut out = String::from(
        "# Checks\n\n<!-- Generated from compiler/src/checks/table.rs: run `MLC_UPDATE_DOCS=1 cargo test -p mlc --lib checks` after changing it. -->\n\n\
         `mlc build` and `mlc check` run these checks beyond the chart's own, each reported at the option that triggers it. \
         Errors mean the deployment cannot work; warnings that it works, but not as meant. \
         A deployment waives a check with a reason (`waivers = { sqlite-replicas = \"single writer, see runbook\"; };`); \
         `--allow CHECK` and `--deny CHECK` (a name or a code) change the level for one run, and `-v` lists what was waived. \
         The chart's own refusals cannot be waived.\n\n\
         | code | name | level | summary |\n| --- | --- | --- | --- |\n",
    );
    for check in CHECKS {
        let level = match (check.level, check.refusal) {
            (_, true) => "error (the chart's refusal)",
            (Level::Error, false) => "error",
            (Level::Warning, false) => "warning",
        };
        out.push_str(&format!(
            "| {} | `{}` | {level} | {} |\n",
            check.code,
            check.name,
            check.summary.replace('|', "\\|")
        ));
    }
    for check in CHECKS {
        out.push_str(&format!(
            "\n## {} `{}`\n\n{}",
            check.code, check.name, check.explanation
        ));
    }
    out
}
