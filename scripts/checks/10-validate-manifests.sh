#!/usr/bin/env bash
# Builds every example (examples/**/*.mlc) with the real `mlc`, with warnings denied, and
# validates the manifests against the Kubernetes schemas with `kubernetes-validate --strict`
# (PyPI; scripts/setup-test-env installs it into .venv). Custom resources the validator
# has no schema for (ServiceMonitor, SecretStore, ExternalSecret, HTTPRoute, cert-manager's
# Certificate) are reported by it as warnings and not validated; mlc checks the first four
# itself. Examples of chart scenarios that the chart refuses
# (tests/conformance/<s>/error.txt) must fail to build.
set -euo pipefail
cd "$(dirname "$0")/../.."

validator=kubernetes-validate
if [ -x .venv/bin/kubernetes-validate ]; then
    validator=.venv/bin/kubernetes-validate
fi
command -v "$validator" >/dev/null || { echo "kubernetes-validate is not installed (run scripts/setup-test-env)"; exit 1; }

cargo build --quiet -p mlc-cli
mlc="${CARGO_TARGET_DIR:-target}/debug/mlc"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

status=0
count=0
while IFS= read -r example; do
    name=$(basename "$example" .mlc)
    # hello.mlc evaluates to a plain value, not to manifests.
    [ "$name" = hello ] && continue
    manifest="$out/$(echo "$example" | tr / _).yaml"
    if ! "$mlc" build --color never --deny-warnings "$example" > "$manifest" 2> "$out/stderr"; then
        if [ "$(dirname "$example")" = examples/conformance ] && [ -f "tests/conformance/$name/error.txt" ]; then
            continue
        fi
        echo "FAILED to build $example:"; cat "$out/stderr"; status=1; continue
    fi
    if ! "$validator" --strict --quiet "$manifest"; then
        echo "FAILED validation: $example"; status=1
    fi
    count=$((count + 1))
done < <(find examples -name '*.mlc' | LC_ALL=C sort)
echo "validated the manifests of $count examples"
exit $status
