"""Random, plausible values files of the MLflow chart, over every option of its values.yaml.

`values(rng)` returns one values file as a Python dict (what `yaml.safe_dump` writes), with
a release name and namespace. Each option has a generator of plausible values (the ones its
comment in values.yaml names, edge cases: empty and long strings, names over 63 characters,
numbers written as strings, partial maps, lists of several entries); any option, a leaf or
a whole map, may also be `null`, which in Helm removes the chart's default.

`OPTIONS` lists the option paths covered; `check_coverage(defaults)` asserts that it names
every leaf of the chart's values.yaml, so a new chart option cannot go untested.
"""

LONG = "a-very-long-release-name-that-goes-past-the-limit-of-kubernetes-names"


def pick(*choices):
    return lambda rng: rng.choice(choices)


def maybe_list(item, most=3):
    """A list of 0 to `most` entries from `item(rng, index)`."""

    def generate(rng):
        return [item(rng, i) for i in range(rng.randint(0, most))]

    return generate


def one_or_more(item, most=3):
    def generate(rng):
        return [item(rng, i) for i in range(rng.randint(1, most))]

    return generate


def int_or_string(low, high):
    """An integer, sometimes written as a string (`"3"`), as values files often do."""

    def generate(rng):
        n = rng.randint(low, high)
        return str(n) if rng.random() < 0.15 else n

    return generate


def env_var(rng, i):
    kind = rng.random()
    if kind < 0.5:
        return {"name": f"EXTRA_{i}", "value": rng.choice(["1", "yes", "", "a b", "x" * 80])}
    if kind < 0.8:
        return {
            "name": rng.choice(["MLFLOW_FLASK_SERVER_SECRET_KEY", f"DB_PASSWORD_{i}"]),
            "valueFrom": {"secretKeyRef": {"name": "mlflow-secrets", "key": f"k{i}"}},
        }
    return {"name": f"POD_{i}", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}


def env_from(rng, i):
    if rng.random() < 0.5:
        return {"secretRef": {"name": f"secret-{i}"}}
    return {"configMapRef": {"name": f"config-{i}"}, "prefix": "CFG_"}


def volume(rng, i):
    if rng.random() < 0.5:
        return {"name": f"extra-{i}", "configMap": {"name": f"ca-bundle-{i}"}}
    return {"name": f"extra-{i}", "emptyDir": {}}


def volume_mount(rng, i):
    mount = {"name": f"extra-{i}", "mountPath": f"/etc/extra/{i}"}
    if rng.random() < 0.3:
        mount["readOnly"] = True
    if rng.random() < 0.2:
        mount["subPath"] = "ca.crt"
    return mount


def container(prefix):
    def generate(rng, i):
        c = {"name": f"{prefix}-{i}", "image": rng.choice(["busybox:1.36", "alpine"])}
        if rng.random() < 0.5:
            c["command"] = ["sh", "-c", "echo ready"]
        return c

    return generate


def rule(rng, i):
    return {
        "apiGroups": [rng.choice(["", "apps", "batch"])],
        "resources": rng.sample(["pods", "configmaps", "secrets", "jobs", "namespaces"], rng.randint(1, 3)),
        "verbs": rng.sample(["get", "list", "watch", "create", "delete"], rng.randint(1, 3)),
    }


def egress_rule(rng, i):
    r = {"ports": [{"protocol": "TCP", "port": rng.choice([8080, 9443, 27017])}]}
    if rng.random() < 0.5:
        r["to"] = [{"ipBlock": {"cidr": "10.0.0.0/8"}}]
    return r


def toleration(rng, i):
    t = {"key": f"dedicated-{i}", "operator": rng.choice(["Equal", "Exists"]), "effect": "NoSchedule"}
    if t["operator"] == "Equal":
        t["value"] = "mlflow"
    return t


def string_map(prefix):
    def generate(rng):
        return {f"{prefix}/key-{i}": rng.choice(["v", "true", "", "a long value " * 3]) for i in range(rng.randint(0, 3))}

    return generate


def path_entry(rng, i):
    entry = {}
    if rng.random() < 0.95:
        entry["path"] = rng.choice(["/", "/mlflow", "/api", "/mlflow/"])
    if rng.random() < 0.9:
        entry["pathType"] = rng.choice(["Prefix", "Exact", "ImplementationSpecific"])
    return entry


