#!/usr/bin/env bash
# Peak resident memory of the whole process for the print recipe (issue 10, item 4), beside the VTK pipeline on the same input.
#
#   benchmarks/memory/peak_rss.sh [SLICES] [WORK-FOLDER]
#
# Writes the int16 CT phantom 512×512×SLICES (default 1000: 0.52 GB of HU) as raw NRRD with the CLI, then runs, each under
# /usr/bin/time -v (its "Maximum resident set size"):
#   ours: volumemesh mesh CT.nrrd --keep largest --fill-holes --decimate 0.9 -o ours.stl
#   VTK : python3 ../shared/peers/pipeline_vtk.py CT.nrrd --threshold 226:3071 --keep-largest --decimate 0.9 -o vtk.stl
#         (numpy threshold → vtkFlyingEdges3D → largest region → vtkQuadricDecimation; it has no hole filling)
# and prints one Markdown table row per run: peak RSS in MB (10^6 bytes), and as a multiple of the HU volume's bytes.
# Memory is not timing: other load on the machine does not change the peak (but VTK's run takes minutes; no timeout here). Needs /usr/bin/time (Debian: time) and, for
# the VTK row, /usr/bin/python3 with python3-vtk9 and python3-numpy (skipped with a note when absent).
set -euo pipefail
slices=${1:-1000}
work=${2:-${TMPDIR:-/tmp}/volumemesh-peak-rss}
root=$(cd "$(dirname "$0")/../.." && pwd)
peers=${PEERS:-$root/../shared/peers}
mkdir -p "$work"
cli="$root/src/VolumeMesh.Cli/bin/Release/net10.0/VolumeMesh.Cli"
if [[ ! -x "$cli" ]]; then
  dotnet build "$root/src/VolumeMesh.Cli" -c Release -v q -nologo >&2
fi
[[ -x /usr/bin/time ]] || { echo "peak_rss.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }

ct="$work/ct-512x512x$slices.nrrd"
if [[ ! -f "$ct" ]]; then
  "$cli" phantom --kind ct --size "$slices" --raw -o "$ct" >&2
fi
hu_bytes=$((512 * 512 * slices * 2))

peak() { # name, label, command...: prints the table row
  local name=$1 label=$2; shift 2
  local log="$work/$name.time"
  /usr/bin/time -v "$@" > "$work/$name.out" 2> "$log" || { echo "peak_rss.sh: '$label' failed, see $log" >&2; tail -5 "$log" >&2; exit 1; }
  local kb
  kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  awk -v l="$label" -v kb="$kb" -v hu="$hu_bytes" 'BEGIN { printf "| %s | %.0f MB | %.2f× |\n", l, kb * 1024 / 1e6, kb * 1024 / hu }'
}

echo "input: CT phantom 512×512×$slices int16, $((hu_bytes / 1000000)) MB of HU ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores)"
echo "| run | peak RSS | × HU volume |"
echo "|---|---:|---:|"
peak ours "volumemesh mesh --keep largest --fill-holes --decimate 0.9" \
  "$cli" mesh "$ct" --keep largest --fill-holes --decimate 0.9 -o "$work/ours.stl"
if [[ -f "$peers/pipeline_vtk.py" ]] && /usr/bin/python3 -c "import vtk, numpy" 2>/dev/null; then
  peak vtk "VTK pipeline_vtk.py --keep-largest --decimate 0.9" \
    /usr/bin/python3 "$peers/pipeline_vtk.py" "$ct" --threshold 226:3071 --keep-largest --decimate 0.9 -o "$work/vtk.stl"
else
  echo "| VTK pipeline | skipped: $peers/pipeline_vtk.py or python3-vtk9/numpy absent | |"
fi
