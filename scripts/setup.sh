#!/usr/bin/env bash
# Installs everything the project needs on a fresh machine: npm dependencies, then a build.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund
node esbuild.mjs
