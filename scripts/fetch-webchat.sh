#!/usr/bin/env bash
# Fetches Microsoft's Bot Framework Web Chat bundle (MIT) for the demo page, without a full npm install.
#
# `npm install botframework-webchat` pulls ~500 MB of dependencies; the package already ships a
# self-contained browser bundle (dist/webchat.js, ~3.9 MB). This script packs the exact version from the
# npm registry into a temporary folder, takes only that file and the license, checks the bundle's SHA-256
# against the one recorded below, and writes them to bot/wwwroot/lib/webchat/ (gitignored).
#
# The bot's build runs this when the file is missing (see bot/ClinicBot.Bot.csproj), so
# `dotnet run --project bot` works on a fresh machine. To upgrade: change VERSION, run with
# WEBCHAT_UPDATE_SHA=1, review the printed hash and commit it here.
set -euo pipefail

VERSION="4.18.1"
EXPECTED_SHA256="0a68ad0a64fc04d621197da10c3eec0f843e16f7d03f6bcbed29b47517cf9bff"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target_dir="${1:-$repo_root/bot/wwwroot/lib/webchat}"

if ! command -v npm >/dev/null 2>&1; then
  echo "fetch-webchat: npm is required to fetch botframework-webchat@$VERSION (apt-get install -y npm, or install Node.js)." >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack "botframework-webchat@$VERSION" --silent >/dev/null)
tarball="$(ls "$work"/botframework-webchat-*.tgz)"
tar -xzf "$tarball" -C "$work" package/package.json package/dist/webchat.js package/dist/webchat.js.LICENSE.txt
grep -q '"license": "MIT"' "$work/package/package.json" \
  || { echo "fetch-webchat: botframework-webchat@$VERSION no longer declares the MIT license; review before use." >&2; exit 1; }

actual="$(sha256sum "$work/package/dist/webchat.js" | cut -d' ' -f1)"
if [[ "${WEBCHAT_UPDATE_SHA:-}" == "1" ]]; then
  echo "fetch-webchat: botframework-webchat@$VERSION dist/webchat.js sha256 $actual"
elif [[ "$actual" != "$EXPECTED_SHA256" ]]; then
  echo "fetch-webchat: SHA-256 mismatch for botframework-webchat@$VERSION dist/webchat.js: expected $EXPECTED_SHA256, got $actual" >&2
  exit 1
fi

mkdir -p "$target_dir"
# The package declares "license": "MIT" but ships no LICENSE file: keep the MIT text with Microsoft's
# copyright next to the bundle, plus the bundle's own notices for the third-party code it includes.
cp "$work/package/dist/webchat.js.LICENSE.txt" "$target_dir/webchat.js.LICENSE.txt"
  cat > "$target_dir/LICENSE.txt" <<'LICENSE'
MIT License

Copyright (c) Microsoft Corporation.

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
LICENSE
# Write atomically so a cancelled build never leaves a truncated bundle that Exists() would accept.
cp "$work/package/dist/webchat.js" "$target_dir/webchat.js.tmp"
mv "$target_dir/webchat.js.tmp" "$target_dir/webchat.js"
echo "$actual  webchat.js" > "$target_dir/webchat.js.sha256"
echo "fetch-webchat: botframework-webchat@$VERSION -> $target_dir/webchat.js"
