#!/usr/bin/env bash
# Runs every ClinicBot test. On a fresh machine it first installs what the tests need:
# Chromium for the browser tests (Debian package; Playwright cannot download browsers here), redis-server for the
# scale-out tests (each test starts its own on loopback), and Node.js/npm for the local Cosmos DB-compatible server
# and the local SMTP server (maildev).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing what the tests need: ${missing[*]}..."
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The on-call email tests send to a local SMTP server with an HTTP API (npm maildev, pinned in scripts/maildev); each
# test fixture starts its own on loopback.
if [ ! -f scripts/maildev/node_modules/maildev/package.json ]; then
  echo "Installing maildev for the on-call email tests..."
  npm ci --prefix scripts/maildev --no-audit --no-fund >/dev/null
fi

# The Cosmos DB tests run against a local Cosmos DB-compatible server (npm @vercel/cosmosdb-server, on loopback).
# Start it once for the whole run and export its endpoint, so the tests' fixture reuses it; stop it on exit.
if [ -z "${CLINICBOT_COSMOS_ENDPOINT:-}" ]; then
  cosmos_state="$(mktemp -d)"
  trap 'scripts/cosmos-server/stop.sh "$cosmos_state"; rm -rf "$cosmos_state"' EXIT
  CLINICBOT_COSMOS_ENDPOINT="$(scripts/cosmos-server/start.sh "$cosmos_state")"
  export CLINICBOT_COSMOS_ENDPOINT
  echo "Local Cosmos DB-compatible server at $CLINICBOT_COSMOS_ENDPOINT"
fi
export AZURE_COSMOS_USE_QUERY_PLAN_INTEROP_LINUX=true

dotnet test ClinicBot.sln --logger "console;verbosity=minimal" "$@"
