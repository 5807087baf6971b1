#!/usr/bin/env bash
# Tries the Neovim setup of lsp/editors/README.md as a user would, headless, against the real
# mlc-lsp: a fresh configuration directory with lsp/editors/nvim/mlc.lua in plugin/, a
# project with a .git directory, and a .mlc file in it; lsp/editors/nvim/check.lua then checks
# the filetype, the client attached at the project's root, the diagnostics (an undefined
# name; an import outside the project refused without quoting the file) and completion.
# Needs `nvim` (scripts/setup-test-env installs Debian's); without it, skipped.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v nvim >/dev/null; then
  echo "30-neovim: nvim not found, skipped"
  exit 0
fi
cargo build -q -p mlc-lsp
bin="$(realpath "${CARGO_TARGET_DIR:-target}")/debug"
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
mkdir -p "$home/config/nvim/plugin" "$home/project/.git"
cp lsp/editors/nvim/mlc.lua "$home/config/nvim/plugin/mlc.lua"
# Outside the project: the server must refuse the import and never show this text.
printf '"the secret"\n' > "$home/outside.mlc"
printf 'let\n  port = 5000;\nin {\n  a = import ../outside.mlc;\n  b = prot;\n}\n' > "$home/project/deploy.mlc"
XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" XDG_STATE_HOME="$home/state" \
  XDG_CACHE_HOME="$home/cache" PATH="$bin:$PATH" \
  timeout 180 nvim --headless -n -i NONE "$home/project/deploy.mlc" \
  -c "luafile lsp/editors/nvim/check.lua"
