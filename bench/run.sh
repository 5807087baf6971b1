#!/usr/bin/env bash
# Times the release `mlc` binary as a whole process on a small file (goal: `mlc eval` of a
# small file under 3 ms wall). Uses hyperfine (Debian package; installed when missing and we
# are root), else a plain loop timed with `date +%s%N`.
#
#   bench/run.sh            # 200 runs of `mlc eval bench/small.mlc`
#   RUNS=50 bench/run.sh
set -euo pipefail

cd "$(dirname "$0")/.."
runs="${RUNS:-200}"
file="bench/small.mlc"

cargo build --release -p mlc --quiet
mlc="target/release/mlc"
"$mlc" eval "$file" >/dev/null

if ! command -v hyperfine >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y hyperfine; } >/dev/null 2>&1 || true
fi

if command -v hyperfine >/dev/null 2>&1; then
    hyperfine --shell=none --warmup 20 --runs "$runs" "$mlc eval $file" "$mlc check $file"
else
    for command in eval check; do
        start=$(date +%s%N)
        for _ in $(seq "$runs"); do
            "$mlc" "$command" "$file" >/dev/null
        done
        end=$(date +%s%N)
        echo "mlc $command $file: mean $(( (end - start) / runs / 1000 )) µs over $runs runs"
    done
fi