def ingress_host(rng, i):
    host = {"host": rng.choice(["mlflow.local", f"mlflow{i}.example.com", "", "*.example.com"])}
    if rng.random() < 0.9:
        host["paths"] = one_or_more(path_entry, 2)(rng)
    return host


def ingress_tls(rng, i):
    return {"hosts": [f"mlflow{i}.example.com"], "secretName": f"mlflow-tls-{i}"}


def secret_ref(rng):
    return {"secretKeyRef": {"name": rng.choice(["mlflow-db", "db-secret"]), "key": rng.choice(["uri", "db-uri"])}}


def backend_uri(rng):
    return rng.choice(
        [
            "sqlite:////mlflow/mlflow.db",
            "postgresql://mlflow@db:5432/mlflow",
            "postgresql://user:pass@db:5432/mlflow",
            "mysql://db/mlflow",
            "/mlflow/mlruns",
            "file:///mlflow/mlruns",
        ]
    )


def provider(rng):
    return rng.choice(
        [
            {"aws": {"service": "SecretsManager", "region": "eu-west-1"}},
            {"aws": {"service": "SecretsManager"}},
            {"vault": {"server": "https://vault:8200", "path": "secret", "version": "v2",
                       "auth": {"tokenSecretRef": {"name": "vault-token", "key": "token"}}}},
            {"gcpsm": {"projectID": "my-project"}},
            {},
        ]
    )


def es_data(rng, i):
    return {"secretKey": f"key{i}", "remoteRef": {"key": "my-remote-secret", "property": f"p{i}"}}


def resources(rng):
    r = {}
    if rng.random() < 0.7:
        r["requests"] = {"cpu": rng.choice(["100m", "1", 2]), "memory": rng.choice(["256Mi", "1Gi"])}
    if rng.random() < 0.5:
        r["limits"] = {"cpu": rng.choice(["500m", "2"]), "memory": "2Gi"}
    return r


def gc_resources(rng):
    r = {}
    if rng.random() < 0.6:
        r["requests"] = {k: v for k, v in (("cpu", "50m"), ("memory", "128Mi")) if rng.random() < 0.7}
    if rng.random() < 0.5:
        r["limits"] = {k: v for k, v in (("cpu", "1"), ("memory", "1Gi")) if rng.random() < 0.7}
    return r


def affinity(rng):
    return rng.choice(
        [
            {},
            {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                {"matchExpressions": [{"key": "pool", "operator": "In", "values": ["ml"]}]}]}}},
            {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": 100, "podAffinityTerm": {"topologyKey": "kubernetes.io/hostname",
                                                    "labelSelector": {"matchLabels": {"app": "mlflow"}}}}]}},
        ]
    )


