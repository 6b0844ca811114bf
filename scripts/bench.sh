#!/usr/bin/env bash
# Runs the whole benchmark (load scripts against the bot as a separate process with the stock SDK wiring side by
# side, stored state, cost growth, built-in Direct Line, BenchmarkDotNet micro-benchmarks) and writes
# bench/results/latest.md. Extra arguments go to the bench, e.g. --duration 30, --conversations 64, --no-micro, --smoke.
# See docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release bot/ClinicBot.Bot.csproj -v q --nologo
exec dotnet run -c Release --project bench -- all --report bench/results/latest.md "$@"
