#!/usr/bin/env bash
# Soak: N concurrent conversations on /api/messages against the bot as a separate process for T seconds, sampling its
# resident memory every 10 s; fails on any error or if memory grows more than 10 % after the warm-up.
#   ./scripts/soak.sh                 # 10 minutes, 8 concurrent conversations
#   ./scripts/soak.sh 1800 16         # 30 minutes, 16 concurrent conversations
set -euo pipefail
cd "$(dirname "$0")/.."
export CLINICBOT_SOAK_SECONDS="${1:-600}"
export CLINICBOT_SOAK_CONVERSATIONS="${2:-8}"
dotnet build -c Release tests/ClinicBot.Tests
dotnet test -c Release --no-build tests/ClinicBot.Tests \
  --filter "FullyQualifiedName~ClinicBot.Tests.Reliability.SoakTests" \
  --logger "console;verbosity=detailed"
