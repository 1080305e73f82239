"""VTK vtkFlyingEdges3D timed as ../shared/peers/mc.py times it (same volume loading, same filter settings, one warm-up,
then the median of REPEAT runs), also printing the fastest run and the median process CPU time, for a busy machine.

usage: /usr/bin/python3 flyingedges_timed.py VOLUME(.nrrd|dicom folder) ISO [REPEAT]
"""
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "peers"))
import numpy as np  # noqa: E402
import vtk  # noqa: E402
from peerlib import load_volume, to_vtk_image  # noqa: E402

vol, origin, directions = load_volume(sys.argv[1])
iso = float(sys.argv[2])
repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 15
spacing = tuple(float(s) for s in np.linalg.norm(directions, axis=0))
image = to_vtk_image(vol, spacing)
f = vtk.vtkFlyingEdges3D()
f.SetInputData(image)
f.SetValue(0, iso)
f.ComputeNormalsOff()
f.ComputeGradientsOff()
f.ComputeScalarsOff()


def run():
    f.Modified()
    f.Update()
    return f.GetOutput()


run()
wall, cpu = [], []
for _ in range(repeat):
    t, p = time.perf_counter(), time.process_time()
    poly = run()
    wall.append(time.perf_counter() - t)
    cpu.append(time.process_time() - p)
print(json.dumps(dict(peer="flyingedges", dtype=str(vol.dtype), voxels=int(vol.size), seconds=statistics.median(wall),
                      min_seconds=min(wall), cpu_seconds=statistics.median(cpu), triangles=int(poly.GetNumberOfPolys()))))
