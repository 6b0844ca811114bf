#!/usr/bin/env bash
# Before/after on this noisy shared host: runs one load script against two builds of the bot, alternating run by run
# (A, B, A, B...), and prints one line per run (turns/s, p50/p95/p99, CPU and allocation per turn, RSS, warm-up, host steal).
#
#   scripts/bench-ab.sh BOT_DLL_A BOT_DLL_B [PAIRS=4] [SCRIPT=dialog] [extra bench options...]
#
# Build the "before" commit elsewhere first, e.g.:
#   git worktree add -f ../wt-before <commit> --detach && dotnet build -c Release ../wt-before/bot/ClinicBot.Bot.csproj
#   scripts/bench-ab.sh ../wt-before/bot/bin/Release/net10.0/ClinicBot.Bot.dll bot/bin/Release/net10.0/ClinicBot.Bot.dll 6
# Compare the pairs, not single runs: a build's figure drifts ±15 % from hour to hour here (docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -lt 2 ]]; then
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi

a=$(realpath "$1")
b=$(realpath "$2")
pairs=${3:-4}
script=${4:-dialog}
shift $(( $# < 4 ? $# : 4 ))
for dll in "$a" "$b"; do
    [[ -f "$dll" ]] || { echo "No bot build at $dll" >&2; exit 2; }
done

dotnet build -c Release bench/ClinicBot.Bench.csproj -v q --nologo >/dev/null
out=$(mktemp -d)
echo "| run | build | turns/s | p50 ms | p95 ms | p99 ms | bot CPU ms/turn | bot alloc KB/turn | bot peak RSS MB | errors | unexpected | warm-up s | host steal % |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for i in $(seq 1 "$pairs"); do
    for build in A B; do
        dll=$a
        [[ $build == B ]] && dll=$b
        report="$out/$build-$i.md"
        dotnet bench/bin/Release/net10.0/ClinicBot.Bench.dll load --only "$script" --no-baseline --no-micro \
            --bot-dll "$dll" --report "$report" "$@" >"$out/$build-$i.log" 2>&1 || { cat "$out/$build-$i.log" >&2; exit 1; }
        # The report's row: | script | wiring | conversations | turns/s | ... ; keep the figures after the conversations.
        row=$(grep -m1 "^| $script | " "$report" | cut -d'|' -f5-)
        echo "| $i | $build |$row"
    done
done
rm -rf "$out"
