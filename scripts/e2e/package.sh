#!/usr/bin/env bash
# Builds the bundles and packs the extension into ensemble-lab-<version>.vsix at the project root.
# vsce 4 needs Node 22 or newer, so it runs on the Node 24 that setup.sh keeps in .e2e-tools/;
# the runtime node_modules (TensorFlow.js among them) come from package.json's dependencies.
# README links stay relative: the project has no public repository URL to point them at.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

bash scripts/e2e/setup.sh --node-only
npm run build
PATH="$root/.e2e-tools/node_modules/node/bin:$PATH" node node_modules/@vscode/vsce/vsce package \
  --no-rewrite-relative-links --allow-missing-repository \
  --out "$root/$(node -p "const p = require('./package.json'); p.name + '-' + p.version").vsix"
