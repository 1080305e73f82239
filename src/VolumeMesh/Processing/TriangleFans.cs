using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace VolumeMesh.Processing;

/// <summary>
/// The triangle fan of every vertex: triangles as corner triples, and each vertex's incident triangles as a slice of one
/// shared reference buffer (compressed rows, in triangle order), with room to append new fans and compaction when it
/// runs out. The decimator edits it collapse by collapse; cleanup reads it as built.
/// </summary>
internal sealed class TriangleFans
{
    private int[] _spare;

    /// <summary>Builds the fans of <paramref name="triangles"/>.</summary>
    /// <param name="triangles">Corner triples (taken, not copied: <see cref="Triangles"/> is this array; only collapses write to it, so readers pass a mesh's indices).</param>
    /// <param name="vertexCount">Vertices; every corner is below it.</param>
    /// <param name="growable">
    /// Whether new fans will be written after <see cref="Used"/> (by collapses): the reference buffer then has room for as
    /// many references again (and <see cref="ReleaseBuffers"/> drops it when the edits are done); otherwise it has exactly
    /// one reference per corner.
    /// </param>
    public TriangleFans(int[] triangles, int vertexCount, bool growable)
    {
        Triangles = triangles;
        VertexCount = vertexCount;
        TriangleCount = triangles.Length / 3;
        Dead = new bool[TriangleCount];
        _spare = []; // allocated by the first compaction

        var start = new int[vertexCount];
        var count = new int[vertexCount];
        for (int i = 0; i < triangles.Length; i++)
        {
            count[triangles[i]]++;
        }

        // Exact sizes, never from ArrayPool.Shared (issue 10: nothing stays parked after a run). The growable buffer is not
        // zeroed: only references below Used are ever read, and they are written first.
        int[] refs = growable ? GC.AllocateUninitializedArray<int>(Math.Max(64, 2 * triangles.Length)) : new int[triangles.Length];
        int offset = 0;
        for (int v = 0; v < vertexCount; v++)
        {
            start[v] = offset;
            offset += count[v];
            count[v] = 0;
        }

        int triangleCount = TriangleCount;
        for (int t = 0; t < triangleCount; t++)
        {
            for (int k = 0; k < 3; k++)
            {
                int v = triangles[(3 * t) + k];
                refs[start[v] + count[v]++] = t;
            }
        }

        Start = start;
        Count = count;
        Refs = refs;
        Used = offset;
    }

    /// <summary>The number of vertices.</summary>
    public int VertexCount { get; private set; }

    /// <summary>The number of triangles, dead ones included (after <see cref="Renumber"/>, those at the front of <see cref="Triangles"/>; the rest are stale).</summary>
    public int TriangleCount { get; private set; }

    /// <summary>Corner triples; a collapse renames corners in place.</summary>
    public int[] Triangles { get; }

    /// <summary>Whether each triangle was removed (it then lies in no fan).</summary>
    public bool[] Dead { get; }

    /// <summary>Where each vertex's fan starts in <see cref="Refs"/>.</summary>
    public int[] Start { get; }

    /// <summary>How many triangles each vertex's fan holds.</summary>
    public int[] Count { get; }

    /// <summary>The reference buffer (replaced by <see cref="Compact"/>).</summary>
    public int[] Refs { get; private set; }

    /// <summary>References in use at the front of <see cref="Refs"/>: appended fans go after them.</summary>
    public int Used { get; set; }

    /// <summary>The triangles around v.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<int> Fan(int v) => new(Refs, Start[v], Count[v]);

