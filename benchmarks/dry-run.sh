#!/usr/bin/env bash
# benchmarks/dry-run.sh — runs every BenchmarkDotNet benchmark once, in process, on tiny inputs, so the benchmarks
# cannot rot (CI runs it after the tests). The timings of this run mean nothing; it fails when a benchmark throws, fails
# validation, or measures nothing. Usage: benchmarks/dry-run.sh [extra BenchmarkDotNet arguments]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export VOLUMEMESH_BENCH_SIZE=tiny DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
artifacts=$(mktemp -d)
trap 'rm -rf "$artifacts"' EXIT
dotnet build benchmarks/VolumeMesh.Benchmarks -c Release -v q -nologo
status=0
dotnet benchmarks/VolumeMesh.Benchmarks/bin/Release/net10.0/VolumeMesh.Benchmarks.dll \
  --filter '*' --job Dry --inProcess --artifacts "$artifacts" "$@" >"$artifacts/log.txt" 2>&1 || status=$?
# The summary table and every failure line; the whole log only when the run failed.
grep -E '^\| |^benchmark' "$artifacts/log.txt" || true
if [ "$status" != 0 ]; then
  tail -n 80 "$artifacts/log.txt"
fi
exit "$status"
