#!/usr/bin/env bash
# Installs everything the project needs on a fresh machine (as root, with the npm registry and
# Debian's packages reachable): npm dependencies from the lockfile, Debian's redis-server (the
# shared cache's integration tests start their own instances of it), then Chromium, Node 24 and
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
if ! command -v redis-server >/dev/null 2>&1; then
  echo "[setup] apt-get install redis-server"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends redis-server >/dev/null
  # Tests start their own servers on free ports; the packaged service is not needed. Where
  # systemd runs, the package starts one on port 6379: stop it and keep it off.
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl disable --now redis-server >/dev/null 2>&1 || true
  fi
else
  echo "[setup] redis-server already installed"
fi
bash scripts/install-e2e.sh
echo "[setup] build"
node esbuild.mjs >/dev/null
echo "[setup] done"
