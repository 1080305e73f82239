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

    /// <summary>The adjacency of a mesh, through its triangle fans, on <paramref name="parallel"/>'s threads (null: every core).</summary>
    public static VertexAdjacency Build(Mesh mesh, ParallelOptions? parallel = null) =>
        Build(new TriangleFans(mesh.Indices, mesh.VertexCount, growable: false), parallel);

    /// <summary>
    /// The adjacency from the triangle fans (as built, no triangle removed): each vertex's row gathers, per triangle of its
    /// fan, the triangle's other two corners, so a neighbour appears once per triangle that shares the edge; rows are then
    /// sorted and made distinct in parallel, on <paramref name="parallel"/>'s threads (null: every core).
    /// </summary>
    public static VertexAdjacency Build(TriangleFans fans, ParallelOptions? parallel = null)
    {
        parallel ??= new ParallelOptions();
        int n = fans.VertexCount;
        int[] idx = fans.Triangles;
        int[] fanStart = fans.Start;
        int[] fanCount = fans.Count;
        int[] refs = fans.Refs;

        // Row v of the raw neighbours is raw[2 · fan start .. 2 · (fan start + fan count)), two corners per fan entry.
        var raw = new int[2 * fans.Used];
        var unique = new int[n];
        var boundary = new bool[n];
        Parallel.For(0, (n + 4095) / 4096, parallel, chunk =>
        {
            int end = Math.Min(n, (chunk + 1) * 4096);
            for (int v = chunk * 4096; v < end; v++)
            {
                int first = fanStart[v], count = fanCount[v];
                Span<int> row = raw.AsSpan(2 * first, 2 * count);
                int w = 0;
                for (int f = first; f < first + count; f++)
                {
                    // The corners of the triangle but one occurrence of v: a triangle with v at two corners is in v's fan
                    // twice and gives v and the third corner each time, as its three edges do.
                    int t = 3 * refs[f];
                    int a = idx[t], b = idx[t + 1], c = idx[t + 2];
                    (row[w], row[w + 1]) = a == v ? (b, c) : b == v ? (c, a) : (a, b);
                    w += 2;
                }

                SortSmall(row);
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
            Array.Copy(raw, 2 * fanStart[v], neighbours, start[v], unique[v]);
        }

        return new VertexAdjacency(start, neighbours, boundary);
    }

    /// <summary>Sorts a row ascending: insertion sort for the usual dozen entries of a surface vertex, the library's sort beyond.</summary>
    private static void SortSmall(Span<int> row)
    {
        if (row.Length > 32)
        {
            row.Sort();
            return;
        }

        for (int i = 1; i < row.Length; i++)
        {
            int value = row[i];
            int j = i - 1;
            while (j >= 0 && row[j] > value)
            {
                row[j + 1] = row[j];
                j--;
            }

            row[j + 1] = value;
        }
    }
}
