#!/bin/bash
# Marching cubes, ours against VTK's vtkFlyingEdges3D, interleaved on the same volumes (results: marching-cubes.md).
#   benchmarks/results/marching-cubes-bench.sh ROUNDS [OLD_BENCHMARKS_BINARY]
# Volumes: /tmp/mc/gyroid.nrrd and /tmp/mc/ct.nrrd from `volumemesh phantom --kind gyroid --size 256 --raw` and
# `--kind ct --size 400 --raw`; the Philips series from ../shared/data (skipped when absent). With a second argument
# (a VolumeMesh.Benchmarks built from another commit) that build is timed too, before ours, in every round.
cd "$(dirname "$0")/../.."
B=$(ls -d benchmarks/VolumeMesh.Benchmarks/bin/Release/*/)VolumeMesh.Benchmarks
OLD=$2
PH=../shared/data/dicom/philips-phantom/S21570/S2030
q() { python3 -c 'import json,sys; d=json.load(sys.stdin); print("median_ms %.1f min_ms %.1f cpu_ms %.1f triangles %d" % (d["seconds"]*1e3, d["min_seconds"]*1e3, d["cpu_seconds"]*1e3, d["triangles"]))'; }
for i in $(seq 1 "${1:-3}"); do
  for v in "gyroid|/tmp/mc/gyroid.nrrd|--iso 0|0" "ct|/tmp/mc/ct.nrrd|--threshold 226:3071|226" "philips|$PH|--iso 300|300"; do
    IFS='|' read -r name path opt iso <<<"$v"
    [ -e "$path" ] || { echo "$name: $path absent, skipped"; continue; }
    [ -n "$OLD" ] && echo "$name old $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg) $($OLD stage mc "$path" $opt --repeat 15 | q)"
    echo "$name ours $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg) $($B stage mc "$path" $opt --repeat 15 | q)"
    echo "$name vtk $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg) $(/usr/bin/python3 benchmarks/results/flyingedges_timed.py "$path" "$iso" 15 | q)"
  done
done
