#!/usr/bin/env bash
# Stops the server that start.sh started with the same STATE_DIR (default scripts/cosmos-server/.run).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
state="${1:-$here/.run}"
[ -f "$state/pid" ] || exit 0
pid="$(cat "$state/pid")"
if kill -0 "$pid" 2>/dev/null; then
  kill "$pid"
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
fi
rm -f "$state/pid" "$state/endpoint"
