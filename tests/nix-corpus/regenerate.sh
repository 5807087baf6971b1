#!/usr/bin/env bash
# Regenerates the expected outputs of the differential corpus from real Nix
# (`nix-instantiate`, Debian package nix-bin). Every `*.nix` here must evaluate;
# every `errors/*.nix` must fail (its message is kept). Run after adding or changing a case.
set -euo pipefail
cd "$(dirname "$0")"
status=0
for file in *.nix; do
    if ! nix-instantiate --eval --strict --json "$file" > "${file%.nix}.expected.json" 2> /tmp/nix-corpus-stderr; then
        echo "FAILED under Nix: $file"; cat /tmp/nix-corpus-stderr; status=1
    fi
done
# Each error case stores Nix's message (its first `error:` line, without the file
# positions), from which the differential test knows which kind of error mlc must raise.
for file in errors/*.nix; do
    if nix-instantiate --eval --strict --json "$file" > /dev/null 2> /tmp/nix-corpus-stderr; then
        echo "should fail under Nix but succeeded: $file"; status=1
    else
        grep -m1 '^error:' /tmp/nix-corpus-stderr \
            | sed -e 's/^error: //' -e 's/ at [^ ]*:[0-9]*:[0-9]*//g' > "${file%.nix}.expected-error"
    fi
done
exit $status
