#!/usr/bin/env bash
# Regenerates the expected outputs of the differential corpus from real Nix
# (`nix-instantiate`, Debian package nix-bin). Every `*.nix` here must evaluate;
# every `errors/*.nix` must fail. Run after adding or changing a case.
set -euo pipefail
cd "$(dirname "$0")"
status=0
for file in *.nix; do
    if ! nix-instantiate --eval --strict --json "$file" > "${file%.nix}.expected.json" 2> /tmp/nix-corpus-stderr; then
        echo "FAILED under Nix: $file"; cat /tmp/nix-corpus-stderr; status=1
    fi
done
for file in errors/*.nix; do
    if nix-instantiate --eval --strict --json "$file" > /dev/null 2>&1; then
        echo "should fail under Nix but succeeded: $file"; status=1
    fi
done
exit $status