def strategy(rng):
    return rng.choice(
        [
            {},
            {"type": "Recreate"},
            {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": rng.choice([1, "25%"]), "maxUnavailable": 0}},
        ]
    )


def probe_int(low, high):
    return int_or_string(low, high)


PROBES = {
    f"probes.{p}.{k}": gen
    for p in ("liveness", "readiness", "startup")
    for k, gen in (
        ("enabled", pick(True, False)),
        ("initialDelaySeconds", probe_int(0, 60)),
        ("periodSeconds", probe_int(1, 30)),
        ("timeoutSeconds", probe_int(1, 10)),
        ("failureThreshold", probe_int(1, 30)),
    )
}

# Option path -> generator of a plausible value. The order is values.yaml's.
OPTIONS = {
    "image.repository": pick("ghcr.io/mlflow/mlflow", "registry.example.com/mlflow", "mlflow"),
    "image.tag": pick("", "v3.11.1-full", "latest", "3.12.0"),
    "image.pullPolicy": pick("Always", "IfNotPresent", "Never"),
    "imagePullSecrets": maybe_list(lambda rng, i: {"name": f"regcred-{i}"}),
    "fullnameOverride": pick("", "custom", "ml", LONG, "x" * 62 + "-y", "trailing-"),
    "replicaCount": int_or_string(0, 4),
    "deploymentStrategy": strategy,
    "server.value_options.host": pick("0.0.0.0", "::", "127.0.0.1"),
    "server.value_options.port": int_or_string(1024, 9000),
    "server.value_options.workers": int_or_string(1, 8),
    "server.value_options.allowed_hosts": pick("mlflow.local", "*.example.com,mlflow.local", "*"),
    "server.value_options.cors_allowed_origins": pick("https://app.example.com", "*"),
    "server.value_options.app_name": pick("basic-auth"),
    "server.value_options.gunicorn_opts": pick("--timeout 120", "--log-level debug"),
    "server.value_options.uvicorn_opts": pick("--timeout-keep-alive 30"),
    "server.value_options.x_frame_options": pick("SAMEORIGIN", "DENY", "NONE"),
    "server.value_options.dev": pick(True, False),
    "server.value_options.expose_prometheus": pick("/tmp/prom"),
    "server.value_options.artifacts_only": pick(True, "true"),
    "server.value_options.max_results": pick(1.5, 100),
    "server.flag_options": maybe_list(lambda rng, i: rng.choice(
        ["serve_artifacts", "no_serve_artifacts", "enable_workspaces", "dev", "serve-artifacts"])),
    "server.staticPrefix": pick("", "/mlflow", "/mlflow/", "/a/b"),
    **PROBES,
    "garbageCollection.enabled": pick(True, False),
    "garbageCollection.schedule": pick("0 2 * * 0", "*/30 * * * *", "@daily"),
    "garbageCollection.olderThan": pick("30d", "7d12h", "1h", ""),
    "garbageCollection.allWorkspaces": pick(True, False),
    "garbageCollection.extraVolumes": maybe_list(volume),
    "garbageCollection.extraVolumeMounts": maybe_list(volume_mount),
    "garbageCollection.resources": gc_resources,
    "garbageCollection.resources.requests.cpu": pick("10m", "1"),
    "garbageCollection.resources.requests.memory": pick("64Mi", "1Gi"),
    "garbageCollection.resources.limits.cpu": pick("1", "250m"),
    "garbageCollection.resources.limits.memory": pick("1Gi"),
    "service.type": pick("ClusterIP", "NodePort", "LoadBalancer"),
    "service.annotations": string_map("service.beta.kubernetes.io"),
    "ingress.enabled": pick(True, False),
    "ingress.className": pick("", "nginx", "traefik"),
    "ingress.annotations": string_map("nginx.ingress.kubernetes.io"),
    "ingress.hosts": maybe_list(ingress_host),
    "ingress.tls": maybe_list(ingress_tls, 2),
    "mlflow.backendStoreUri": backend_uri,
    "mlflow.backendStoreUriFrom": secret_ref,
    "mlflow.registryStoreUri": pick("", "postgresql://db/registry", "sqlite:////mlflow/registry.db"),
    "mlflow.registryStoreUriFrom": secret_ref,
    "mlflow.defaultArtifactRoot": pick("", "s3://bucket/mlflow", "/mlflow/artifacts"),
    "mlflow.artifactsDestination": pick("", "s3://bucket/artifacts", "/mlflow/artifacts"),
    "env": maybe_list(env_var),
    "envFrom": maybe_list(env_from, 2),
    "extraVolumes": maybe_list(volume),
    "extraVolumeMounts": maybe_list(volume_mount),
    "extraInitContainers": maybe_list(container("init"), 2),
    "extraContainers": maybe_list(container("sidecar"), 2),
    "tls.enabled": pick(True, False),
    "tls.secretName": pick("mlflow-tls", "my-cert"),
    "externalSecrets.enabled": pick(True, False),
    "externalSecrets.apiVersion": pick("external-secrets.io/v1", "external-secrets.io/v1beta1"),
    "externalSecrets.provider": provider,
    "externalSecrets.refreshInterval": pick("1h", "15m", "0"),
    "externalSecrets.secretName": pick("", "mlflow-backend-store"),
    "externalSecrets.template": lambda rng: rng.choice(
        [{}, {"engineVersion": "v2", "data": {"db-uri": "postgresql://{{ .username }}:{{ .password }}@db/mlflow"}}]),
    "externalSecrets.data": maybe_list(es_data),
    "networkPolicy.enabled": pick(True, False),
    "networkPolicy.additionalEgressRules": maybe_list(egress_rule, 2),
    "metrics.enabled": pick(True, False),
    "metrics.path": pick("/metrics", "/custom-metrics", ""),
    "serviceMonitor.enabled": pick(True, False),
    "serviceMonitor.tlsConfig": lambda rng: rng.choice([{}, {"insecureSkipVerify": True}]),
    "podSecurityContext.runAsNonRoot": pick(True, False),
    "podSecurityContext.runAsUser": int_or_string(0, 2000),
    "podSecurityContext.fsGroup": int_or_string(0, 2000),
    "podSecurityContext.seccompProfile.type": pick("RuntimeDefault", "Unconfined"),
    "podSecurityContext.runAsGroup": pick(1000, 3000),
    "securityContext.allowPrivilegeEscalation": pick(True, False),
    "securityContext.readOnlyRootFilesystem": pick(True, False),
    "securityContext.capabilities.drop": lambda rng: rng.choice([["ALL"], [], ["NET_RAW"]]),
    "securityContext.capabilities.add": lambda rng: rng.choice([["NET_BIND_SERVICE"]]),
    "securityContext.runAsNonRoot": pick(True),
    "serviceAccount.create": pick(True, False),
    "serviceAccount.name": pick("", "mlflow-sa", LONG),
    "serviceAccount.annotations": string_map("eks.amazonaws.com"),
    "serviceAccount.automountServiceAccountToken": pick(True, False),
    "namespace_rbac.extraRules": maybe_list(rule, 2),
    "cluster_rbac.extraRules": maybe_list(rule, 2),
    "storage.enabled": pick(True, False),
    "storage.size": pick("10Gi", "1Ti", "500Mi"),
    "storage.accessMode": pick("ReadWriteOnce", "ReadWriteMany", "ReadOnlyMany", "ReadWriteOncePod"),
    "storage.storageClassName": pick("", "gp2", "standard"),
    "storage.mountPath": pick("/mlflow", "/data"),
    "resources": resources,
    "podAnnotations": string_map("prometheus.io"),
    "podLabels": lambda rng: {f"team-{i}": "ml" for i in range(rng.randint(0, 2))},
    "nodeSelector": lambda rng: rng.choice([{}, {"kubernetes.io/os": "linux"}, {"pool": "ml", "zone": "a"}]),
    "tolerations": maybe_list(toleration, 2),
    "affinity": affinity,
}

# Maps whose keys users set freely; a null inside one is a plausible edit too.
NULLABLE_MAPS = [
    "image", "server", "server.value_options", "probes", "probes.liveness", "probes.readiness",
    "probes.startup", "garbageCollection", "garbageCollection.resources", "service", "ingress",
    "mlflow", "tls", "externalSecrets", "networkPolicy", "metrics", "serviceMonitor",
    "podSecurityContext", "podSecurityContext.seccompProfile", "securityContext",
    "securityContext.capabilities", "serviceAccount", "namespace_rbac", "cluster_rbac", "storage",
]

# Helm allows release names of at most 53 characters.
RELEASES = ["mlflow", "mlflow", "mlflow", "prod", "tracking-server", "a-long-release-name-for-the-mlflow-tracking-server-01"]
NAMESPACES = ["mlflow", "ml-platform"]


def put(tree, path, value):
    keys = path.split(".")
    for key in keys[:-1]:
        child = tree.get(key)
        if not isinstance(child, dict):
            child = tree[key] = {}
        tree = child
    tree[keys[-1]] = value


def values(rng):
    """One case: `(release, namespace, values)`."""
    tree = {}
    # Most cases set a handful of options; some set many, so that options meet.
    density = rng.choice([0.02, 0.05, 0.1, 0.2, 0.4])
    paths = list(OPTIONS)
    # A backend store in most cases: without one the chart refuses everything.
    if rng.random() < 0.6:
        put(tree, "mlflow.backendStoreUri", backend_uri(rng))
    else:
        put(tree, "mlflow.backendStoreUriFrom", secret_ref(rng))
    for path in paths:
        if rng.random() < density:
            put(tree, path, None if rng.random() < 0.07 else OPTIONS[path](rng))
    # Features switched on together with their data, so that they render.
    if rng.random() < 0.15:
        put(tree, "externalSecrets.enabled", True)
        put(tree, "externalSecrets.provider", provider(rng))
        put(tree, "externalSecrets.data", one_or_more(es_data)(rng))
    if rng.random() < 0.1:
        put(tree, "garbageCollection.enabled", True)
    for path in NULLABLE_MAPS:
        if rng.random() < 0.01:
            put(tree, path, None)
    return rng.choice(RELEASES), rng.choice(NAMESPACES), tree


def leaves(tree, prefix=""):
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            yield from leaves(value, path + ".")
        else:
            yield path


def check_coverage(defaults):
    """Every leaf option of the chart's values.yaml has a generator."""
    missing = [path for path in leaves(defaults) if path not in OPTIONS]
    if missing:
        raise SystemExit(f"helm-diff: no generator for chart options: {', '.join(missing)}")
