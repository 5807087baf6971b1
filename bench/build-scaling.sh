#!/usr/bin/env bash
# Times `mlc build` (the release binary, whole process) on files declaring 100, 500 and
# 1,000 MLflow deployments, one per team (bench/team-deployment.mlc.in, the item the
# criterion benchmark compiler/benches/build.rs uses too), and prints the time per
# deployment, which stays flat when the cost grows linearly. Goal: 1,000 deployments in
# under a second. Uses hyperfine when installed, else the best of RUNS plain runs.
#
#   bench/build-scaling.sh            # sizes 100 500 1000
#   SIZES="1000 2000" RUNS=5 bench/build-scaling.sh
set -euo pipefail

cd "$(dirname "$0")/.."
sizes="${SIZES:-100 500 1000}"
runs="${RUNS:-5}"

cargo build --release -p mlc-cli --quiet
mlc="$PWD/target/release/mlc"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

generate() {
    echo "let mlflow = import <mlflow>; in"
    echo "["
    for i in $(seq -f "%04g" 0 $(($1 - 1))); do
        sed "s/@ID@/$i/g" bench/team-deployment.mlc.in
    done
    echo "]"
}

for n in $sizes; do
    generate "$n" > "$dir/deployments-$n.mlc"
    "$mlc" build "$dir/deployments-$n.mlc" > /dev/null
    objects=$("$mlc" build -o json "$dir/deployments-$n.mlc" | grep -c '"apiVersion"')
    if command -v hyperfine > /dev/null 2>&1; then
        hyperfine --shell=none --warmup 1 --runs "$runs" --export-json "$dir/$n.json" \
            "$mlc build $dir/deployments-$n.mlc" > /dev/null
        seconds=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][0]['mean'])" "$dir/$n.json")
    else
        best=""
        for _ in $(seq "$runs"); do
            start=$(date +%s%N)
            "$mlc" build "$dir/deployments-$n.mlc" > /dev/null
            elapsed=$(( $(date +%s%N) - start ))
            if [ -z "$best" ] || [ "$elapsed" -lt "$best" ]; then best=$elapsed; fi
        done
        seconds=$(python3 -c "import sys; print(int(sys.argv[1]) / 1e9)" "$best")
    fi
    python3 -c "import sys; n, s, o = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]; print(f'{n:>6} deployments ({o} objects): {s*1000:8.1f} ms, {s*1e6/n:7.1f} µs per deployment')" "$n" "$seconds" "$objects"
done
