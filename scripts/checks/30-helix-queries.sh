#!/usr/bin/env bash
# Keeps the Helix queries (lsp/editors/helix/queries/mlc) honest without building Helix:
# the Nix tree-sitter grammar from PyPI (`tree-sitter-nix`, compiled, with its own queries)
# and the tree-sitter Python binding run every query file, its `; inherits: nix` resolved
# as Helix resolves it, over examples/*.mlc (scripts/checks/helix_queries.py): no query
# error, no syntax error, and highlights for keywords, strings, comments and attribute
# names. The inherited queries are the grammar's own, or Helix's when HELIX_RUNTIME names
# a Helix runtime directory (the real setup is tried in lsp/editors/README.md, "Helix").
# The two packages go into a virtualenv cached under ${MLC_CACHE:-~/.cache/mlc}; without
# PyPI the check is skipped, with a message.
set -euo pipefail
cd "$(dirname "$0")/../.."

packages=(tree-sitter==0.26.1 tree-sitter-nix==0.1.0)
venv="${MLC_CACHE:-$HOME/.cache/mlc}/helix-queries-tree-sitter-0.26.1-nix-0.1.0"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import tree_sitter, tree_sitter_nix' 2>/dev/null; then
    rm -rf "$venv"
    mkdir -p "$(dirname "$venv")"
    if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
        fi
    fi
    if ! { python3 -m venv "$venv" \
        && timeout 300 "$venv/bin/pip" install --quiet --disable-pip-version-check "${packages[@]}"; }; then
        echo "30-helix-queries: SKIPPED: cannot install ${packages[*]} from PyPI; the Helix queries are not checked"
        rm -rf "$venv"
        exit 0
    fi
fi
"$venv/bin/python" scripts/checks/helix_queries.py lsp/editors/helix/queries/mlc examples/*.mlc
echo "30-helix-queries: ok"
