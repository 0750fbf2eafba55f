#!/usr/bin/env bash
# Installs everything the project needs on a fresh machine (as root, with the npm registry and
# Debian's packages reachable): npm dependencies from the lockfile, then Chromium, Node 24 and
# code-server for the real VS Code that `npm start` and the end-to-end tests use, then a build.
# Safe to run again: each step is skipped when it is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[setup] npm ci"
  npm ci --no-audit --no-fund
else
  echo "[setup] npm dependencies already installed"
fi
bash scripts/install-e2e.sh
echo "[setup] build"
node esbuild.mjs >/dev/null
echo "[setup] done"
