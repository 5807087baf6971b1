#!/usr/bin/env bash
# End-to-end tests of mlc-lsp with a real third-party LSP client (pytest-lsp from PyPI).
# Needs .venv with pytest-lsp and pytest (scripts/setup-test-env creates it).
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build -q -p mlc-lsp
export MLC_LSP="$(realpath "${CARGO_TARGET_DIR:-target}")/debug/mlc-lsp"
exec .venv/bin/pytest -q tests/lsp
