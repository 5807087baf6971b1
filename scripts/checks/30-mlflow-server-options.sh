#!/usr/bin/env bash
# Compares the `mlflow server` options mlc accepts (server.value_options and
# server.flag_options in stdlib/mlflow/options.mlc, read through `mlc doc`) with the real
# `mlflow server` at the chart's MLflow version (the `v<version>-full` image tag `mlc doc`
# names). MLflow comes from PyPI (`mlflow-skinny`: its `server` command is MLflow's, without
# the UI and the heavy dependencies) into a virtualenv cached under
# ${MLC_CACHE:-~/.cache/mlc}, so that later runs skip the install. Without network the
# check is skipped, with a message.
set -euo pipefail
cd "$(dirname "$0")/../.."

cargo build --quiet -p mlc-cli
doc=$(mktemp)
trap 'rm -f "$doc"' EXIT
target/debug/mlc doc > "$doc"
version=$(grep -o 'v[0-9]*\.[0-9]*\.[0-9]*-full' "$doc" | head -n 1 | sed 's/^v//; s/-full$//')
[ -n "$version" ] || { echo "mlc doc names no chart image tag (v<version>-full)"; exit 1; }

venv="${MLC_CACHE:-$HOME/.cache/mlc}/mlflow-skinny-$version"
if [ ! -x "$venv/bin/mlflow" ]; then
    rm -rf "$venv"
    mkdir -p "$(dirname "$venv")"
    if ! { python3 -m venv "$venv" \
        && timeout 300 "$venv/bin/pip" install --quiet --disable-pip-version-check "mlflow-skinny==$version"; }; then
        echo "SKIPPED: cannot install mlflow-skinny==$version from PyPI; mlflow server options not compared"
        rm -rf "$venv"
        exit 0
    fi
fi
"$venv/bin/mlflow" server --help > /dev/null
"$venv/bin/python" scripts/checks/mlflow_server_options.py "$doc" "$version"
