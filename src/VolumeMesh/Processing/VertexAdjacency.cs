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
        var count = new int[n + 1];
        foreach (int v in idx)
        {
            count[v + 1] += 2;
        }

        for (int v = 0; v < n; v++)
        {
            count[v + 1] += count[v];
        }

        // Both directions of every triangle edge: a neighbour appears once per triangle that shares the edge.
        var raw = new int[count[n]];
        var fill = new int[n];
        for (int t = 0; t < idx.Length; t += 3)
        {
            for (int e = 0; e < 3; e++)
            {
                int a = idx[t + e], b = idx[t + ((e + 1) % 3)];
                raw[count[a] + fill[a]++] = b;
                raw[count[b] + fill[b]++] = a;
            }
        }

        var unique = new int[n];
        var boundary = new bool[n];
        Parallel.For(0, (n + 4095) / 4096, chunk =>
        {
            int end = Math.Min(n, (chunk + 1) * 4096);
            for (int v = chunk * 4096; v < end; v++)
            {
                Span<int> row = raw.AsSpan(count[v], count[v + 1] - count[v]);
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
            Array.Copy(raw, count[v], neighbours, start[v], unique[v]);
        }

        return new VertexAdjacency(start, neighbours, boundary);
    }
}
