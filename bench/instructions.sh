#!/usr/bin/env bash
# Counts the instructions of the two small runs issue 13 sets goals for, `mlc eval -E 1`
# (1.5 ms) and `mlc build examples/production.mlc` (3 ms), with valgrind's callgrind: exact
# whatever the load of the machine, where wall times of a few milliseconds are not.
#
#   bench/instructions.sh                              # target/release/mlc
#   MLC=/tmp/mlc-after BASELINE=/tmp/mlc-before bench/instructions.sh
#
# With BASELINE, each count is followed by its ratio to the baseline's. Skipped (exit 0)
# when valgrind is missing.
set -euo pipefail

cd "$(dirname "$0")/.."
mlc="${MLC:-target/release/mlc}"
baseline="${BASELINE:-}"

if ! command -v valgrind >/dev/null 2>&1; then
    echo "instructions: skipped (valgrind is not installed)"
    exit 0
fi

# The instruction count of one run of `$1 ARGS...` (its output is discarded).
count() {
    local binary="$1"
    shift
    local out
    out="$(mktemp)"
    valgrind --tool=callgrind --callgrind-out-file="$out" "$binary" "$@" >/dev/null 2>"$out.log"
    awk '/^summary:/ { print $2 }' "$out"
    rm -f "$out" "$out.log"
}

for command in "eval -E 1" "build examples/production.mlc"; do
    # Word splitting of $command into the subcommand and its arguments is intended.
    # shellcheck disable=SC2086
    after="$(count "$mlc" $command)"
    if [ -n "$baseline" ]; then
        # shellcheck disable=SC2086
        before="$(count "$baseline" $command)"
        ratio="$(awk -v a="$after" -v b="$before" 'BEGIN { printf "%.2f", a / b }')"
        echo "mlc $command: $after instructions, baseline $before, ${ratio}x"
    else
        echo "mlc $command: $after instructions"
    fi
done
