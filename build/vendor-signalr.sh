#!/usr/bin/env bash
# Reproduces bot/wwwroot/staff/lib/signalr.min.js: the browser build of the SignalR JavaScript client, served by the
# bot itself (the staff console's CSP allows scripts from 'self' only: no CDN). npm checks the tarball's integrity
# against the registry; the SHA-256 below pins the exact file we ship. To upgrade: change VERSION, run, update SHA256.
set -euo pipefail
VERSION=10.0.11
SHA256=97e9b97e642a72e5a470917147a2bf79f86cad829a5c6786adb10614d248bb95
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@microsoft/signalr@${VERSION}" >/dev/null && tar xzf "microsoft-signalr-${VERSION}.tgz")
echo "${SHA256}  ${work}/package/dist/browser/signalr.min.js" | sha256sum --check --quiet
mkdir -p "$root/bot/wwwroot/staff/lib"
cp "$work/package/dist/browser/signalr.min.js" "$root/bot/wwwroot/staff/lib/signalr.min.js"
echo "@microsoft/signalr ${VERSION} browser build -> bot/wwwroot/staff/lib/signalr.min.js"
