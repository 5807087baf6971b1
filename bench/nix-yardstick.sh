#!/usr/bin/env bash
# The Nix yardstick (../shared/bench/nix-yardstick/, see its README): the same program of N
# MLflow deployments evaluated by `nix-instantiate --eval --strict --json` and by
# `mlc eval --json`. Checks that both print the same JSON, times them side by side in one
# hyperfine session (the machine is shared: only a ratio of runs made together means
# anything) and prints mlc's median time as a ratio of Nix's, and both peak memories.
# Goal (issue 13): ratio at most 0.33 at N=1000, less memory than Nix.
#
#   bench/nix-yardstick.sh                      # N=1000, 10 runs each
#   N=100 RUNS=20 bench/nix-yardstick.sh
#   MLC=/tmp/mlc-new BASELINE=/tmp/mlc-old bench/nix-yardstick.sh   # also new/old ratio
#
# Skips (exit 0) when Nix, hyperfine or the yardstick files are missing. Never fails on the
# ratio: it is a measurement, not a test.
set -euo pipefail

cd "$(dirname "$0")/.."
yardstick="${YARDSTICK:-../shared/bench/nix-yardstick}"
n="${N:-1000}"
runs="${RUNS:-10}"

skip() {
    echo "nix-yardstick: skipped ($1)"
    exit 0
}
[ -f "$yardstick/mlflow.nix" ] && [ -f "$yardstick/scale.nix" ] || skip "no $yardstick"
command -v nix-instantiate > /dev/null 2>&1 || skip "nix-instantiate is not installed"
command -v hyperfine > /dev/null 2>&1 || skip "hyperfine is not installed"

if [ -z "${MLC:-}" ]; then
    nice cargo build --release -p mlc-cli --quiet
    MLC="$PWD/target/release/mlc"
fi

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# Both binaries are timed as copies made now: an old copy of a binary runs slower than a
# fresh copy of the same file (docs/performance.md, session 17).
cp "$MLC" "$dir/mlc"
MLC="$dir/mlc"
if [ -n "${BASELINE:-}" ]; then
    cp "$BASELINE" "$dir/baseline"
    BASELINE="$dir/baseline"
fi
sed 's/\.nix/.mlc/g' "$yardstick/mlflow.nix" > "$dir/mlflow.mlc"
sed 's/\.nix/.mlc/g' "$yardstick/scale.nix" > "$dir/scale.mlc"
cp "$yardstick/mlflow.nix" "$yardstick/scale.nix" "$dir/"
echo "import ./scale.mlc { n = $n; }" > "$dir/main.mlc"
echo "import ./scale.nix { n = $n; }" > "$dir/main.nix"

nix=(nix-instantiate --eval --strict --json --store dummy:// "$dir/main.nix")
"${nix[@]}" > "$dir/nix.json" 2> "$dir/nix.err" || skip "nix-instantiate failed: $(head -c 300 "$dir/nix.err")"
"$MLC" eval --json "$dir/main.mlc" > "$dir/mlc.json"
# Nix prints no final newline.
if ! cmp -s <(tr -d '\n' < "$dir/nix.json") <(tr -d '\n' < "$dir/mlc.json"); then
    echo "nix-yardstick: DIFFERENT JSON from mlc and Nix at n=$n (a bug: run the commands above)"
    exit 1
fi

commands=("${nix[*]}" "$MLC eval --json $dir/main.mlc")
if [ -n "${BASELINE:-}" ]; then
    commands+=("$BASELINE eval --json $dir/main.mlc")
fi
hyperfine --shell=none --style=basic --warmup 2 --runs "$runs" --export-json "$dir/times.json" \
    "${commands[@]}" > "$dir/hyperfine.txt"

# Peak memory (maximum resident set) of one run of each command.
peak_kib() {
    /usr/bin/time -f '%M' "$@" 2>&1 > /dev/null | tail -1
}
nix_kib=$(peak_kib "${nix[@]}")
mlc_kib=$(peak_kib "$MLC" eval --json "$dir/main.mlc")
base_kib=""
if [ -n "${BASELINE:-}" ]; then
    base_kib=$(peak_kib "$BASELINE" eval --json "$dir/main.mlc")
fi

python3 - "$dir/times.json" "$n" "$nix_kib" "$mlc_kib" "$base_kib" << 'EOF'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
n, nix_kib, mlc_kib, base_kib = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
median = [r["median"] for r in results]
# CPU time (user + system) is steadier than wall time on a loaded machine: both are shown.
cpu = [r["user"] + r["system"] for r in results]
print(f"nix-yardstick, n={n}: identical JSON; {len(results[0]['times'])} runs of each, side by side")
print(f"  nix-instantiate  {median[0] * 1000:8.1f} ms wall (median)  {cpu[0] * 1000:8.1f} ms CPU (mean)  {nix_kib / 1024:6.1f} MiB peak")
print(f"  mlc eval --json  {median[1] * 1000:8.1f} ms wall (median)  {cpu[1] * 1000:8.1f} ms CPU (mean)  {mlc_kib / 1024:6.1f} MiB peak")
print(f"  mlc / nix: wall {median[1] / median[0]:.2f}x, CPU {cpu[1] / cpu[0]:.2f}x (goal <= 0.33x), memory {mlc_kib / nix_kib:.2f}x (goal < 1x)")
if base_kib:
    base_kib = int(base_kib)
    print(f"  baseline mlc     {median[2] * 1000:8.1f} ms wall (median)  {cpu[2] * 1000:8.1f} ms CPU (mean)  {base_kib / 1024:6.1f} MiB peak")
    print(f"  mlc / baseline: wall {median[1] / median[2]:.2f}x, CPU {cpu[1] / cpu[2]:.2f}x, memory {mlc_kib / base_kib:.2f}x")
EOF
