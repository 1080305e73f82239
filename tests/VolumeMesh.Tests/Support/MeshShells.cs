using System.Numerics;
using VolumeMesh.Meshing;

namespace VolumeMesh.Tests.Support;

/// <summary>Splits a mesh into its vertex-connected shells (test helper; union-find over triangle corners).</summary>
internal static class MeshShells
{
    /// <summary>The shells, largest (by triangle count) first; each with its vertices renumbered in first-use order.</summary>
    public static List<Mesh> Split(Mesh mesh)
    {
        int[] parent = new int[mesh.VertexCount];
        for (int i = 0; i < parent.Length; i++)
        {
            parent[i] = i;
        }

        int[] idx = mesh.Indices;
        for (int i = 0; i < idx.Length; i += 3)
        {
            Union(parent, idx[i], idx[i + 1]);
            Union(parent, idx[i], idx[i + 2]);
        }

        var groups = new Dictionary<int, List<int>>();
        for (int t = 0; t < mesh.TriangleCount; t++)
        {
            int root = Find(parent, idx[3 * t]);
            if (!groups.TryGetValue(root, out List<int>? triangles))
            {
                groups[root] = triangles = [];
            }

            triangles.Add(t);
        }

        var shells = new List<Mesh>();
        foreach (List<int> triangles in groups.Values.OrderByDescending(g => g.Count))
        {
            var map = new Dictionary<int, int>();
            var vertices = new List<Vector3>();
            var indices = new int[triangles.Count * 3];
            for (int n = 0; n < triangles.Count; n++)
            {
                for (int c = 0; c < 3; c++)
                {
                    int v = idx[(3 * triangles[n]) + c];
                    if (!map.TryGetValue(v, out int mapped))
                    {
                        map[v] = mapped = vertices.Count;
                        vertices.Add(mesh.Vertices[v]);
                    }

                    indices[(3 * n) + c] = mapped;
                }
            }

            shells.Add(new Mesh([.. vertices], indices));
        }

        return shells;
    }

    private static int Find(int[] parent, int i)
    {
        while (parent[i] != i)
        {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }

        return i;
    }

    private static void Union(int[] parent, int a, int b)
    {
        int ra = Find(parent, a), rb = Find(parent, b);
        if (ra != rb)
        {
            parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
        }
    }
}
