#!/usr/bin/env bash
# npm run test:e2e: installs the tools (once), packs the VSIX, then runs test/e2e/*.test.ts, each
# file starting its own code-server and Chromium. Screenshots go to test-results/.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

bash scripts/e2e/system-packages.sh
bash scripts/e2e/setup.sh
bash scripts/e2e/package.sh
node --import tsx --test --test-concurrency=1 test/e2e/*.test.ts
