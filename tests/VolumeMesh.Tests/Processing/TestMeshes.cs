using System.Numerics;
using VolumeMesh.Meshing;

namespace VolumeMesh.Tests.Processing;

/// <summary>Closed and open test meshes built from analytic shapes, independent of the code under test.</summary>
internal static class TestMeshes
{
    /// <summary>A subdivided icosahedron with its vertices on a sphere.</summary>
    public static Mesh Icosphere(double radius, int subdivisions, Vector3 centre = default)
    {
        double t = (1 + Math.Sqrt(5)) / 2;
        var vertices = new List<Vector3>();
        var cache = new Dictionary<long, int>();
        int Add(double x, double y, double z)
        {
            double len = Math.Sqrt((x * x) + (y * y) + (z * z));
            vertices.Add(new Vector3((float)(x / len), (float)(y / len), (float)(z / len)));
            return vertices.Count - 1;
        }

        Add(-1, t, 0); Add(1, t, 0); Add(-1, -t, 0); Add(1, -t, 0);
        Add(0, -1, t); Add(0, 1, t); Add(0, -1, -t); Add(0, 1, -t);
        Add(t, 0, -1); Add(t, 0, 1); Add(-t, 0, -1); Add(-t, 0, 1);
        var faces = new List<int>
        {
            0, 11, 5, 0, 5, 1, 0, 1, 7, 0, 7, 10, 0, 10, 11, 1, 5, 9, 5, 11, 4, 11, 10, 2, 10, 7, 6, 7, 1, 8,
            3, 9, 4, 3, 4, 2, 3, 2, 6, 3, 6, 8, 3, 8, 9, 4, 9, 5, 2, 4, 11, 6, 2, 10, 8, 6, 7, 9, 8, 1,
        };
        for (int s = 0; s < subdivisions; s++)
        {
            cache.Clear();
            var next = new List<int>(faces.Count * 4);
            int Mid(int a, int b)
            {
                long key = a < b ? ((long)a << 32) | (uint)b : ((long)b << 32) | (uint)a;
                if (!cache.TryGetValue(key, out int m))
                {
                    Vector3 p = (vertices[a] + vertices[b]) / 2;
                    m = Add(p.X, p.Y, p.Z);
                    cache[key] = m;
                }

                return m;
            }

            for (int f = 0; f < faces.Count; f += 3)
            {
                int a = faces[f], b = faces[f + 1], c = faces[f + 2];
                int ab = Mid(a, b), bc = Mid(b, c), ca = Mid(c, a);
                next.AddRange([a, ab, ca, b, bc, ab, c, ca, bc, ab, bc, ca]);
            }

            faces = next;
        }

        var positions = vertices.Select(v => new Vector3(
            (float)(v.X * radius) + centre.X, (float)(v.Y * radius) + centre.Y, (float)(v.Z * radius) + centre.Z)).ToArray();
        return new Mesh(positions, faces.ToArray());
    }

