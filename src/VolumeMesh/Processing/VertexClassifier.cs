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
            int end = Math.Min(vertexCount, (chunk + 1) * 4096);
            for (int v = chunk * 4096; v < end; v++)
            {
                flags[v] = Classify(fans, v, next, prev);
                if (locked is not null && locked[v])
                {
                    flags[v] |= VertexFlags.Locked;
                }
            }
        });
    }

    /// <summary>The flags of v from its fan (next and prev are scratch of <see cref="VertexFlags.MaxValence"/> entries).</summary>
    private static byte Classify(TriangleFans fans, int v, Span<int> next, Span<int> prev)
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

        int[] tri = fans.Triangles;
        ReadOnlySpan<int> fan = fans.Fan(v);
        for (int k = 0; k < deg; k++)
        {
            int t = fan[k];
            int corner = fans.CornerOf(t, v);
            next[k] = tri[(3 * t) + ((corner + 1) % 3)];
            prev[k] = tri[(3 * t) + ((corner + 2) % 3)];
        }

        int boundaryOut = 0, boundaryIn = 0, start = 0;
        for (int k = 0; k < deg; k++)
        {
            int twins = 0, same = 0;
            int twinsIn = 0, sameIn = 0;
            for (int j = 0; j < deg; j++)
            {
                if (prev[j] == next[k])
                {
                    twins++;
                }

                if (j != k && next[j] == next[k])
                {
                    same++;
                }

                if (next[j] == prev[k])
                {
                    twinsIn++;
                }

                if (j != k && prev[j] == prev[k])
                {
                    sameIn++;
                }
            }

            if (twins > 1 || same > 0 || twinsIn > 1 || sameIn > 0)
            {
                return VertexFlags.Frozen; // non-manifold or inconsistently oriented edge at v
            }

            if (twins == 0)
            {
                boundaryOut++;
            }

            if (twinsIn == 0)
            {
                boundaryIn++;
                start = k;
            }
        }

        if (boundaryOut != boundaryIn || boundaryOut > 1)
        {
            return VertexFlags.Frozen;
        }

        // Walk the fan from its start: a manifold vertex reaches every incident triangle in one walk.
        int visited = 1, current = start;
        while (visited <= deg)
        {
            int found = -1;
            for (int j = 0; j < deg; j++)
            {
                if (prev[j] == next[current])
                {
                    found = j;
                    break;
                }
            }

            if (found < 0 || found == start)
            {
                break;
            }

            current = found;
            visited++;
        }

        if (visited != deg)
        {
            return VertexFlags.Frozen;
        }

        return boundaryOut == 1 ? VertexFlags.Boundary : (byte)0;
    }
}
