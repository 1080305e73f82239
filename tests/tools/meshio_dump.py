"""Reads a mesh file with meshio (an independent reader) and dumps its geometry for VolumeMesh.Tests.

Usage: /usr/bin/python3 meshio_dump.py MESH OUT
Writes OUT as: int32 point count, int32 triangle count, float32 x y z per point, int32 a b c per triangle
(little-endian), and prints {"points": N, "triangles": T, "cell_types": [...]} as JSON.
"""
import json
import sys

import meshio
import numpy as np

mesh = meshio.read(sys.argv[1])
points = np.asarray(mesh.points, dtype=np.float64)
triangles = [np.asarray(block.data) for block in mesh.cells if block.type == "triangle"]
triangles = np.concatenate(triangles) if triangles else np.zeros((0, 3), dtype=np.int64)
with open(sys.argv[2], "wb") as out:
    out.write(np.array([len(points), len(triangles)], dtype="<i4").tobytes())
    out.write(points.astype("<f4").tobytes())
    out.write(triangles.astype("<i4").tobytes())
print(json.dumps({"points": int(len(points)), "triangles": int(len(triangles)), "cell_types": [b.type for b in mesh.cells]}))
