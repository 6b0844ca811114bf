#!/usr/bin/env bash
# Starts the local Cosmos DB-compatible test server (@vercel/cosmosdb-server, via launch.js) on a free loopback port.
# Installs the package first when needed (npm ci from package-lock.json into node_modules/, which git ignores).
#
#   scripts/cosmos-server/start.sh [STATE_DIR]
#
# STATE_DIR (default scripts/cosmos-server/.run) receives:
#   endpoint  the server's endpoint, e.g. https://127.0.0.1:43121/
#   pid       the server's process id (stop.sh reads it)
#   server.log
# Prints the endpoint on stdout. Exits non-zero, saying why, when Node/npm are missing or the server does not come up.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
state="${1:-$here/.run}"
mkdir -p "$state"
state="$(cd "$state" && pwd)"

for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "cosmos-server: '$tool' is not installed; the Cosmos tests need Node.js and npm (apt-get install nodejs npm)." >&2
    exit 1
  fi
done

if [ -f "$state/pid" ] && kill -0 "$(cat "$state/pid")" 2>/dev/null && [ -s "$state/endpoint" ]; then
  cat "$state/endpoint"   # already running
  exit 0
fi
rm -f "$state/pid" "$state/endpoint"

if [ ! -f "$here/node_modules/@vercel/cosmosdb-server/package.json" ]; then
  echo "cosmos-server: installing @vercel/cosmosdb-server (npm ci)..." >&2
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

nohup node "$here/launch.js" --endpoint-file "$state/endpoint" >"$state/server.log" 2>&1 </dev/null &
echo $! >"$state/pid"

for _ in $(seq 1 150); do
  if [ -s "$state/endpoint" ]; then
    cat "$state/endpoint"
    exit 0
  fi
  if ! kill -0 "$(cat "$state/pid")" 2>/dev/null; then
    echo "cosmos-server: the server exited during start-up:" >&2
    cat "$state/server.log" >&2
    rm -f "$state/pid"
    exit 1
  fi
  sleep 0.2
done
echo "cosmos-server: the server did not report an endpoint within 30 s; log:" >&2
cat "$state/server.log" >&2
"$here/stop.sh" "$state" || true
exit 1
