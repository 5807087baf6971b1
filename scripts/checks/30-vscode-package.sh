#!/usr/bin/env bash
# Packages the VS Code extension as users and the marketplace would get it:
# `npm ci` from the committed package-lock.json, the TypeScript build, then
# `npx @vscode/vsce package` (which refuses a manifest without a license, ...). mlc has no
# public repository yet, so the manifest names none and the package is made with
# `--allow-missing-repository` rather than with an address that does not exist.
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
npx --no-install @vscode/vsce package --allow-missing-repository --out "$out/mlc.vsix"
# The package holds the compiled extension, its grammar and its license (read with
# Python's zipfile: `unzip` is not on every machine).
python3 - "$out/mlc.vsix" <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
for wanted in ("extension/out/extension.js", "extension/syntaxes/mlc.tmLanguage.json"):
    if wanted not in names:
        sys.exit(f"30-vscode-package: {wanted} is not in the package")
if not any(name.lower().startswith("extension/license") for name in names):
    sys.exit("30-vscode-package: no LICENSE in the package")
PY
echo "30-vscode-package: ok"
