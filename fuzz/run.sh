#!/usr/bin/env bash
# fuzz/run.sh TARGET SECONDS — coverage-guided fuzzing of one reader with AFL++ and SharpFuzz.
# Installs what is missing (Debian afl++, the SharpFuzz.CommandLine tool into fuzz/work/tools), publishes
# tests/VolumeMesh.Fuzz, instruments our assemblies (VolumeMesh, VolumeMesh.Dicom, JpegLibrary), runs afl-fuzz on
# fuzz/corpus/TARGET with fuzz/dict/<dict>.dict for SECONDS, and prints one line:
#   TARGET: N execs, E edges, C crashes, H hangs
# Exit status 1 when a crash was found (inputs under fuzz/work/out-TARGET/default/crashes), 2 on a usage/setup error.
# `VolumeMesh.Fuzz --list` (or fuzz/run.sh --list) names the targets.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${VM_FUZZ_WORK:-$root/fuzz/work}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Targets that need files of the repository (seg's CT series) find it here when VM_FUZZ_WORK is outside it.
export VM_FUZZ_REPO=$root

if [ "${1:-}" = "--list" ]; then
  exec dotnet run -c Release --project "$root/tests/VolumeMesh.Fuzz" -- --list
fi
if [ $# -ne 2 ] || ! [[ $2 =~ ^[0-9]+$ ]]; then
  echo "usage: fuzz/run.sh TARGET SECONDS   (fuzz/run.sh --list names the targets)" >&2
  exit 2
fi
target=$1 seconds=$2
corpus=$root/fuzz/corpus/$target
if [ ! -d "$corpus" ]; then
  echo "error: no seed corpus $corpus (is '$target' a target? fuzz/run.sh --list)" >&2
  exit 2
fi
mkdir -p "$work"

# AFL++ from Debian.
if ! command -v afl-fuzz >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    apt-get update -qq >&2 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends afl++ >&2
  else
    echo "error: afl-fuzz is missing; install Debian's afl++ (apt-get install afl++)" >&2
    exit 2
  fi
fi

# The instrumenter, pinned, in a local tool path (not a global tool).
sharpfuzz=$work/tools/sharpfuzz
if [ ! -x "$sharpfuzz" ]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$work/tools" >&2
fi

# Publish and instrument once per source state (a folder named by a hash of the sources), shared by every target;
# concurrent runs wait on the lock, and a running campaign's folder is never rewritten.
stamp=$(cd "$root" && find src tests/VolumeMesh.Fuzz Directory.Build.props Directory.Packages.props \
  \( -name bin -o -name obj \) -prune -o -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' \) -print \
  | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-12)
bin=$work/bin-$stamp
(
  flock 9
  if [ ! -f "$bin/.instrumented" ]; then
    rm -rf "$bin.tmp"
    dotnet publish "$root/tests/VolumeMesh.Fuzz" -c Release -o "$bin.tmp" --nologo -v quiet >&2
    # Ours only: the harness, SharpFuzz and System.* stay uninstrumented; JpegLibrary is the JPEG decoder we ship.
    for dll in VolumeMesh.dll VolumeMesh.Dicom.dll JpegLibrary.dll; do
      "$sharpfuzz" "$bin.tmp/$dll" >&2
    done
    touch "$bin.tmp/.instrumented"
    mv "$bin.tmp" "$bin"
  fi
) 9>"$work/publish.lock"

dict=$(dotnet "$bin/VolumeMesh.Fuzz.dll" --dict "$target")
dict_args=()
if [ -f "$root/fuzz/dict/$dict.dict" ]; then
  dict_args=(-x "$root/fuzz/dict/$dict.dict")
fi

out=$work/out-$target
rm -rf "$out"
# AFL in a container: no CPU governor, no core_pattern, no affinity; .NET needs no memory limit (-m none) and a
# longer fork-server start. -t 1000: each input must finish in under a second (the issue's limit).
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 \
  AFL_NO_UI=1 AFL_FORKSRV_INIT_TMOUT=120000 AFL_QUIET=1
log=$work/afl-$target.log
status=0
timeout -k 30 $((seconds + 300)) afl-fuzz -i "$corpus" -o "$out" -t 1000 -m none "${dict_args[@]}" -V "$seconds" \
  -- dotnet "$bin/VolumeMesh.Fuzz.dll" "$target" >"$log" 2>&1 || status=$?
stats=$out/default/fuzzer_stats
if [ ! -f "$stats" ]; then
  tail -n 30 "$log" >&2
  echo "error: afl-fuzz did not start for $target (exit $status); log in $log" >&2
  exit 2
fi
stat() { awk -F: -v k="$1" '{ gsub(/ /, "", $1); gsub(/ /, "", $2) } $1 == k { print $2 }' "$stats"; }
execs=$(stat execs_done)
edges=$(stat edges_found)
# Saved inputs are counted directly (fuzzer_stats is written periodically and may lag the last seconds).
crashes=$(find "$out/default/crashes" -name 'id:*' 2>/dev/null | wc -l)
hangs=$(find "$out/default/hangs" -name 'id:*' 2>/dev/null | wc -l)
echo "$target: ${execs:-0} execs, ${edges:-0} edges, $crashes crashes, $hangs hangs"
if [ "$status" != 0 ]; then
  grep -a -E 'PROGRAM ABORT|Location|\[-\]' "$log" | tail -n 5 >&2 || true
  echo "error: afl-fuzz stopped early for $target (exit $status); log in $log" >&2
  exit 2
fi
[ "$crashes" = 0 ]
