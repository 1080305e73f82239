using System.Numerics;
using VolumeMesh.Meshing;

namespace VolumeMesh.Tests.Support;

internal static class TestMeshes
{
    /// <summary>A closed octahedron, counter-clockwise from outside, centred at <paramref name="centre"/>; vertices in first-use order.</summary>
    public static Mesh Octahedron(Vector3 centre, float radius)
    {
        Vector3[] v =
        [
            centre + new Vector3(radius, 0, 0), centre + new Vector3(0, radius, 0), centre + new Vector3(0, 0, radius),
            centre + new Vector3(-radius, 0, 0), centre + new Vector3(0, -radius, 0), centre + new Vector3(0, 0, -radius),
        ];
        int[] t =
        [
            0, 1, 2, 1, 3, 2, 3, 4, 2, 4, 0, 2,
            1, 0, 5, 3, 1, 5, 4, 3, 5, 0, 4, 5,
        ];
        return new Mesh(v, t);
    }

    /// <summary>Random triangles over a pool of random positions, renumbered so vertices appear in first-use order.</summary>
    public static Mesh RandomSoup(int seed, int vertexCount, int triangleCount)
    {
        var random = new Random(seed);
        var pool = new Vector3[vertexCount];
        for (int i = 0; i < pool.Length; i++)
        {
            pool[i] = new Vector3(
                (float)((random.NextDouble() - 0.5) * 400), (float)((random.NextDouble() - 0.5) * 400), (float)(random.NextDouble() * 1e-3));
        }

        var map = new Dictionary<int, int>();
        var vertices = new List<Vector3>();
        var indices = new int[triangleCount * 3];
        for (int i = 0; i < indices.Length; i++)
        {
            int source = random.Next(vertexCount);
            if (i % 3 == 2)
            {
                // Keep corners of a triangle distinct so no corner repeats inside one triangle.
                while (source == Original(indices[i - 1]) || source == Original(indices[i - 2]))
                {
                    source = random.Next(vertexCount);
                }
            }
            else if (i % 3 == 1)
            {
                while (source == Original(indices[i - 1]))
                {
                    source = random.Next(vertexCount);
                }
            }

            if (!map.TryGetValue(source, out int index))
            {
                index = vertices.Count;
                map.Add(source, index);
                vertices.Add(pool[source]);
            }

            indices[i] = index;
        }

        return new Mesh([.. vertices], indices);

        int Original(int index)
        {
            foreach (KeyValuePair<int, int> pair in map)
            {
                if (pair.Value == index)
                {
                    return pair.Key;
                }
            }

            return -1;
        }
    }
}
