"""Reads a mesh file with meshio (an independent reader) and dumps its geometry for VolumeMesh.Tests.

Usage: /usr/bin/python3 meshio_dump.py MESH OUT [REWRITE [ascii|binary]]
Writes OUT as: int32 point count, int32 triangle count, float32 x y z per point, int32 a b c per triangle
(little-endian); with REWRITE, also writes the mesh meshio read to REWRITE with meshio's own writer (format from
the extension; PLY in the encoding given, binary by default), so our readers can be checked on a file we did not write;
prints {"points": N, "triangles": T, "cell_types": [...]} as JSON.
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

if len(sys.argv) > 3:
    kwargs = {}
    if sys.argv[3].endswith(".ply"):
        kwargs["binary"] = not (len(sys.argv) > 4 and sys.argv[4] == "ascii")
    meshio.write(sys.argv[3], meshio.Mesh(points, [("triangle", triangles)]), **kwargs)
