#!/usr/bin/env bash
# Times the release `mlc` binary as a whole process: `mlc eval` of a small file (goal: under
# 3 ms wall), `mlc build` of the production example (goal: under 10 ms), and `mlc check` as
# the pre-commit hook runs it (one file; every example in one process). Uses hyperfine (Debian package; installed when missing and we
# are root), else a plain loop timed with `date +%s%N`.
#
#   bench/run.sh            # 200 runs of `mlc eval bench/small.mlc`
#   RUNS=50 bench/run.sh
#   REBUILD=1 bench/run.sh  # also `mlc build --watch`'s rebuild after a one-line edit
#
# A watch-mode rebuild happens inside one long-running process, so it cannot be timed as a
# whole process; REBUILD=1 runs its criterion benchmark (goal: under 5 ms), which drives
# the same rebuild step without the file watcher's debounce.
set -euo pipefail

cd "$(dirname "$0")/.."
runs="${RUNS:-200}"
file="bench/small.mlc"

cargo build --release -p mlc-cli --quiet
mlc="target/release/mlc"
"$mlc" eval "$file" >/dev/null

if ! command -v hyperfine >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y hyperfine; } >/dev/null 2>&1 || true
fi

if command -v hyperfine >/dev/null 2>&1; then
    # The last two are what the pre-commit hook `mlc-check` runs: one changed file, and every
    # example at once.
    hyperfine --shell=none --warmup 20 --runs "$runs" "$mlc eval $file" "$mlc check $file" \
        "$mlc build examples/production.mlc" "$mlc check examples/production.mlc" \
        "$mlc check $(echo examples/*.mlc)"
else
    for command in "eval $file" "check $file" "build examples/production.mlc" \
        "check examples/production.mlc" "check $(echo examples/*.mlc)"; do
        start=$(date +%s%N)
        for _ in $(seq "$runs"); do
            # Word splitting of $command into the subcommand and its file is intended.
            # shellcheck disable=SC2086
            "$mlc" $command >/dev/null
        done
        end=$(date +%s%N)
        echo "mlc $command: mean $(( (end - start) / runs / 1000 )) µs over $runs runs"
    done
fi

if [ "${REBUILD:-0}" = 1 ]; then
    cargo bench -p mlc --bench rebuild -- --quick "after a one-line edit"
fi
