#!/usr/bin/env bash
# Differential test against the official MLflow Helm chart (tests/helm-diff/): random,
# plausible values files rendered by Helm's own engine (helm-python-sdk) and by the real
# `mlc import` + `mlc build`, compared object by object: 1,000 cases from the fixed seed,
# the same 1,000 with mlc's own checks allowed (`--waived`: they must then match too),
# then 1,000 from a fresh random seed, waived (printed, so a failure can be replayed). Skipped, with
# the reason, when the chart (../shared/mlflow-chart, or $MLC_SHARED/mlflow-chart) or the
# helm_python module is missing, as on a fresh clone.
set -euo pipefail
cd "$(dirname "$0")/../.."

shared="${MLC_SHARED:-../shared}"
python=python3
[ -x .venv/bin/python ] && python=.venv/bin/python
if [ ! -f "$shared/mlflow-chart/Chart.yaml" ]; then
    echo "helm-diff: skipped: the chart is not at $shared/mlflow-chart (set MLC_SHARED to the shared folder)"
    exit 0
fi
if ! "$python" -c 'import helm_python, yaml, kubernetes_validate' 2>/dev/null; then
    echo "helm-diff: skipped: the Python modules helm_python, yaml or kubernetes_validate are missing (pip install helm-python-sdk==0.2.2 pyyaml kubernetes-validate)"
    exit 0
fi

cargo build --quiet -p mlc-cli
export MLC_SHARED="$shared"
"$python" tests/helm-diff/helm_diff.py --cases "${HELM_DIFF_CASES:-1000}"
"$python" tests/helm-diff/helm_diff.py --cases "${HELM_DIFF_CASES:-1000}" --waived
"$python" tests/helm-diff/helm_diff.py --cases "${HELM_DIFF_CASES:-1000}" --random-seed --waived
