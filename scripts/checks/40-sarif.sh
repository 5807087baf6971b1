#!/usr/bin/env bash
# Validates `mlc build --message-format sarif` against the SARIF 2.1.0 JSON schema of
# OASIS (scripts/checks/data/sarif-schema-2.1.0.json, the sarif-spec repository's
# Schemata/sarif-schema-2.1.0.json, as vendored by the serde-sarif crate) with Python's
# `jsonschema` (PyPI; .ci/run installs it into .venv): a case with errors, warnings, a fix,
# related locations and waived findings (suppressions), and a clean build.
set -euo pipefail
cd "$(dirname "$0")/../.."

python=python3
[ -x .venv/bin/python ] && python=.venv/bin/python
"$python" -c 'import jsonschema' 2>/dev/null || { echo "jsonschema is not installed (see .ci/run)"; exit 1; }

cargo build --quiet -p mlc-cli
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# Exit code 1: the cases have errors; the log is printed all the same.
# The log is on stderr (stdout has the manifests).
target/debug/mlc --message-format sarif check cli/tests/data/build/waivers.mlc 2> "$out/waivers.sarif" || true
target/debug/mlc --message-format sarif build --allow E0513 cli/tests/data/build/replicas-sqlite.mlc 2> "$out/allowed.sarif" > /dev/null || true
target/debug/mlc --message-format sarif build examples/production.mlc 2> "$out/clean.sarif" > /dev/null

"$python" - "$out" <<'PY'
import json, sys, pathlib
import jsonschema

schema = json.load(open("scripts/checks/data/sarif-schema-2.1.0.json"))
validator = jsonschema.Draft7Validator(schema)
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.sarif")):
    log = json.load(open(path))
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    if errors:
        for error in errors[:10]:
            print(f"{path.name}: {'/'.join(map(str, error.path))}: {error.message}")
        sys.exit(1)
    run = log["runs"][0]
    rules = {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    for result in run["results"]:
        assert result["ruleId"] in rules, result["ruleId"]
    suppressed = sum(1 for r in run["results"] if r.get("suppressions"))
    print(f"{path.name}: valid SARIF 2.1.0, {len(run['results'])} results ({suppressed} suppressed)")
PY
