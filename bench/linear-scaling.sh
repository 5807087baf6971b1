#!/usr/bin/env bash
# Linear time in input size (issue 16): times `mlc` on each construct that was once
# super-linear, at a base size and at ten times that size, and prints the ratio of the two
# times (hyperfine, both sizes in one run, paired). Linear cost gives about 10 (less while
# process start-up dominates); quadratic gives about 100.
#
#   bench/linear-scaling.sh                     # the release binary
#   MLC=target/debug/mlc bench/linear-scaling.sh  # another binary (no build)
#   RUNS=10 bench/linear-scaling.sh
#
# Constructs: a select chain `{ }.a.a...` (lexer and parser), a deep attribute path
# `{ a.a.a... = 1; }` evaluated and printed, a record of many fields and a union of many
# strings (type checker), and many errors in one file (diagnostics: capped and short).
set -euo pipefail

cd "$(dirname "$0")/.."
runs="${RUNS:-5}"
if [ -z "${MLC:-}" ]; then
    cargo build --release -p mlc-cli --quiet
    MLC="$PWD/target/release/mlc"
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# generate NAME N: writes $dir/NAME-N.mlc for the construct at size N.
generate() {
    python3 - "$1" "$2" "$dir/$1-$2.mlc" <<'PY'
import sys
name, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if name == "select-chain":
    text = "{ }" + ".a" * n
elif name == "deep-path":
    text = "{ " + ".".join(["a"] * n) + " = 1; }"
elif name == "wide-record":
    text = "{ " + " ".join(f"f{i} = {i};" for i in range(n)) + " }"
elif name == "string-union":
    members = " | ".join(f'"s{i}"' for i in range(n))
    text = f'let x :: {members} = "s0"; in x'
elif name == "many-errors":
    text = "[\n" + "".join(f"  (x{i} +)\n" for i in range(n)) + "]"
open(path, "w").write(text)
PY
}

# name, base size, command
cases=(
    "select-chain 6400 check"
    "deep-path 200 eval"
    "wide-record 4000 eval"
    "string-union 3000 check"
    "many-errors 200 check"
)

printf '%-14s %8s %10s %10s %7s\n' construct size "1x (ms)" "10x (ms)" ratio
for case in "${cases[@]}"; do
    read -r name base command <<<"$case"
    big=$((base * 10))
    generate "$name" "$base"
    generate "$name" "$big"
    hyperfine --shell=none --warmup 1 --runs "$runs" -i --export-json "$dir/$name.json" \
        "$MLC $command $dir/$name-$base.mlc" "$MLC $command $dir/$name-$big.mlc" >/dev/null
    python3 - "$dir/$name.json" "$name" "$base" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
small, large = results[0]["mean"], results[1]["mean"]
print(f"{sys.argv[2]:<14} {int(sys.argv[3]):>8} {small*1000:>10.1f} {large*1000:>10.1f} {large/small:>7.1f}")
PY
done
