#!/usr/bin/env bash
# Builds every example with the real `mlc` and validates the manifests against the
# Kubernetes schemas with `kubernetes-validate --strict` (PyPI; .ci/run installs it into
# .venv). Custom resources the validator has no schema for (ServiceMonitor, SecretStore,
# ExternalSecret) are reported by it as warnings and not validated. Examples of chart
# scenarios that the chart refuses (shared/conformance/<s>/error.txt) must fail to build.
set -euo pipefail
cd "$(dirname "$0")/../.."

validator=kubernetes-validate
if [ -x .venv/bin/kubernetes-validate ]; then
    validator=.venv/bin/kubernetes-validate
fi
command -v "$validator" >/dev/null || { echo "kubernetes-validate is not installed (see .ci/run)"; exit 1; }

cargo build --quiet -p mlc
mlc=target/debug/mlc
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

status=0
count=0
for example in examples/*.mlc examples/conformance/*.mlc; do
    name=$(basename "$example" .mlc)
    # hello.mlc evaluates to a plain value, not to manifests.
    [ "$name" = hello ] && continue
    manifest="$out/$(echo "$example" | tr / _).yaml"
    if ! "$mlc" build --color never "$example" > "$manifest" 2> "$out/stderr"; then
        if [ "$(dirname "$example")" = examples/conformance ] && [ -f "../shared/conformance/$name/error.txt" ]; then
            continue
        fi
        echo "FAILED to build $example:"; cat "$out/stderr"; status=1; continue
    fi
    if ! "$validator" --strict --quiet "$manifest"; then
        echo "FAILED validation: $example"; status=1
    fi
    count=$((count + 1))
done
echo "validated the manifests of $count examples"
exit $status
