namespace VolumeMesh.Processing;

/// <summary>
/// Classifies each vertex by its fan for the decimator: dead (no triangle), boundary (one consistently oriented
/// half-disc), frozen (anything but one consistently oriented disc or half-disc, or more than
/// <see cref="VertexFlags.MaxValence"/> triangles), or interior; plus the caller's locks.
/// </summary>
internal static class VertexClassifier
{
    /// <summary>Writes the flags of every vertex (in parallel over chunks of vertices).</summary>
    /// <param name="fans">The fans, as built.</param>
    /// <param name="locked">Per-vertex locks, or null.</param>
    /// <param name="flags">One entry per vertex.</param>
    /// <param name="parallel">The threads to use.</param>
    public static void ClassifyAll(TriangleFans fans, IReadOnlyList<bool>? locked, byte[] flags, ParallelOptions parallel)
    {
        int vertexCount = fans.VertexCount;
        Parallel.For(0, (vertexCount + 4095) / 4096, parallel, chunk =>
        {
            Span<int> next = stackalloc int[VertexFlags.MaxValence];
            Span<int> prev = stackalloc int[VertexFlags.MaxValence];
            Span<int> succ = stackalloc int[VertexFlags.MaxValence];
            int end = Math.Min(vertexCount, (chunk + 1) * 4096);
            for (int v = chunk * 4096; v < end; v++)
            {
                flags[v] = Classify(fans, v, next, prev, succ);
                if (locked is not null && locked[v])
                {
                    flags[v] |= VertexFlags.Locked;
                }
            }
        });
    }

    /// <summary>The flags of v from its fan (next, prev and succ are scratch of <see cref="VertexFlags.MaxValence"/> entries).</summary>
    private static byte Classify(TriangleFans fans, int v, Span<int> next, Span<int> prev, Span<int> succ)
    {
        int deg = fans.Count[v];
        if (deg == 0)
        {
            return VertexFlags.Dead;
        }

        if (deg > VertexFlags.MaxValence)
        {
            return VertexFlags.Frozen;
        }

        // Each fan triangle as the corners that follow and precede v in it.
        int[] tri = fans.Triangles;
        ReadOnlySpan<int> fan = fans.Fan(v);
        for (int k = 0; k < deg; k++)
        {
            int i = 3 * fan[k];
            int a = tri[i], b = tri[i + 1], c = tri[i + 2];
            (next[k], prev[k]) = a == v ? (b, c) : b == v ? (c, a) : (a, b);
        }

        // Two triangles with the same following (or preceding) corner: the edge from v to it is non-manifold or
        // inconsistently oriented.
        for (int k = 1; k < deg; k++)
        {
            int nk = next[k], pk = prev[k];
            for (int j = 0; j < k; j++)
            {
                if (next[j] == nk || prev[j] == pk)
                {
                    return VertexFlags.Frozen;
                }
            }
        }

        // With both distinct, each triangle has at most one successor around v (the triangle whose preceding corner is its
        // following one) and at most one predecessor; those without a successor end a boundary, and there are as many
        // triangles without a predecessor (the successors are distinct). A disc has none, a half-disc one.
        int open = 0;
        for (int k = 0; k < deg; k++)
        {
            int nk = next[k];
            int found = -1;
            for (int j = 0; j < deg; j++)
            {
                if (prev[j] == nk)
                {
                    found = j;
                    break;
                }
            }

            succ[k] = found;
            if (found < 0)
            {
                open++;
            }
        }

        if (open > 1)
        {
            return VertexFlags.Frozen;
        }

        // Walk the fan from its start (the triangle without a predecessor, or any on a disc): a manifold vertex reaches
        // every incident triangle in one walk.
        int start = 0;
        if (open == 1)
        {
            // The successors are distinct and miss only the start: it is the index their sum leaves out.
            int sum = 0;
            for (int k = 0; k < deg; k++)
            {
                sum += succ[k] >= 0 ? succ[k] : 0;
            }

            start = (deg * (deg - 1) / 2) - sum;
        }

        int visited = 1, current = start;
        while (visited <= deg)
        {
            int found = succ[current];
            if (found < 0 || found == start)
            {
                break;
            }

            current = found;
            visited++;
        }

        return visited != deg ? VertexFlags.Frozen : open == 1 ? VertexFlags.Boundary : (byte)0;
    }
}
