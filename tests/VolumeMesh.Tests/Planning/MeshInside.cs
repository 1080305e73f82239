using System.Numerics;
using VolumeMesh.Meshing;

namespace VolumeMesh.Tests.Planning;

/// <summary>Point-in-mesh by the generalised winding number (Jacobson et al. 2013): the sum of the solid angles of the
/// triangles over 4π, 1 inside a closed outward-oriented mesh and 0 outside. Brute force, for small test meshes.</summary>
internal static class MeshInside
{
    public static double WindingNumber(Mesh mesh, Vector3 p)
    {
        double total = 0;
        int[] idx = mesh.Indices;
        for (int t = 0; t < idx.Length; t += 3)
        {
            Vector3 a = mesh.Vertices[idx[t]] - p;
            Vector3 b = mesh.Vertices[idx[t + 1]] - p;
            Vector3 c = mesh.Vertices[idx[t + 2]] - p;
            double la = a.Length(), lb = b.Length(), lc = c.Length();
            double det = Vector3.Dot(a, Vector3.Cross(b, c));
            double div = (la * lb * lc) + (Vector3.Dot(a, b) * lc) + (Vector3.Dot(b, c) * la) + (Vector3.Dot(c, a) * lb);
            total += 2 * Math.Atan2(det, div);
        }

        return total / (4 * Math.PI);
    }

    /// <summary>Triangles of <paramref name="a"/> (centroid moved <paramref name="inset"/> mm into <paramref name="a"/>) that
    /// lie inside <paramref name="b"/>, among those within <paramref name="b"/>'s bounding box.</summary>
    public static (int Inside, int Checked) TrianglesInside(Mesh a, Mesh b, float inset)
    {
        var min = new Vector3(float.MaxValue);
        var max = new Vector3(float.MinValue);
        foreach (Vector3 v in b.Vertices)
        {
            min = Vector3.Min(min, v);
            max = Vector3.Max(max, v);
        }

        int inside = 0, checkedCount = 0;
        int[] idx = a.Indices;
        for (int t = 0; t < idx.Length; t += 3)
        {
            Vector3 p0 = a.Vertices[idx[t]], p1 = a.Vertices[idx[t + 1]], p2 = a.Vertices[idx[t + 2]];
            Vector3 n = Vector3.Cross(p1 - p0, p2 - p0);
            if (n.Length() == 0)
            {
                continue;
            }

            Vector3 q = ((p0 + p1 + p2) / 3) - (Vector3.Normalize(n) * inset);
            if (Vector3.Min(q, min) != min || Vector3.Max(q, max) != max)
            {
                continue;
            }

            checkedCount++;
            if (WindingNumber(b, q) > 0.5)
            {
                inside++;
            }
        }

        return (inside, checkedCount);
    }
}
