"""Peer decimation: Open3D's simplify_quadric_decimation (Debian python3-open3d) on an STL.

/usr/bin/python3 open3d_decimate.py IN.stl --reduction 0.9 [--repeat N] [--out OUT.stl]

Times the simplification call only (median of --repeat runs after one warm-up, as the other peers) and prints one
JSON line. The STL's corners are merged on exact coordinates first so the peer sees the indexed mesh that was written.
"""
import argparse
import json
import statistics
import time

import open3d as o3d


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mesh")
    p.add_argument("--reduction", type=float, default=0.9)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--out")
    a = p.parse_args()
    mesh = o3d.io.read_triangle_mesh(a.mesh)
    mesh.remove_duplicated_vertices()
    triangles_in = len(mesh.triangles)
    target = int(round((1.0 - a.reduction) * triangles_in))
    result = mesh.simplify_quadric_decimation(target_number_of_triangles=target)
    times = []
    for _ in range(a.repeat):
        start = time.perf_counter()
        result = mesh.simplify_quadric_decimation(target_number_of_triangles=target)
        times.append(time.perf_counter() - start)
    if a.out:
        result.compute_triangle_normals()
        o3d.io.write_triangle_mesh(a.out, result)
    print(json.dumps({"peer": "open3d-quadric " + o3d.__version__, "seconds": statistics.median(times),
                      "triangles_in": triangles_in, "triangles_out": len(result.triangles), "target": target}))


if __name__ == "__main__":
    main()
