#!/usr/bin/env bash
# Runs every ClinicBot test. On a fresh machine it first installs what the tests need:
# Chromium for the browser tests (Debian package; Playwright cannot download browsers here).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Chromium for the browser tests..."
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

dotnet test ClinicBot.sln --logger "console;verbosity=minimal" "$@"
