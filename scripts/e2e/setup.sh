#!/usr/bin/env bash
# Installs what the end-to-end tests need into .e2e-tools/, outside the project's node_modules:
# Node 24 (from the npm registry's `node` package) and code-server, which is VS Code for the
# browser. code-server 4.139 and vsce 4 need Node 22 or newer; the project itself stays on
# Node 20. Idempotent: a second run only checks versions and returns in well under a second.
# System packages (Debian's chromium, and libkrb5-dev that code-server's kerberos module builds
# against) come from system-packages.sh beside this file, which run.sh calls first.
set -euo pipefail

NODE_VERSION_MAJOR=24
CODE_SERVER_VERSION=4.139.1

root="$(cd "$(dirname "$0")/../.." && pwd)"
tools="$root/.e2e-tools"
node24="$tools/node_modules/node/bin/node"
code_server_pkg="$tools/node_modules/code-server/package.json"

mkdir -p "$tools"
# A package.json of its own keeps npm from walking up to the project's package.json and lockfile.
[ -f "$tools/package.json" ] || echo '{ "name": "ensemble-lab-e2e-tools", "private": true }' \
  > "$tools/package.json"

installed_version() {
  # Prints the "version" field of a package.json, or nothing when it is missing.
  [ -f "$1" ] && node -p "require('$1').version" 2>/dev/null || true
}

node_version="$([ -x "$node24" ] && "$node24" --version 2>/dev/null || true)"
if [[ "$node_version" != v${NODE_VERSION_MAJOR}.* ]]; then
  echo "e2e setup: installing Node ${NODE_VERSION_MAJOR} into .e2e-tools/"
  npm install --prefix "$tools" --no-audit --no-fund "node@${NODE_VERSION_MAJOR}"
fi

if [ "${1-}" = "--node-only" ]; then
  exit 0
fi

if [[ "$(installed_version "$code_server_pkg")" != "$CODE_SERVER_VERSION" ]]; then
  if [ ! -f /usr/include/gssapi/gssapi.h ]; then
    echo "e2e setup: code-server needs the Kerberos headers: apt-get install libkrb5-dev" >&2
    exit 1
  fi
  echo "e2e setup: installing code-server ${CODE_SERVER_VERSION} into .e2e-tools/ (about 620 MB)"
  # code-server's postinstall reads the Node version from npm's user agent and refuses any but
  # 24. Under `npm test` the outer npm's agent (Node 20) is inherited as npm_config_user_agent,
  # so it is dropped, and npm itself runs on Node 24.
  npm_cli="$(readlink -f "$(command -v npm)")"
  PATH="$(dirname "$node24"):$PATH" env -u npm_config_user_agent "$node24" "$npm_cli" install --prefix "$tools" --no-audit --no-fund \
    "code-server@${CODE_SERVER_VERSION}"
fi

echo "e2e setup: Node $("$node24" --version), code-server $(installed_version "$code_server_pkg")"
