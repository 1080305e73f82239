#!/usr/bin/env bash
# Packs VolumeMesh to a local folder feed, builds and runs both native samples, and checks what they return (issue 16):
#   C (hostfxr → [UnmanagedCallersOnly] exports): the shipped series and an in-memory sphere give closed meshes (the C
#     program checks every edge: two uses, opposite directions) with the CLI's triangle count for the same input and
#     options; a missing input and a bad in-memory volume come back as the CLI's exit codes with a message.
#   C#: restored from the feed alone (VolumeMesh.* mapped to it) in a clean folder, writes closed STL, 3MF and GLB.
# Usage: native-samples/run-samples.sh        (from anywhere; needs the .NET SDK, cmake and a C compiler)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "run-samples: FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "run-samples: ok: $*"; }
# The first top-level "triangles" of a report JSON.
json_triangles() { grep -m1 -o '"triangles": *[0-9]*' "$1" | grep -o '[0-9]*$'; }
value() { grep -m1 "^$2 " "$1" | cut -d' ' -f2; }

version=$(grep -m1 -o '<Version>[^<]*' Directory.Build.props | cut -d'>' -f2)
grep -q "Include=\"VolumeMesh\" Version=\"\[$version\]\"" native-samples/csharp/VolumeMesh.Sample.csproj \
  || fail "native-samples/csharp pins another version than Directory.Build.props' $version"

echo "== pack every packable src/ project to a local feed"
feed="$work/csharp/feed"
mkdir -p "$feed"
for project in src/*/*.csproj; do
  dotnet pack "$project" -c Release -o "$feed" -v q -nologo
done
ls "$feed"

echo "== build VolumeMesh.Native and the C sample (CMake)"
dotnet build native-samples/VolumeMesh.Native -c Release -v q -nologo
native="$repo/native-samples/VolumeMesh.Native/bin/Release/net10.0"
cmake -S native-samples/c -B "$work/c-build" -DCMAKE_BUILD_TYPE=Release > "$work/cmake.log" || { cat "$work/cmake.log"; exit 1; }
cmake --build "$work/c-build" > "$work/cmake-build.log" || { cat "$work/cmake-build.log"; exit 1; }
c="$work/c-build/volumemesh-c"
cli() { dotnet "$repo/src/VolumeMesh.Cli/bin/Release/net10.0/VolumeMesh.Cli.dll" "$@"; }

echo "== C sample: the shipped series to STL (options as JSON) against volumemesh mesh --json"
sample="$repo/samples/ge-head-tilt-jpegll"
if "$c" "$native" file "$sample" "$work/c-skull.stl" '{"preset":"bone","keep":"largest","fillHoles":true,"device":"cpu"}' > "$work/c-skull.out"; then
  cli mesh "$sample" -o "$work/cli-skull.stl" --preset bone --keep largest --fill-holes --device cpu --json > "$work/cli-skull.json" 2> "$work/cli-skull.err"
  c_tris=$(value "$work/c-skull.out" stl_triangles); lib_tris=$(json_triangles "$work/cli-skull.json")
  grep -q '^closed yes' "$work/c-skull.out" || fail "C sample: the series' mesh is not closed"
  [ "$c_tris" = "$lib_tris" ] && [ "$(json_triangles "$work/c-skull.out")" = "$lib_tris" ] \
    && pass "series: $c_tris triangles from C, $lib_tris from the CLI, closed" \
    || fail "series: C gave $c_tris triangles, the CLI $lib_tris"
else
  fail "C sample on the series exited $?: $(cat "$work/c-skull.out")"
fi

echo "== C sample: an in-memory sphere against volumemesh mesh --json of the same voxels (NRRD)"
if "$c" "$native" sphere 48 15 "$work/sphere.nrrd" > "$work/c-sphere.out"; then
  cli mesh "$work/sphere.nrrd" -o "$work/cli-sphere.stl" --iso 0 --device cpu --json > "$work/cli-sphere.json" 2> "$work/cli-sphere.err"
  c_tris=$(value "$work/c-sphere.out" triangles); lib_tris=$(json_triangles "$work/cli-sphere.json")
  grep -q '^closed yes' "$work/c-sphere.out" || fail "C sample: the sphere's mesh is not closed"
  [ "$c_tris" = "$lib_tris" ] \
    && pass "sphere: $c_tris triangles from C, $lib_tris from the CLI, closed, volume $(value "$work/c-sphere.out" volume_mm3) of $(value "$work/c-sphere.out" expected_volume_mm3) mm3" \
    || fail "sphere: C gave $c_tris triangles, the CLI $lib_tris"
else
  fail "C sample on the sphere exited $?: $(cat "$work/c-sphere.out")"
fi

echo "== C sample: bad input comes back as a code and a message"
set +e
"$c" "$native" file "$work/absent.nrrd" "$work/x.stl" > /dev/null 2> "$work/bad.err"; code=$?
"$c" "$native" bad-volume > /dev/null 2> "$work/bad-volume.err"; code_volume=$?
set -e
[ "$code" = 3 ] && grep -q 'absent.nrrd' "$work/bad.err" && pass "missing input: code 3, $(cat "$work/bad.err")" \
  || fail "missing input: code $code, message '$(cat "$work/bad.err")'"
[ "$code_volume" = 2 ] && grep -q 'dimension below 1' "$work/bad-volume.err" && pass "bad volume: code 2, $(cat "$work/bad-volume.err")" \
  || fail "bad volume: code $code_volume, message '$(cat "$work/bad-volume.err")'"

echo "== C# sample: restore from the feed in a clean folder, mesh the series to STL, 3MF and GLB"
cp native-samples/csharp/*.cs native-samples/csharp/*.csproj native-samples/csharp/nuget.config \
   native-samples/csharp/Directory.Build.props native-samples/csharp/Directory.Build.targets \
   native-samples/csharp/Directory.Packages.props "$work/csharp/"
if (cd "$work/csharp" && dotnet run -c Release -- "$sample" out > run.log 2>&1); then
  # The restored VolumeMesh packages are the feed's files, byte for byte (NuGet records their SHA-512).
  for package in "$feed"/*.nupkg; do
    name=$(basename "$package" .nupkg); id=${name%."$version"}; lower=$(echo "$id" | tr '[:upper:]' '[:lower:]')
    restored="$work/csharp/packages/$lower/$version/$lower.$version.nupkg.sha512"
    [ -f "$restored" ] || continue
    [ "$(cat "$restored")" = "$(openssl dgst -sha512 -binary "$package" | base64 -w0)" ] \
      && pass "C#: $id $version restored from the local feed" || fail "C#: $id was restored from somewhere else"
  done
  [ -f "$work/csharp/packages/volumemesh/$version/volumemesh.$version.nupkg.sha512" ] || fail "C#: VolumeMesh was not restored into the sample's packages folder"
  for f in skull.stl skull.3mf skull.glb; do
    cli validate "$work/csharp/out/$f" > "$work/validate.log" 2>&1 && pass "C#: $f watertight (volumemesh validate)" \
      || fail "C#: $f: $(cat "$work/validate.log")"
  done
  grep -q '%' "$work/csharp/run.log" && pass "C#: progress printed ($(grep -c '%' "$work/csharp/run.log") lines)" || fail "C#: no progress printed"
else
  fail "C# sample: $(tail -20 "$work/csharp/run.log")"
fi

if [ "$failures" -gt 0 ]; then
  echo "run-samples: $failures check(s) failed" >&2
  exit 1
fi
echo "run-samples: all checks passed"