    /// <summary>
    /// Asks the processor to start loading the first references of v's fan (x86; elsewhere nothing). Hints never fault,
    /// so the address needs no pinning (see FieldClassification.Prefetch).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void PrefetchFan(int v)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Refs), Start[v])));
        }
    }

    /// <summary>Asks the processor to start loading the corners of the triangles of v's fan (whose references should be loaded by now).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void PrefetchFanTriangles(int v)
    {
        if (Sse.IsSupported)
        {
            foreach (int t in Fan(v))
            {
                Sse.Prefetch0(Unsafe.AsPointer(ref Triangles[3 * t]));
            }
        }
    }

    /// <summary>Which corner (0, 1 or 2) of triangle t is v (2 when v is none of the first two).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int CornerOf(int t, int v) => Triangles[3 * t] == v ? 0 : Triangles[(3 * t) + 1] == v ? 1 : 2;

    /// <summary>Removes triangle t from v's fan (the last reference takes its place).</summary>
    public void Remove(int v, int t)
    {
        int start = Start[v], count = Count[v];
        for (int i = 0; i < count; i++)
        {
            if (Refs[start + i] == t)
            {
                Refs[start + i] = Refs[start + count - 1];
                Count[v] = count - 1;
                return;
            }
        }
    }

    /// <summary>Whether the edge (v, u) has exactly one live triangle, counted in v's fan.</summary>
    public bool IsOpenEdge(int v, int u)
    {
        int uses = 0;
        foreach (int t in Fan(v))
        {
            if (Dead[t])
            {
                continue;
            }

            int i = 3 * t;
            if (Triangles[i] == u || Triangles[i + 1] == u || Triangles[i + 2] == u)
            {
                uses++;
            }
        }

        return uses == 1;
    }

    /// <summary>
    /// Copies every fan to the front of a fresh buffer so that at least <paramref name="extra"/> references can be
    /// appended after <see cref="Used"/>; the old buffer is kept as the spare for the next compaction. The fans keep their
    /// vertex order; chunks of vertices are copied in parallel (with <paramref name="parallel"/>'s threads), each at the
    /// offset the chunks before it fill.
    /// </summary>
    public void Compact(int extra, ParallelOptions parallel)
    {
        const int chunkVertices = 65_536;
        int vertexCount = VertexCount;
        int chunks = Math.Max(1, (vertexCount + chunkVertices - 1) / chunkVertices);
        var offsets = new long[chunks + 1];
        int[] count = Count, start = Start;
        Parallel.For(0, chunks, parallel, chunk =>
        {
            long live = 0;
            int end = Math.Min(vertexCount, (chunk + 1) * chunkVertices);
            for (int v = chunk * chunkVertices; v < end; v++)
            {
                live += count[v];
            }

            offsets[chunk + 1] = live;
        });

        for (int chunk = 0; chunk < chunks; chunk++)
        {
            offsets[chunk + 1] += offsets[chunk];
        }

        long needed = offsets[chunks] + extra;
        EnsureSpare(needed);

        int[] from = Refs, to = _spare;
        Parallel.For(0, chunks, parallel, chunk =>
        {
            int offset = (int)offsets[chunk];
            int end = Math.Min(vertexCount, (chunk + 1) * chunkVertices);
            for (int v = chunk * chunkVertices; v < end; v++)
            {
                int n = count[v];
                from.AsSpan(start[v], n).CopyTo(to.AsSpan(offset, n));
                start[v] = offset;
                offset += n;
            }
        });

        (Refs, _spare) = (_spare, Refs);
        Used = (int)offsets[chunks];
    }

    /// <summary>
    /// Takes a renumbering of the vertices and triangles (<see cref="QuadricDecimator.Renumber"/>): every live vertex's
    /// fan, in its order, is written with the triangles' new numbers to the front of a fresh reference buffer (in
    /// parallel chunks of vertices, as <see cref="Compact"/> does). <see cref="Triangles"/> is renamed by the caller.
    /// </summary>
    public void Renumber(Renumbering vertices, Renumbering triangles, ParallelOptions parallel)
    {
        const int chunkVertices = 65_536;
        int vertexCount = VertexCount, live = vertices.LiveCount;
        int chunks = Math.Max(1, (vertexCount + chunkVertices - 1) / chunkVertices);
        var offsets = new long[chunks + 1];
        int[] count = Count, start = Start, vertexMap = vertices.Map, triangleMap = triangles.Map;
        Parallel.For(0, chunks, parallel, chunk =>
        {
            long refs = 0;
            int end = Math.Min(vertexCount, (chunk + 1) * chunkVertices);
            for (int v = chunk * chunkVertices; v < end; v++)
            {
                if (vertexMap[v] >= 0)
                {
                    refs += count[v];
                }
            }

            offsets[chunk + 1] = refs;
        });

        for (int chunk = 0; chunk < chunks; chunk++)
        {
            offsets[chunk + 1] += offsets[chunk];
        }

        long needed = offsets[chunks];
        EnsureSpare(needed);

        int[] from = Refs, to = _spare;
        var newStart = GC.AllocateUninitializedArray<int>(live);
        var newCount = GC.AllocateUninitializedArray<int>(live);
        Parallel.For(0, chunks, parallel, chunk =>
        {
            int offset = (int)offsets[chunk];
            int end = Math.Min(vertexCount, (chunk + 1) * chunkVertices);
            for (int v = chunk * chunkVertices; v < end; v++)
            {
                int w = vertexMap[v];
                if (w < 0)
                {
                    continue;
                }

                int n = count[v], first = start[v];
                for (int i = 0; i < n; i++)
                {
                    to[offset + i] = triangleMap[from[first + i]];
                }

                newStart[w] = offset;
                newCount[w] = n;
                offset += n;
            }
        });

        newStart.CopyTo(start, 0);
        newCount.CopyTo(count, 0);
        // The triangles past the live ones are stale copies: marked dead, so that a walk over the whole array skips them.
        Array.Clear(Dead, 0, triangles.LiveCount);
        Array.Fill(Dead, true, triangles.LiveCount, triangles.Count - triangles.LiveCount);
        (Refs, _spare) = (_spare, Refs);
        Used = (int)needed;
        VertexCount = live;
        TriangleCount = triangles.LiveCount;
    }

    /// <summary>Makes the spare buffer hold at least twice <paramref name="needed"/> references (room to append after them).</summary>
    private void EnsureSpare(long needed)
    {
        if (_spare.Length < 2 * needed)
        {
            _spare = []; // let the old spare go before the larger one is allocated
            _spare = GC.AllocateUninitializedArray<int>((int)Math.Min(Array.MaxLength, 2 * needed));
        }
    }

    /// <summary>Drops the reference buffers (they are collected with the rest of the run); the fans must not be used afterwards.</summary>
    public void ReleaseBuffers()
    {
        Refs = [];
        _spare = [];
    }
}
