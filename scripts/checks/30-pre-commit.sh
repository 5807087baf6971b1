#!/usr/bin/env bash
# The hooks of .pre-commit-hooks.yaml, run by the real pre-commit (PyPI) as a user's
# repository would run them (`pre-commit try-repo`): `mlc-check` passes a good deployment
# and fails, with the check's code, on one that trips a check; `mlc-fmt` fails on a file
# that is not formatted. Skipped when pre-commit or git is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

precommit=pre-commit
[ -x .venv/bin/pre-commit ] && precommit=$root/.venv/bin/pre-commit
command -v "$precommit" >/dev/null || { echo "skipped: pre-commit is not installed"; exit 0; }
command -v git >/dev/null || { echo "skipped: git is not installed"; exit 0; }

cargo build --quiet -p mlc-cli
export PATH="$(realpath "${CARGO_TARGET_DIR:-target}")/debug:$PATH"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/cache"

cd "$work"
git init -q repo
cd repo
git config user.email ci@example.invalid
git config user.name ci
cp "$root/examples/production.mlc" good.mlc
cat > bad.mlc <<'MLC'
let mlflow = import <mlflow>; in
mlflow.deployment {
  replicaCount = 2;
  mlflow.backendStoreUri = "sqlite:////mlflow/mlflow.db";
}
MLC
printf 'let x = 1;   in\n  x\n' > unformatted.mlc
git add .

hook() { "$precommit" try-repo "$root" "$@" 2>&1; }

hook mlc-check --files good.mlc > out.txt || { cat out.txt; echo "mlc-check failed on a good file" >&2; exit 1; }
if hook mlc-check --files bad.mlc > out.txt; then
    cat out.txt; echo "mlc-check passed a deployment with SQLite and 2 replicas" >&2; exit 1
fi
grep -q 'E0513' out.txt || { cat out.txt; echo "mlc-check did not name E0513" >&2; exit 1; }
hook mlc-fmt --files good.mlc > out.txt || { cat out.txt; echo "mlc-fmt failed on a formatted file" >&2; exit 1; }
if hook mlc-fmt --files unformatted.mlc > out.txt; then
    cat out.txt; echo "mlc-fmt passed an unformatted file" >&2; exit 1
fi
echo "30-pre-commit: mlc-check and mlc-fmt pass good files and stop bad ones"
