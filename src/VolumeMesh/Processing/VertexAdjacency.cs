using VolumeMesh.Meshing;

namespace VolumeMesh.Processing;

/// <summary>Each vertex's distinct edge neighbours in compressed rows, and which vertices lie on an open edge.</summary>
internal sealed class VertexAdjacency
{
    private VertexAdjacency(int[] start, int[] neighbours, bool[] boundary)
    {
        Start = start;
        Neighbours = neighbours;
        Boundary = boundary;
    }

    /// <summary>Row starts: the neighbours of v are Neighbours[Start[v] .. Start[v + 1]).</summary>
    public int[] Start { get; }

    /// <summary>Neighbour indices, ascending within each row.</summary>
    public int[] Neighbours { get; }

    /// <summary>Whether a vertex has an edge used by one triangle only (or by more than two: non-manifold).</summary>
    public bool[] Boundary { get; }

    public static VertexAdjacency Build(Mesh mesh)
    {
        int n = mesh.VertexCount;
        int[] idx = mesh.Indices;

        // Both directions of every triangle edge at v are the corners after and before v in each triangle of its fan
        // (a neighbour appears once per triangle that shares the edge). A triangle with v at two corners is in the fan
        // twice; the corners after and before its first v, taken twice, are the same four as those of both.
        var fans = new TriangleFans(idx, n, growable: false);
        var raw = new int[2 * idx.Length];
        var unique = new int[n];
        var boundary = new bool[n];
        Parallel.For(0, (n + 4095) / 4096, chunk =>
        {
            int end = Math.Min(n, (chunk + 1) * 4096);
            for (int v = chunk * 4096; v < end; v++)
            {
                ReadOnlySpan<int> fan = fans.Fan(v);
                Span<int> row = raw.AsSpan(2 * fans.Start[v], 2 * fan.Length);
                for (int i = 0; i < fan.Length; i++)
                {
                    int t = fan[i];
                    int corner = fans.CornerOf(t, v);
                    row[2 * i] = idx[(3 * t) + ((corner + 1) % 3)];
                    row[(2 * i) + 1] = idx[(3 * t) + ((corner + 2) % 3)];
                }

                row.Sort();
                int kept = 0;
                for (int i = 0; i < row.Length;)
                {
                    int j = i + 1;
                    while (j < row.Length && row[j] == row[i])
                    {
                        j++;
                    }

                    if (j - i != 2 || row[i] == v)
                    {
                        boundary[v] = true;
                    }

                    if (row[i] != v)
                    {
                        row[kept++] = row[i];
                    }

                    i = j;
                }

                unique[v] = kept;
            }
        });

        var start = new int[n + 1];
        for (int v = 0; v < n; v++)
        {
            start[v + 1] = start[v] + unique[v];
        }

        var neighbours = new int[start[n]];
        for (int v = 0; v < n; v++)
        {
            Array.Copy(raw, 2 * fans.Start[v], neighbours, start[v], unique[v]);
        }

        return new VertexAdjacency(start, neighbours, boundary);
    }
}
