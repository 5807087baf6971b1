#!/usr/bin/env bash
# Packages the VS Code extension as users and the marketplace would get it:
# `npm ci` from the committed package-lock.json, the TypeScript build, then
# `npx @vscode/vsce package` (which refuses a manifest without license, repository, ...).
# Needs node (v20) and npm with access to the npm registry.
set -euo pipefail
cd "$(dirname "$0")/../../lsp/editors/vscode"
if ! command -v npm >/dev/null; then
  echo "30-vscode-package: npm not found, skipped"
  exit 0
fi
npm ci --no-audit --no-fund --silent
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
npx --no-install @vscode/vsce package --out "$out/mlc.vsix"
# The package holds the compiled extension, its grammar and its license.
unzip -l "$out/mlc.vsix" | grep -q "extension/out/extension.js"
unzip -l "$out/mlc.vsix" | grep -q "extension/syntaxes/mlc.tmLanguage.json"
unzip -l "$out/mlc.vsix" | grep -qi "extension/LICENSE"
echo "30-vscode-package: ok"