    /// <summary>
    /// The boundary faces of the voxels (edge <paramref name="voxelMm"/>) whose centres lie inside a sphere, quads split
    /// into two triangles, vertices welded on the lattice: the staircase surface a thresholded CT gives.
    /// </summary>
    public static Mesh VoxelSphere(double radiusMm, double voxelMm, Vector3 centre = default)
    {
        int n = (int)Math.Ceiling(radiusMm / voxelMm) + 2;
        bool Inside(int i, int j, int k)
        {
            double x = (i + 0.5) * voxelMm, y = (j + 0.5) * voxelMm, z = (k + 0.5) * voxelMm;
            return (x * x) + (y * y) + (z * z) <= radiusMm * radiusMm;
        }

        var index = new Dictionary<(int, int, int), int>();
        var vertices = new List<Vector3>();
        var faces = new List<int>();
        int Vertex(int i, int j, int k)
        {
            if (!index.TryGetValue((i, j, k), out int v))
            {
                v = vertices.Count;
                index[(i, j, k)] = v;
                vertices.Add(new Vector3((float)(i * voxelMm) + centre.X, (float)(j * voxelMm) + centre.Y, (float)(k * voxelMm) + centre.Z));
            }

            return v;
        }

        Span<int> cell = stackalloc int[3];
        Span<int> corner = stackalloc int[3];
        for (int i = -n; i < n; i++)
        {
            for (int j = -n; j < n; j++)
            {
                for (int k = -n; k < n; k++)
                {
                    if (!Inside(i, j, k))
                    {
                        continue;
                    }

                    for (int axis = 0; axis < 3; axis++)
                    {
                        for (int side = 0; side < 2; side++)
                        {
                            cell[0] = i; cell[1] = j; cell[2] = k;
                            cell[axis] += side == 0 ? -1 : 1;
                            if (Inside(cell[0], cell[1], cell[2]))
                            {
                                continue;
                            }

                            // Face corners in the (u, v) plane with e_u × e_v = e_axis, counter-clockwise seen from outside.
                            int u = (axis + 1) % 3, w = (axis + 2) % 3;
                            int[] quad = new int[4];
                            int[][] uv = [[0, 0], [1, 0], [1, 1], [0, 1]];
                            for (int q = 0; q < 4; q++)
                            {
                                corner[0] = i; corner[1] = j; corner[2] = k;
                                corner[axis] += side;
                                corner[u] += uv[q][0];
                                corner[w] += uv[q][1];
                                quad[q] = Vertex(corner[0], corner[1], corner[2]);
                            }

                            if (side == 0)
                            {
                                Array.Reverse(quad);
                            }

                            faces.AddRange([quad[0], quad[1], quad[2], quad[0], quad[2], quad[3]]);
                        }
                    }
                }
            }
        }

        return new Mesh(vertices.ToArray(), faces.ToArray());
    }

    /// <summary>A torus around the z axis (genus 1), counter-clockwise seen from outside.</summary>
    public static Mesh Torus(double major, double minor, int segments, int rings)
    {
        var vertices = new Vector3[segments * rings];
        for (int i = 0; i < segments; i++)
        {
            double a = 2 * Math.PI * i / segments;
            for (int j = 0; j < rings; j++)
            {
                double b = 2 * Math.PI * j / rings;
                double r = major + (minor * Math.Cos(b));
                vertices[(i * rings) + j] = new Vector3((float)(r * Math.Cos(a)), (float)(r * Math.Sin(a)), (float)(minor * Math.Sin(b)));
            }
        }

        var faces = new List<int>();
        for (int i = 0; i < segments; i++)
        {
            for (int j = 0; j < rings; j++)
            {
                int a = (i * rings) + j, b = (((i + 1) % segments) * rings) + j;
                int c = (((i + 1) % segments) * rings) + ((j + 1) % rings), d = (i * rings) + ((j + 1) % rings);
                faces.AddRange([a, b, c, a, c, d]);
            }
        }

        return new Mesh(vertices, faces.ToArray());
    }

    /// <summary>The concatenation of two meshes (vertices of the second renumbered).</summary>
    public static Mesh Concat(Mesh first, Mesh second)
    {
        var vertices = first.Vertices.Concat(second.Vertices).ToArray();
        var faces = first.Indices.Concat(second.Indices.Select(i => i + first.VertexCount)).ToArray();
        return new Mesh(vertices, faces);
    }

    /// <summary>The triangles of a mesh whose centroid has z above <paramref name="z"/>, unreferenced vertices dropped.</summary>
    public static Mesh CutAbove(Mesh mesh, float z)
    {
        var remap = new Dictionary<int, int>();
        var vertices = new List<Vector3>();
        var faces = new List<int>();
        for (int t = 0; t < mesh.TriangleCount; t++)
        {
            var (a, b, c) = mesh.Triangle(t);
            if ((mesh.Vertices[a].Z + mesh.Vertices[b].Z + mesh.Vertices[c].Z) / 3 <= z)
            {
                continue;
            }

            foreach (int v in new[] { a, b, c })
            {
                if (!remap.TryGetValue(v, out int m))
                {
                    m = vertices.Count;
                    remap[v] = m;
                    vertices.Add(mesh.Vertices[v]);
                }

                faces.Add(m);
            }
        }

        return new Mesh(vertices.ToArray(), faces.ToArray());
    }

    /// <summary>Exact volume of a ball.</summary>
    public static double BallVolume(double radius) => 4.0 / 3.0 * Math.PI * radius * radius * radius;
}
