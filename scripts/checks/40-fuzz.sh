#!/usr/bin/env bash
# A short run of each fuzz target of compiler/fuzz/ (parser, evaluator, formatter, reparse):
# about 20 seconds each, starting from the seeds kept in compiler/fuzz/seeds/<target>/ (new
# inputs go to the ignored compiler/fuzz/corpus/). A crash fails the check and leaves its
# input in compiler/fuzz/artifacts/<target>/: add it to a regression test (docs/fuzzing.md).
#
# Needs cargo-fuzz. When it is missing the check is skipped, unless CI (or MLC_FUZZ_INSTALL)
# is set: then it is installed first (`cargo install cargo-fuzz`, a few minutes).
# MLC_FUZZ_SECONDS sets the time per target. Under CI the fuzz build (its own target/, a
# second optimised build of every crate) is removed at the end, so the checks after it have
# the disk space.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! cargo fuzz --version >/dev/null 2>&1; then
    if [[ -n "${CI:-}" || -n "${MLC_FUZZ_INSTALL:-}" ]]; then
        echo "40-fuzz: installing cargo-fuzz"
        cargo install --locked cargo-fuzz
    else
        echo "40-fuzz: skipped: cargo-fuzz is not installed (cargo install cargo-fuzz, or set MLC_FUZZ_INSTALL=1)"
        exit 0
    fi
fi

seconds="${MLC_FUZZ_SECONDS:-20}"
cd compiler/fuzz
# cargo-fuzz passes nightly flags; RUSTC_BOOTSTRAP lets the stable compiler accept them.
export RUSTC_BOOTSTRAP=1
log="$(mktemp)"
cleanup() {
    rm -f "$log"
    if [[ -n "${CI:-}" ]]; then rm -rf target; fi
}
trap cleanup EXIT
cargo fuzz build --sanitizer none
for target in parse parse_eval fmt reparse; do
    mkdir -p "corpus/$target"
    echo "40-fuzz: $target for ${seconds}s"
    if ! cargo fuzz run --sanitizer none "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=4096 \
        -print_final_stats=1 >"$log" 2>&1; then
        tail -n 40 "$log" >&2
        echo "40-fuzz: $target failed; its input is in compiler/fuzz/artifacts/$target/" >&2
        exit 1
    fi
    grep -a -E 'stat::number_of_executed_units' "$log" || true
done
