#!/usr/bin/env bash
# Builds and lints the Azure templates in deploymentTemplates/ with a pinned bicep CLI.
# The CLI comes from the NuGet package Azure.Bicep.CommandLine.linux-x64 (version pinned in
# deploymentTemplates/tools/BicepCli.csproj): `dotnet restore` of that download-only project puts it in
# the NuGet package cache, at <global-packages>/azure.bicep.commandline.linux-x64/<version>/tools/bicep.
# Fails on any error and on any warning (deploymentTemplates/bicepconfig.json makes linter findings errors).
# Usage: scripts/bicep.sh            build + lint deploymentTemplates/main.bicep
#        scripts/bicep.sh --path     print the path of the bicep CLI only (after restoring it)
set -euo pipefail
cd "$(dirname "$0")/.."

TOOLS_PROJECT=deploymentTemplates/tools/BicepCli.csproj
TEMPLATE=deploymentTemplates/main.bicep
PACKAGE=azure.bicep.commandline.linux-x64

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *) echo "bicep.sh: this script fetches the linux-x64 bicep CLI; this machine is $(uname -s)-$(uname -m)" >&2; exit 2 ;;
esac

version=$(sed -n 's/.*Include="Azure.Bicep.CommandLine.linux-x64" Version="\[\([^]]*\)\]".*/\1/p' "$TOOLS_PROJECT")
if [ -z "$version" ]; then
  echo "bicep.sh: no pinned Azure.Bicep.CommandLine.linux-x64 version found in $TOOLS_PROJECT" >&2
  exit 2
fi

packages_root=${NUGET_PACKAGES:-$(dotnet nuget locals global-packages --list --force-english-output | sed -n 's/^global-packages: //p')}
packages_root=${packages_root%/}
bicep="$packages_root/$PACKAGE/$version/tools/bicep"

if [ ! -x "$bicep" ]; then
  dotnet restore "$TOOLS_PROJECT" --verbosity quiet --nologo >&2
  [ -f "$bicep" ] || { echo "bicep.sh: restore did not produce $bicep" >&2; exit 2; }
  chmod u+x "$bicep" 2>/dev/null || true
fi

if [ "${1:-}" = "--path" ]; then
  echo "$bicep"
  exit 0
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1
"$bicep" --version

status=0
# run LABEL COMMAND...: prints the command's diagnostics (stderr; stdout too unless it is the compiled
# template) and records a failure on a non-zero exit or any warning/error line.
run() {
  local label=$1; shift
  local out rc=0
  if [ "$label" = "bicep build" ]; then
    out=$("$@" 2>&1 >/dev/null) || rc=$?
  else
    out=$("$@" 2>&1) || rc=$?
  fi
  if [ -n "$out" ]; then printf '%s\n' "$out"; fi
  if [ "$rc" -ne 0 ]; then
    echo "bicep.sh: $label failed (exit $rc)" >&2; status=1
  elif printf '%s\n' "$out" | grep -Eq ': (Warning|Error) '; then
    echo "bicep.sh: $label reported warnings" >&2; status=1
  fi
}

run "bicep build" "$bicep" build "$TEMPLATE" --stdout
# Every .bicep file, not just main.bicep and what it references: a module nobody uses yet is linted too.
run "bicep lint" "$bicep" lint --pattern 'deploymentTemplates/**/*.bicep'

if [ "$status" -eq 0 ]; then
  echo "bicep.sh: build and lint passed (bicep $version)"
fi
exit "$status"
