using System.Numerics;
using VolumeMesh.Geometry;
using VolumeMesh.Meshing;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Meshing;

/// <summary>
/// A deliberately simple per-cube marching cubes used as an oracle: it visits every cell of the padded lattice,
/// reads its eight corners one by one, and numbers vertices through a dictionary keyed by lattice edge. It shares
/// only the case table and the interpolation formula of the contract with the engine under test.
/// </summary>
internal static class ReferenceMarchingCubes
{
    public static (Vector3[] Vertices, int[] Indices) FromIso(Volume<float> volume, double iso)
    {
        int nx = volume.SizeX, ny = volume.SizeY, nz = volume.SizeZ;
        bool In(int x, int y, int z) => x >= 0 && y >= 0 && z >= 0 && x < nx && y < ny && z < nz;
        bool Inside(int x, int y, int z) => In(x, y, z) && volume[x, y, z] >= (float)iso;

        var ids = new Dictionary<(int, int, int, int), int>();
        var vertices = new List<Vector3>();
        var indices = new List<int>();
        bool flip = !volume.Geometry.IsRightHanded;
        for (int z = -1; z < nz; z++)
        {
            for (int y = -1; y < ny; y++)
            {
                for (int x = -1; x < nx; x++)
                {
                    int cube = 0;
                    for (int c = 0; c < 8; c++)
                    {
                        if (Inside(x + (c & 1), y + ((c >> 1) & 1), z + (c >> 2)))
                        {
                            cube |= 1 << c;
                        }
                    }

                    for (int e = MarchingCubesTables.CaseOffsets[cube]; e < MarchingCubesTables.CaseOffsets[cube + 1]; e += 3)
                    {
                        int a = Vertex(MarchingCubesTables.TriangleEdges[e]);
                        int b = Vertex(MarchingCubesTables.TriangleEdges[e + 1]);
                        int c = Vertex(MarchingCubesTables.TriangleEdges[e + 2]);
                        indices.Add(a);
                        indices.Add(flip ? c : b);
                        indices.Add(flip ? b : c);
                    }

                    int Vertex(int edge)
                    {
                        int corner = MarchingCubesTables.EdgeStartCorner[edge];
                        int axis = MarchingCubesTables.EdgeAxis[edge];
                        int x0 = x + (corner & 1), y0 = y + ((corner >> 1) & 1), z0 = z + (corner >> 2);
                        var key = (x0, y0, z0, axis);
                        if (ids.TryGetValue(key, out int id))
                        {
                            return id;
                        }

                        int x1 = x0 + (axis == 0 ? 1 : 0), y1 = y0 + (axis == 1 ? 1 : 0), z1 = z0 + (axis == 2 ? 1 : 0);
                        bool startInside = Inside(x0, y0, z0);
                        Assert.NotEqual(startInside, Inside(x1, y1, z1));
                        double t = 1.0 / 256;
                        if (In(x0, y0, z0) && In(x1, y1, z1))
                        {
                            double vi = startInside ? volume[x0, y0, z0] : volume[x1, y1, z1];
                            double vo = startInside ? volume[x1, y1, z1] : volume[x0, y0, z0];
                            t = Math.Min(Math.Max((iso - vi) / (vo - vi), 1.0 / 256), 1 - (1.0 / 256));
                        }

                        double along = startInside ? t : 1 - t;
                        Vector3D p = volume.Geometry.IndexToPatient(
                            x0 + (axis == 0 ? along : 0), y0 + (axis == 1 ? along : 0), z0 + (axis == 2 ? along : 0));
                        vertices.Add(new Vector3((float)p.X, (float)p.Y, (float)p.Z));
                        ids.Add(key, vertices.Count - 1);
                        return vertices.Count - 1;
                    }
                }
            }
        }

        return (vertices.ToArray(), indices.ToArray());
    }

    /// <summary>Triangles as position triples, rotated so the smallest corner comes first (keeping orientation), sorted.</summary>
    public static List<(Vector3, Vector3, Vector3)> CanonicalTriangles(Vector3[] vertices, int[] indices)
    {
        var list = new List<(Vector3, Vector3, Vector3)>(indices.Length / 3);
        for (int t = 0; t < indices.Length; t += 3)
        {
            Vector3 a = vertices[indices[t]], b = vertices[indices[t + 1]], c = vertices[indices[t + 2]];
            if (Compare(b, a) < 0 && Compare(b, c) < 0)
            {
                (a, b, c) = (b, c, a);
            }
            else if (Compare(c, a) < 0 && Compare(c, b) < 0)
            {
                (a, b, c) = (c, a, b);
            }

            list.Add((a, b, c));
        }

        list.Sort((p, q) =>
        {
            int r = Compare(p.Item1, q.Item1);
            r = r != 0 ? r : Compare(p.Item2, q.Item2);
            return r != 0 ? r : Compare(p.Item3, q.Item3);
        });
        return list;
    }

    public static int Compare(Vector3 a, Vector3 b)
    {
        int r = a.X.CompareTo(b.X);
        r = r != 0 ? r : a.Y.CompareTo(b.Y);
        return r != 0 ? r : a.Z.CompareTo(b.Z);
    }
}
