#!/usr/bin/env bash
# `npm start`: opens examples/workspace in a local VS Code (code-server, in your browser) with
# MCP Integration installed and configured against local MCP servers. Installs what is missing
# (first run: a few minutes), builds, then runs scripts/start-vscode.ts. Ctrl+C stops everything.
#
# Environment: PORT (default 8080; a free port is used when it is taken), BIND_HOST (default
# 127.0.0.1; use 0.0.0.0 to reach it from outside a container).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-e2e.sh
if [ ! -d node_modules/@modelcontextprotocol/client ]; then
  echo "[start] installing npm dependencies"
  npm ci --no-audit --no-fund
fi
echo "[start] building the extension"
if ! build_output=$(npm run --silent build 2>&1); then
  echo "$build_output" >&2
  exit 1
fi
exec node --import tsx scripts/start-vscode.ts
