#!/usr/bin/env bash
# Prints how `mlc eval --json` compares with Nix on the yardstick program (time ratio and
# peak memory, bench/nix-yardstick.sh). A measurement, never a failure on the figures: it
# fails only if mlc and Nix print different JSON. Skipped without Nix or ../shared.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${RUNS:-5}" bench/nix-yardstick.sh
