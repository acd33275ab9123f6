#!/usr/bin/env bash
# Installs the Debian packages the end-to-end tests need, when they are missing: chromium (the
# browser Playwright drives) and libkrb5-dev (headers code-server's kerberos module builds
# against). As root (CI, the development machines) it runs apt-get; otherwise it says what to run.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "e2e: missing Debian packages: run sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "e2e: installing Debian packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" \
  > /dev/null
