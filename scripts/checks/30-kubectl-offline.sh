#!/usr/bin/env bash
# What the real kubectl can check without a cluster. `kubectl apply --dry-run=client`,
# `kubectl create --dry-run=client` and `kubectl apply --applyset` all need an API server
# (discovery), but `kubectl kustomize` does not: it reads every file of an `mlc build
# --out-dir` directory (listed in a kustomization.yaml) as Kubernetes objects and refuses
# duplicates. This check builds examples that way, with the Namespace and ApplySet options
# on, and asserts that kubectl reads back exactly the objects of `mlc build`, then validates
# them with `kubernetes-validate --strict`.
set -euo pipefail
cd "$(dirname "$0")/../.."

command -v kubectl >/dev/null || { echo "skipped: kubectl is not installed"; exit 0; }
python=python3
[ -x .venv/bin/python ] && python=.venv/bin/python
validator=kubernetes-validate
[ -x .venv/bin/kubernetes-validate ] && validator=.venv/bin/kubernetes-validate

cargo build --quiet -p mlc-cli
mlc=$(realpath "${CARGO_TARGET_DIR:-target}")/debug/mlc
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/namespaced.mlc" <<'MLC'
let mlflow = import <mlflow>; in
mlflow.deployment {
  namespace = "team-a";
  createNamespace = true;
  storage.enabled = true;
  mlflow.backendStoreUri = "sqlite:////mlflow/mlflow.db";
}
MLC

status=0
for example in examples/production.mlc examples/quickstart.mlc "$work/namespaced.mlc"; do
    for applyset in "" mlflow-set; do
        name=$(basename "$example" .mlc)${applyset:+-applyset}
        out="$work/$name"
        flags=()
        [ -n "$applyset" ] && flags=(--applyset "$applyset")
        "$mlc" build --color never "${flags[@]}" "$example" > "$out.yaml"
        "$mlc" build --color never "${flags[@]}" --out-dir "$out" "$example"
        { echo "resources:"; (cd "$out" && ls -1 ./*.yaml | sed 's|^\./|  - |'); } > "$work/kustomization.yaml"
        mv "$work/kustomization.yaml" "$out/"
        if ! kubectl kustomize "$out" > "$out.kustomized.yaml"; then
            echo "FAILED: kubectl kustomize cannot read the --out-dir files of $name"; status=1; continue
        fi
        if ! "$python" - "$out.yaml" "$out.kustomized.yaml" <<'PY'
import sys, yaml
def objects(path):
    with open(path) as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    return sorted(docs, key=lambda d: (d["kind"], d["metadata"].get("namespace", ""), d["metadata"]["name"]))
built, read = objects(sys.argv[1]), objects(sys.argv[2])
if built != read:
    print(f"kubectl read {len(read)} objects, mlc built {len(built)}, and they differ")
    sys.exit(1)
PY
        then
            echo "FAILED: kubectl kustomize reads other objects than mlc build for $name"; status=1
        fi
        if command -v "$validator" >/dev/null; then
            "$validator" --strict --quiet "$out.yaml" || { echo "FAILED validation: $name"; status=1; }
        fi
    done
done
[ $status = 0 ] && echo "kubectl kustomize read back every --out-dir build; all validated"
exit $status
