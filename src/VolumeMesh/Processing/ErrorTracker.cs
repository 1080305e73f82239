using VolumeMesh.Geometry;

namespace VolumeMesh.Processing;

/// <summary>
/// Bounds the symmetric Hausdorff distance between the input and the current surface when a maximum error is asked for.
/// </summary>
/// <remarks>
/// Two phases. The mapping phase comes first: a collapse is accepted when the successive mapping (see
/// <see cref="MappingBound"/>) bounds every new triangle within the bound. The mapping is a bijection between the current
/// surface and the input with a per-triangle bound of its displacement, so it proves both directions at once (every
/// current point is within its triangle's bound of its image, every input point within that bound of its preimage), in
/// O(link²) arithmetic per collapse and with no search of the input. Its bound adds displacements up along the chain of
/// collapses, so at a tight bound it stops first; then <see cref="BeginExact"/> attaches the input to the surface reached
/// and the exact phase goes on, measuring distances themselves:
/// Input → current: every input triangle is attached to one current vertex whose fan covers it: each point of the input
/// triangle is within the bound of that fan. A collapse changes the fans of the survivor and of the link vertices; the
/// input triangles attached to them are checked again against the new fans (re-attached to the survivor when their own
/// fan no longer covers them), and the collapse is refused when one is not covered.
/// Current → input: each new triangle must be within the bound of the input: at once when its path bound (see
/// PathBound) or its mapping bound is within it, else when it is covered by the input triangles of the collapsed region.
/// Covering is decided by Covered: a triangle is covered when all three corners are within the bound of one
/// covering triangle (the distance to a triangle is convex), or when two covering triangles that share an edge cover the
/// two parts a plane through that edge cuts it into (see CoveredByPair), or when its centroid is within the bound minus its radius
/// (the distance is 1-Lipschitz), or when its four halves are covered (up to <see cref="MaxDepth"/> levels). Every
/// test errs on the safe side: a collapse may be refused that was acceptable, never the reverse.
/// Parallel sweeps: <see cref="CreateWorker"/> gives a tracker that shares the attachments and path bounds with this one
/// but has its own marks and scratch. A check reads and a commit writes only the state of the collapse's survivor,
/// removed vertex and link vertices (their attachment lists, the input triangles attached to them, their path bounds)
/// and marks of its own; as a parallel sweep collapses only edges whose one-ring lies in its slab, workers of
/// different slabs never touch the same entries, and a check's answer does not depend on which worker makes it.
/// </remarks>
internal sealed class ErrorTracker
{
    private const int MaxDepth = 4;

    /// <summary>The most input triangles <see cref="BeginExact"/> leaves to the mapping (locking the surface near them).</summary>
    private const int MaxUnattached = 1024;

    /// <summary>How many times <see cref="BeginExact"/> splits an input triangle that no single fan covers, by default.</summary>
    internal const int DefaultSplitLevels = 3;

    private Vector3D[] _origPos;
    private int[] _origTri;
    private readonly int[] _origStart;
    private readonly int[] _origList;
    private readonly int[] _head;
    private int[] _next;
    private int[] _coverTri;
    private double[] _coverBound;
    private readonly int[] _triMark;
    private readonly double _max;
    private readonly double _max2;
    private int[] _origMark;
    private readonly int[] _vertexMark;
    private int _stamp;

    private int[] _attached = new int[256];
    private int[] _attachTo = new int[256];
    private int[] _attachCover = new int[256];
    private double[] _attachBound = new double[256];
    private int[] _fanTri = new int[256];
    private int _attachedCount;
    private int[] _links = new int[64];
    private int[] _fanStart = new int[65];
    private int _linkCount;
    private Vector3D[] _fans = new Vector3D[3 * 256];
    private Vector3D[] _candidates = new Vector3D[3 * 1024];
    private Vector3D[] _centres = new Vector3D[1024];
    private double[] _radii = new double[1024];
    private int _candidateCount;
    private readonly Vector3D[] _stack = new Vector3D[3 * 4 * (MaxDepth + 2)];
    private readonly int[] _stackDepth = new int[4 * (MaxDepth + 2)];
    private double _maxMeasured2;
    private double _checkMeasured2;
    private readonly double[] _path;
    private double _pendingPath;
    private readonly MappingBound _mapping;
    private readonly int[] _absorbedBy;
    private readonly int[] _ownerOfInput;
    private bool _exact;

    private ErrorTracker(ErrorTracker shared)
    {
        _origPos = shared._origPos;
        _origTri = shared._origTri;
        _origStart = shared._origStart;
        _origList = shared._origList;
        _head = shared._head;
        _next = shared._next;
        _coverTri = shared._coverTri;
        _coverBound = shared._coverBound;
        _path = shared._path;
        _absorbedBy = shared._absorbedBy;
        _ownerOfInput = shared._ownerOfInput;
        _exact = shared._exact;
        _mapping = shared._mapping.CreateWorker();
        _max = shared._max;
        _max2 = shared._max2;
        _origMark = new int[shared._origMark.Length];
        _triMark = new int[shared._triMark.Length];
        _vertexMark = new int[shared._vertexMark.Length];
    }

    /// <summary>
    /// Tracks the error of the surface <paramref name="fans"/> describes (as built: no collapse yet), at
    /// <paramref name="positions"/>, whose vertices carry the decimator's <paramref name="flags"/>; the copies of the
    /// input are made in parallel chunks with <paramref name="parallel"/>'s threads.
    /// </summary>
    public ErrorTracker(Vector3D[] positions, TriangleFans fans, byte[] flags, double maxErrorMm, ParallelOptions parallel)
    {
        const int chunkVertices = 65_536;
        _mapping = new MappingBound(fans, flags);
        int[] triangles = fans.Triangles, refStart = fans.Start, refCount = fans.Count, refs = fans.Refs;
        int vertexCount = fans.VertexCount;
        _max = maxErrorMm;
        _max2 = maxErrorMm * maxErrorMm;
        int triangleCount = triangles.Length / 3;
        var origPos = GC.AllocateUninitializedArray<Vector3D>(positions.Length);
        var origTri = GC.AllocateUninitializedArray<int>(triangles.Length);
        var origStart = new int[vertexCount + 1];
        var origList = GC.AllocateUninitializedArray<int>(triangles.Length);
        var absorbedBy = GC.AllocateUninitializedArray<int>(vertexCount);
        var ownerOfInput = GC.AllocateUninitializedArray<int>(vertexCount);
        for (int v = 0; v < vertexCount; v++)
        {
            origStart[v + 1] = origStart[v] + refCount[v];
        }

        // Chunks of vertices copy their fans and set up their chains, and a proportional share of the positions and of the
        // triangles (each whole array is copied, whatever its length).
        int chunks = Math.Max(1, (vertexCount + chunkVertices - 1) / chunkVertices);
        Parallel.For(0, chunks, parallel, chunk =>
        {
            int first = chunk * chunkVertices, end = Math.Min(vertexCount, first + chunkVertices);
            for (int v = first; v < end; v++)
            {
                refs.AsSpan(refStart[v], refCount[v]).CopyTo(origList.AsSpan(origStart[v]));
                absorbedBy[v] = v;
                ownerOfInput[v] = v;
            }

            CopyShare(positions, origPos, chunk, chunks);
            CopyShare(triangles, origTri, chunk, chunks);
        });

        _origPos = origPos;
        _origTri = origTri;
        _origStart = origStart;
        _origList = origList;
        _absorbedBy = absorbedBy;
        _ownerOfInput = ownerOfInput;
        _origMark = new int[triangleCount];
        _path = new double[vertexCount];

        _triMark = new int[triangleCount];
        _coverTri = new int[triangleCount];
        _coverBound = new double[triangleCount];
        _vertexMark = new int[vertexCount];

        // The attachments are made when the exact phase begins (BeginExact), from the surface reached.
        _head = new int[vertexCount];
        _next = new int[triangleCount];
    }

    /// <summary>Copies the <paramref name="chunk"/>-th of <paramref name="chunks"/> equal shares of <paramref name="from"/> into <paramref name="to"/>.</summary>
    private static void CopyShare<T>(T[] from, T[] to, int chunk, int chunks)
    {
        int first = (int)((long)from.Length * chunk / chunks), end = (int)((long)from.Length * (chunk + 1) / chunks);
        from.AsSpan(first, end - first).CopyTo(to.AsSpan(first));
    }

    /// <summary>
    /// The largest distance, in mm, from an input vertex to the triangle or fan that covers its triangle, over all checks: an
    /// upper bound of the distance from any input vertex to the output surface.
    /// </summary>
    public double MaxMeasured => Math.Sqrt(_maxMeasured2);

    /// <summary>
    /// A tracker for one parallel sweep at a time: the same attachments and path bounds, its own marks and scratch
    /// (see the remarks). Fold its <see cref="MaxMeasured"/> back with <see cref="Absorb"/>.
    /// </summary>
    public ErrorTracker CreateWorker() => new(this);

    /// <summary>Takes over the largest measured distance of a worker (see <see cref="CreateWorker"/>).</summary>
    public void Absorb(ErrorTracker worker) => _maxMeasured2 = Math.Max(_maxMeasured2, worker._maxMeasured2);

    /// <summary>Whether the tracker has left the mapping phase (see <see cref="BeginExact"/>).</summary>
    public bool Exact => _exact;

    /// <summary>How many times <see cref="BeginExact"/> splits an input triangle that no single fan covers (tests lower it).</summary>
    internal int SplitLevels { get; set; } = DefaultSplitLevels;

    /// <summary>Pieces of split input triangles that <see cref="BeginExact"/> attached.</summary>
    internal int AttachedPieces { get; private set; }

    /// <summary>Vertices <see cref="BeginExact"/> locked around the pieces it could not attach.</summary>
    internal int LockedVertices { get; private set; }

    /// <summary>
    /// Ends the mapping phase: attaches every input triangle to a current vertex whose fan covers it within the bound,
    /// trying the vertices its corners were collapsed into, then their neighbours, and from then on checks each collapse
    /// exactly (attachments and search). An input triangle no single fan covers (it spans several) is split into four,
    /// up to <see cref="SplitLevels"/> times, and its pieces are attached as input triangles of their own (the same
    /// points). The few pieces still left over stay within the bound through the mapping, whose preimage of them lies in
    /// current triangles within the bound of them: every current triangle that near is kept as it is by locking its
    /// corners (a collapse may end in a locked vertex, which does not move, but never removes one). Returns false,
    /// changing nothing, when more than <see cref="MaxUnattached"/> are left over: decimation then stops where the
    /// mapping phase did. Deterministic: each attachment depends only on the current surface, not on the threads.
    /// </summary>
    public bool BeginExact(TriangleFans fans, Vector3D[] pos, byte[] flags, ParallelOptions parallel)
    {
        CompressAbsorbed();

        const int chunkTriangles = 4096;
        int triangleCount = _next.Length;
        var owners = new int[triangleCount];
        var covers = new int[triangleCount];
        var bounds = new double[triangleCount];
        int chunks = (triangleCount + chunkTriangles - 1) / chunkTriangles;
        double measured2 = 0;
        Parallel.For(0, chunks, parallel, CreateWorker, (chunk, _, worker) =>
        {
            int end = Math.Min(triangleCount, (chunk + 1) * chunkTriangles);
            for (int o = chunk * chunkTriangles; o < end; o++)
            {
                Vector3D a = _origPos[_origTri[3 * o]], b = _origPos[_origTri[(3 * o) + 1]], c = _origPos[_origTri[(3 * o) + 2]];
                owners[o] = worker.AttachToCurrent(o, a, b, c, fans, pos, out covers[o], out bounds[o]);
            }

            return worker;
        }, worker =>
        {
            lock (owners)
            {
                measured2 = Math.Max(measured2, worker._maxMeasured2);
            }
        });

        // Split what is left (serially: few), level by level; each pending piece remembers the input triangle it came from.
        var piecePos = new List<Vector3D>();
        var pieceOwner = new List<int>();
        var pieceCover = new List<int>();
        var pieceBound = new List<double>();
        var pending = new List<(Vector3D A, Vector3D B, Vector3D C, int Seed)>();
        for (int o = 0; o < triangleCount; o++)
        {
            if (owners[o] < 0)
            {
                pending.Add((_origPos[_origTri[3 * o]], _origPos[_origTri[(3 * o) + 1]], _origPos[_origTri[(3 * o) + 2]], o));
            }
        }

        double before = _maxMeasured2;
        _maxMeasured2 = 0;
        for (int level = 0; level < SplitLevels && pending.Count > 0 && pending.Count <= MaxUnattached << (2 * level); level++)
        {
            var next = new List<(Vector3D A, Vector3D B, Vector3D C, int Seed)>();
            foreach ((Vector3D a, Vector3D b, Vector3D c, int seed) in pending)
            {
                Vector3D ab = (a + b) * 0.5, bc = (b + c) * 0.5, ca = (c + a) * 0.5;
                ReadOnlySpan<(Vector3D, Vector3D, Vector3D)> pieces = [(a, ab, ca), (ab, b, bc), (ca, bc, c), (ab, bc, ca)];
                foreach ((Vector3D x, Vector3D y, Vector3D z) in pieces)
                {
                    int owner = AttachToCurrent(seed, x, y, z, fans, pos, out int cover, out double bound);
                    if (owner < 0)
                    {
                        next.Add((x, y, z, seed));
                        continue;
                    }

                    piecePos.Add(x);
                    piecePos.Add(y);
                    piecePos.Add(z);
                    pieceOwner.Add(owner);
                    pieceCover.Add(cover);
                    pieceBound.Add(bound);
                }
            }

            pending = next;
        }

        measured2 = Math.Max(measured2, _maxMeasured2);
        _maxMeasured2 = before;
        if (pending.Count > MaxUnattached)
        {
            return false;
        }

        LockedVertices = LockNear(pending, fans, pos, flags, parallel);
        _maxMeasured2 = Math.Max(_maxMeasured2, measured2);
        AttachedPieces = pieceOwner.Count;
        AppendPieces(piecePos, pieceOwner.Count);
        Array.Fill(_head, -1);
        for (int o = 0; o < _next.Length; o++)
        {
            int owner = o < triangleCount ? owners[o] : pieceOwner[o - triangleCount];
            if (owner >= 0)
            {
                _coverTri[o] = o < triangleCount ? covers[o] : pieceCover[o - triangleCount];
                _coverBound[o] = o < triangleCount ? bounds[o] : pieceBound[o - triangleCount];
                _next[o] = _head[owner];
                _head[owner] = o;
            }
        }

        _exact = true;
        return true;
    }

    /// <summary>Points every current vertex's entry of the collapse chains straight at the vertex it ended in.</summary>
    private void CompressAbsorbed()
    {
        int[] absorbedBy = _absorbedBy;
        for (int v = 0; v < absorbedBy.Length; v++)
        {
            int root = v;
            while (absorbedBy[root] != root)
            {
                root = absorbedBy[root];
            }

            for (int x = v; absorbedBy[x] != root;)
            {
                int next = absorbedBy[x];
                absorbedBy[x] = root;
                x = next;
            }
        }
    }

    /// <summary>
    /// Takes the decimator's renumbering (mapping phase only, see <see cref="QuadricDecimator.Renumber"/>). Each input
    /// vertex is then owned by the new number of the vertex its chain of collapses ended in, and the chains start again
    /// from the new numbers; the path bounds and the mapping's per-triangle bounds move with their vertices and triangles.
    /// </summary>
    public void Renumber(Renumbering vertices, Renumbering triangles, ParallelOptions parallel)
    {
        // Each input vertex's owner follows its chain to the end (the chains are only read, so chunks of input vertices
        // go in parallel); then the chains start again.
        const int chunkVertices = 65_536;
        int[] owner = _ownerOfInput, absorbedBy = _absorbedBy, map = vertices.Map;
        Parallel.For(0, (owner.Length + chunkVertices - 1) / chunkVertices, parallel, chunk =>
        {
            int end = Math.Min(owner.Length, (chunk + 1) * chunkVertices);
            for (int o = chunk * chunkVertices; o < end; o++)
            {
                int current = owner[o];
                if (current < 0)
                {
                    owner[o] = -1;
                    continue;
                }

                while (absorbedBy[current] != current)
                {
                    current = absorbedBy[current];
                }

                owner[o] = map[current];
            }
        });

        Parallel.For(0, (absorbedBy.Length + chunkVertices - 1) / chunkVertices, parallel, chunk =>
        {
            int end = Math.Min(absorbedBy.Length, (chunk + 1) * chunkVertices);
            for (int v = chunk * chunkVertices; v < end; v++)
            {
                absorbedBy[v] = v;
            }
        });

        vertices.Apply(_path);
        _mapping.Renumber(triangles);
    }

    /// <summary>Adds the pieces (three corners each, <paramref name="count"/> pieces) as input triangles after the others.</summary>
    private void AppendPieces(List<Vector3D> corners, int count)
    {
        if (count == 0)
        {
            return;
        }

        int firstVertex = _origPos.Length, firstTriangle = _next.Length;
        Array.Resize(ref _origPos, firstVertex + corners.Count);
        corners.CopyTo(_origPos, firstVertex);
        Array.Resize(ref _origTri, 3 * (firstTriangle + count));
        for (int i = 0; i < 3 * count; i++)
        {
            _origTri[(3 * firstTriangle) + i] = firstVertex + i;
        }

        Array.Resize(ref _next, firstTriangle + count);
        Array.Resize(ref _coverTri, firstTriangle + count);
        Array.Resize(ref _coverBound, firstTriangle + count);
        Array.Resize(ref _origMark, firstTriangle + count);
    }

    /// <summary>
    /// The vertex whose current fan covers the triangle (a, b, c), a part of input triangle <paramref name="seed"/>:
    /// one the seed's corners were collapsed into, else one of their neighbours; -1 when none does. Gives the covering
    /// triangle (-1: the fan) and the bound of the cover, as <see cref="Check"/> records them.
    /// </summary>
    private int AttachToCurrent(int seed, Vector3D a, Vector3D b, Vector3D c, TriangleFans fans, Vector3D[] pos, out int cover, out double bound)
    {
        int[] tri = fans.Triangles;
        int stamp = ++_stamp;
        for (int k = 0; k < 3; k++)
        {
            int owner = _absorbedBy[_ownerOfInput[_origTri[(3 * seed) + k]]];
            if (TryAttach(owner, a, b, c, fans, pos, stamp, out cover, out bound))
            {
                return owner;
            }
        }

        for (int k = 0; k < 3; k++)
        {
            foreach (int t in fans.Fan(_absorbedBy[_ownerOfInput[_origTri[(3 * seed) + k]]]))
            {
                for (int m = 0; m < 3; m++)
                {
                    int u = tri[(3 * t) + m];
                    if (TryAttach(u, a, b, c, fans, pos, stamp, out cover, out bound))
                    {
                        return u;
                    }
                }
            }
        }

        cover = -1;
        bound = double.PositiveInfinity;
        return -1;
    }

    /// <summary>Whether v's fan (not tried before under this stamp) covers the triangle (a, b, c); if so, gives the cover as <see cref="AttachToCurrent"/>.</summary>
    private bool TryAttach(int v, Vector3D a, Vector3D b, Vector3D c, TriangleFans fans, Vector3D[] pos, int stamp, out int cover, out double bound)
    {
        cover = -1;
        bound = double.PositiveInfinity;
        if (_vertexMark[v] == stamp)
        {
            return false;
        }

        _vertexMark[v] = stamp;
        int[] tri = fans.Triangles;
        int length = 0;
        foreach (int t in fans.Fan(v))
        {
            EnsureFans(length + 3);
            _fanTri[length / 3] = t;
            _fans[length++] = pos[tri[3 * t]];
            _fans[length++] = pos[tri[(3 * t) + 1]];
            _fans[length++] = pos[tri[(3 * t) + 2]];
        }

        ReadOnlySpan<Vector3D> fan = _fans.AsSpan(0, length);
        if (!Covered(a, b, c, fan, 0, out int single, out double single2))
        {
            return false;
        }

        _checkMeasured2 = 0;
        Measure(a, b, c, single2, fan);
        _maxMeasured2 = Math.Max(_maxMeasured2, _checkMeasured2);
        cover = single >= 0 ? _fanTri[single] : -1;
        bound = single >= 0 ? Math.Sqrt(single2) : double.PositiveInfinity;
        return true;
    }

    /// <summary>
    /// Locks the corners of every live current triangle whose bounding sphere comes within the bound of the bounding
    /// sphere of one of the input pieces <paramref name="pieces"/> (see <see cref="BeginExact"/>); returns how many.
    /// </summary>
    private int LockNear(List<(Vector3D A, Vector3D B, Vector3D C, int Seed)> pieces, TriangleFans fans, Vector3D[] pos, byte[] flags, ParallelOptions parallel)
    {
        if (pieces.Count == 0)
        {
            return 0;
        }

        var centres = new Vector3D[pieces.Count];
        var radii = new double[pieces.Count];
        for (int i = 0; i < pieces.Count; i++)
        {
            (Vector3D a, Vector3D b, Vector3D c, _) = pieces[i];
            centres[i] = BoundingSphere(a, b, c, out double radius);
            radii[i] = radius + _max;
        }

        int[] tri = fans.Triangles;
        bool[] dead = fans.Dead;
        int triangleCount = fans.TriangleCount; // after a renumbering, the arrays hold stale triangles past it
        var locked = new bool[pos.Length];
        Parallel.For(0, (triangleCount + 65535) / 65536, parallel, chunk =>
        {
            int end = Math.Min(triangleCount, (chunk + 1) * 65536);
            for (int t = chunk * 65536; t < end; t++)
            {
                if (dead[t])
                {
                    continue;
                }

                Vector3D g = BoundingSphere(pos[tri[3 * t]], pos[tri[(3 * t) + 1]], pos[tri[(3 * t) + 2]], out double radius);
                for (int i = 0; i < centres.Length; i++)
                {
                    if (!Far(g, centres[i], radii[i], radius))
                    {
                        locked[tri[3 * t]] = true;
                        locked[tri[(3 * t) + 1]] = true;
                        locked[tri[(3 * t) + 2]] = true;
                        break;
                    }
                }
            }
        });

        int count = 0;
        for (int v = 0; v < locked.Length; v++)
        {
            if (locked[v])
            {
                flags[v] |= VertexFlags.Locked;
                count++;
            }
        }

        return count;
    }

    /// <summary>Whether collapsing r into s at p keeps the error bound; on success the new attachments wait for <see cref="Commit"/>.</summary>
    public bool Check(int s, int r, Vector3D p, ReadOnlySpan<int> star, int t1, int t2, TriangleFans fans, Vector3D[] pos)
    {
        if (!_exact)
        {
            return CheckMapped(s, r, p, star, t1, t2, fans, pos);
        }

        int[] tri = fans.Triangles, refs = fans.Refs, refStart = fans.Start, refCount = fans.Count;

        // The survivor's new fan is the star with p in place of s and r; the link vertices' new fans follow.
        int stamp = ++_stamp;
        _vertexMark[s] = stamp;
        _vertexMark[r] = stamp;
        _linkCount = 0;
        int fanLength = 0;
        EnsureFans(3 * star.Length);
        _triMark[t1] = stamp;
        if (t2 >= 0)
        {
            _triMark[t2] = stamp;
        }

        for (int i = 0; i < star.Length; i++)
        {
            _triMark[star[i]] = stamp;
            _fanTri[fanLength / 3] = star[i];
            for (int k = 0; k < 3; k++)
            {
                int v = tri[(3 * star[i]) + k];
                _fans[fanLength++] = v == s || v == r ? p : pos[v];
                if (_vertexMark[v] != stamp)
                {
                    _vertexMark[v] = stamp;
                    if (_linkCount + 1 >= _links.Length)
                    {
                        Array.Resize(ref _links, 2 * _links.Length);
                        Array.Resize(ref _fanStart, 2 * _fanStart.Length);
                    }

                    _links[_linkCount++] = v;
                }
            }
        }

        _fanStart[0] = fanLength;
        for (int l = 0; l < _linkCount; l++)
        {
            int u = _links[l];
            EnsureFans(fanLength + (3 * refCount[u]));
            for (int k = refStart[u]; k < refStart[u] + refCount[u]; k++)
            {
                int t = refs[k];
                if (t == t1 || t == t2)
                {
                    continue;
                }

                _fanTri[fanLength / 3] = t;
                for (int c = 0; c < 3; c++)
                {
                    int v = tri[(3 * t) + c];
                    _fans[fanLength++] = v == s || v == r ? p : pos[v];
                }
            }

            _fanStart[l + 1] = fanLength;
        }

        // The path bound of the new vertex (see PathBound): how far the collapses that built it have moved it; and
        // the successive-mapping bounds of the new triangles (see MappingBound).
        _pendingPath = Math.Max(_path[s] + (p - pos[s]).Length, _path[r] + (p - pos[r]).Length);
        _mapping.Compute(s, r, p, star, t1, t2, fans, pos);

        // The input triangles of the region, needed only where a bound does not already prove the new surface close to the
        // input (the new vertex, or a new triangle, unproven): those attached to the changed fans and those around the
        // fans' vertices.
        bool needInput = _pendingPath > _max && (star.IsEmpty || _mapping.Pending(0) > _max);
        for (int i = 0; i < star.Length && !needInput; i++)
        {
            needInput = Unproven(tri, star, i, s, r);
        }

        _candidateCount = 0;
        if (needInput)
        {
            for (int l = -2; l < _linkCount; l++)
            {
                int owner = l == -2 ? s : l == -1 ? r : _links[l];
                for (int o = _head[owner]; o >= 0; o = _next[o])
                {
                    AddCandidate(o, stamp);
                }

                AddFan(owner, stamp);
            }
        }

        // Quick refusal of clear violations: the new vertex and the new centroids far from the input.
        ReadOnlySpan<Vector3D> input = _candidates.AsSpan(0, 3 * _candidateCount);
        ReadOnlySpan<Vector3D> survivorFan = _fans.AsSpan(0, _fanStart[0]);
        if (_pendingPath > _max && (star.IsEmpty || _mapping.Pending(0) > _max) && Nearest2(p, input) > _max2)
        {
            return false;
        }

        for (int i = 0; i < star.Length; i++)
        {
            if (Unproven(tri, star, i, s, r)
                && Nearest2((survivorFan[3 * i] + survivorFan[(3 * i) + 1] + survivorFan[(3 * i) + 2]) / 3, input) > _max2)
            {
                return false;
            }
        }

        // Input → new surface.
        _attachedCount = 0;
        _checkMeasured2 = 0;
        for (int l = -2; l < _linkCount; l++)
        {
            int owner = l == -2 ? s : l == -1 ? r : _links[l];
            ReadOnlySpan<Vector3D> ownFan = l < 0 ? survivorFan : _fans.AsSpan(_fanStart[l], _fanStart[l + 1] - _fanStart[l]);
            for (int o = _head[owner]; o >= 0; o = _next[o])
            {
                int to = l < 0 ? s : owner;
                int cover = _coverTri[o];
                if (l >= 0 && cover >= 0 && _triMark[cover] != stamp)
                {
                    // Covered by one triangle that this collapse leaves as it is.
                    AddAttachment(o, to, cover, _coverBound[o]);
                    continue;
                }

                if (cover >= 0 && cover != t1 && cover != t2)
                {
                    // Covered by one triangle that this collapse changes by moving its corner s (or r) to p: mapped
                    // linearly onto its new shape, each of its points moves by at most |p − s| (or |p − r|), so the
                    // distance bound grows by that much at most. Within the bound, nothing needs measuring.
                    int k = 3 * cover;
                    int moved = tri[k] == s || tri[k + 1] == s || tri[k + 2] == s ? s : r;
                    double bound = _coverBound[o] + (p - pos[moved]).Length;
                    if (bound <= _max)
                    {
                        _checkMeasured2 = Math.Max(_checkMeasured2, bound * bound);
                        AddAttachment(o, to, cover, bound);
                        continue;
                    }
                }

                Vector3D a = _origPos[_origTri[3 * o]], b = _origPos[_origTri[(3 * o) + 1]], c = _origPos[_origTri[(3 * o) + 2]];
                int fanOffset = l < 0 ? 0 : _fanStart[l];
                if (Covered(a, b, c, ownFan, HintOf(cover, fanOffset / 3, ownFan.Length / 3), out int single, out double single2))
                {
                    Measure(a, b, c, single2, ownFan);
                    cover = single >= 0 ? _fanTri[(fanOffset / 3) + single] : -1;
                }
                else if (l >= 0 && Covered(a, b, c, survivorFan, HintOf(cover, 0, survivorFan.Length / 3), out single, out single2))
                {
                    Measure(a, b, c, single2, survivorFan);
                    to = s;
                    cover = single >= 0 ? _fanTri[single] : -1;
                }
                else
                {
                    return false;
                }

                // Covered whole by one triangle: every point within the largest corner distance of it (convexity).
                AddAttachment(o, to, cover, single >= 0 ? Math.Sqrt(single2) : double.PositiveInfinity);
            }
        }

        // New surface → input.
        for (int i = 0; i < star.Length; i++)
        {
            if (Unproven(tri, star, i, s, r)
                && !Covered(survivorFan[3 * i], survivorFan[(3 * i) + 1], survivorFan[(3 * i) + 2], input, _centres.AsSpan(0, _candidateCount), _radii.AsSpan(0, _candidateCount), 0, out _, out _))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The check of the mapping phase: the collapse keeps the bound when the successive mapping (see
    /// <see cref="MappingBound"/>) bounds every new triangle within it. The mapping is a bijection between the current
    /// surface and the input, so its per-triangle bounds hold in both directions: every current point lies within its
    /// triangle's bound of its image on the input, and every input point within that bound of its preimage.
    /// </summary>
    private bool CheckMapped(int s, int r, Vector3D p, ReadOnlySpan<int> star, int t1, int t2, TriangleFans fans, Vector3D[] pos)
    {
        if (star.IsEmpty)
        {
            return false;
        }

        _mapping.Compute(s, r, p, star, t1, t2, fans, pos);
        double worst = 0;
        for (int i = 0; i < star.Length; i++)
        {
            worst = Math.Max(worst, _mapping.Pending(i)); // +∞ where the regions do not project one-to-one
            if (worst > _max)
            {
                return false;
            }
        }

        _pendingPath = Math.Max(_path[s] + (p - pos[s]).Length, _path[r] + (p - pos[r]).Length);
        _checkMeasured2 = worst * worst;
        _linkCount = 0;
        _attachedCount = 0;
        return true;
    }

    /// <summary>Whether neither O(1) bound (the mapping's, the path's) puts the i-th new triangle within the bound of the input.</summary>
    private bool Unproven(int[] tri, ReadOnlySpan<int> star, int i, int s, int r) =>
        _mapping.Pending(i) > _max && PathBound(tri, star[i], s, r) > _max;

    /// <summary>
    /// An upper bound of the distance from any point of the new triangle t to the input surface, O(1): each vertex
    /// carries the length of the path its collapses moved it along (E_p = max(E_s + |p − s|, E_r + |p − r|), 0 for
    /// input vertices). Mapping each old fan triangle linearly onto its new triangle moves a point by at most the
    /// barycentric share of |p − s| (or |p − r|), so composing the maps relates every current point to an input point
    /// within the linear interpolation of the vertex bounds; the largest corner bound bounds the triangle. Loose (it
    /// only grows), but it accepts most early collapses without searching the input.
    /// </summary>
    private double PathBound(int[] tri, int t, int s, int r)
    {
        double bound = 0;
        for (int k = 0; k < 3; k++)
        {
            int v = tri[(3 * t) + k];
            bound = Math.Max(bound, v == s || v == r ? _pendingPath : _path[v]);
        }

        return bound;
    }

    /// <summary>Applies the attachments computed by the last successful <see cref="Check"/>.</summary>
    public void Commit(int s, int r)
    {
        _path[s] = _pendingPath;
        _mapping.Commit();
        if (!_exact)
        {
            _absorbedBy[r] = s;
            _maxMeasured2 = Math.Max(_maxMeasured2, _checkMeasured2);
            return;
        }

        _head[s] = -1;
        _head[r] = -1;
        for (int l = 0; l < _linkCount; l++)
        {
            _head[_links[l]] = -1;
        }

        for (int i = 0; i < _attachedCount; i++)
        {
            int o = _attached[i], v = _attachTo[i];
            _coverTri[o] = _attachCover[i];
            _coverBound[o] = _attachBound[i];
            _next[o] = _head[v];
            _head[v] = o;
        }

        _maxMeasured2 = Math.Max(_maxMeasured2, _checkMeasured2);
    }

    /// <summary>Input triangle o, attached to vertex <paramref name="to"/>, is covered by triangle <paramref name="cover"/> (-1: by the fan) with every point within <paramref name="bound"/> of it.</summary>
    private void AddAttachment(int o, int to, int cover, double bound)
    {
        if (_attachedCount == _attached.Length)
        {
            Array.Resize(ref _attached, 2 * _attached.Length);
            Array.Resize(ref _attachTo, 2 * _attachTo.Length);
            Array.Resize(ref _attachCover, 2 * _attachCover.Length);
            Array.Resize(ref _attachBound, 2 * _attachBound.Length);
        }

        _attached[_attachedCount] = o;
        _attachTo[_attachedCount] = to;
        _attachCover[_attachedCount] = cover;
        _attachBound[_attachedCount] = bound;
        _attachedCount++;
    }

    /// <summary>
    /// Takes the largest distance of a covered input triangle's corners to the surface into the measure: the largest
    /// squared distance of a corner to a triangle that covers it (<paramref name="corners2"/> ≥ 0, already measured by the
    /// cover test), else to the fan.
    /// </summary>
    private void Measure(Vector3D a, Vector3D b, Vector3D c, double corners2, ReadOnlySpan<Vector3D> fan) =>
        _checkMeasured2 = Math.Max(_checkMeasured2, corners2 >= 0 ? corners2 : Math.Max(Nearest2(a, fan), Math.Max(Nearest2(b, fan), Nearest2(c, fan))));

    /// <summary>The index, within the fan of <paramref name="count"/> triangles starting at <paramref name="first"/> in the fan scratch, of triangle <paramref name="cover"/>; 0 when it is not there.</summary>
    private int HintOf(int cover, int first, int count)
    {
        for (int j = 0; j < count; j++)
        {
            if (_fanTri[first + j] == cover)
            {
                return j;
            }
        }

        return 0;
    }

    private void EnsureFans(int length)
    {
        if (_fans.Length < length)
        {
            Array.Resize(ref _fans, Math.Max(length, 2 * _fans.Length));
            Array.Resize(ref _fanTri, _fans.Length / 3);
        }
    }

    private void AddFan(int v, int stamp)
    {
        for (int k = _origStart[v]; k < _origStart[v + 1]; k++)
        {
            AddCandidate(_origList[k], stamp);
        }
    }

    private void AddCandidate(int t, int stamp)
    {
        if (_origMark[t] == stamp)
        {
            return;
        }

        _origMark[t] = stamp;
        if (3 * (_candidateCount + 1) > _candidates.Length)
        {
            Array.Resize(ref _candidates, 2 * _candidates.Length);
            Array.Resize(ref _centres, 2 * _centres.Length);
            Array.Resize(ref _radii, 2 * _radii.Length);
        }

        Vector3D a = _origPos[_origTri[3 * t]], b = _origPos[_origTri[(3 * t) + 1]], c = _origPos[_origTri[(3 * t) + 2]];
        Vector3D g = BoundingSphere(a, b, c, out double radius);
        _candidates[3 * _candidateCount] = a;
        _candidates[(3 * _candidateCount) + 1] = b;
        _candidates[(3 * _candidateCount) + 2] = c;
        _centres[_candidateCount] = g;
        _radii[_candidateCount] = radius;
        _candidateCount++;
    }

    /// <summary>
    /// Whether every point of the triangle (a, b, c) is within the bound of the union of the triangles in
    /// <paramref name="cover"/>, trying the covering triangle <paramref name="hint"/> first; <paramref name="single"/> is
    /// the index of one covering triangle that covers it whole, or -1; <paramref name="single2"/> is the largest squared
    /// distance of a corner to the triangle that covers it when the whole triangle was proved at once (by one triangle or
    /// by a pair), else -1.
    /// </summary>
    private bool Covered(Vector3D a, Vector3D b, Vector3D c, ReadOnlySpan<Vector3D> cover, int hint, out int single, out double single2) =>
        Covered(a, b, c, cover, default, default, hint, out single, out single2);

    /// <summary>As above, with each covering triangle's bounding sphere (when not empty) to skip triangles that cannot be within the bound.</summary>
    private bool Covered(Vector3D a, Vector3D b, Vector3D c, ReadOnlySpan<Vector3D> cover, ReadOnlySpan<Vector3D> centres, ReadOnlySpan<double> radii, int hint, out int single, out double single2)
    {
        int count = cover.Length / 3;
        single = -1;
        single2 = -1;
        if (count == 0)
        {
            return false;
        }

        int top = 0;
        Push(ref top, a, b, c, 0);
        while (top > 0)
        {
            top--;
            Vector3D x = _stack[3 * top], y = _stack[(3 * top) + 1], z = _stack[(3 * top) + 2];
            int depth = _stackDepth[top];
            Vector3D g = BoundingSphere(x, y, z, out double radius);

            // Convexity, worth trying for whole triangles and for pieces small against the bound: all three corners
            // within the bound of one triangle.
            if (depth == 0 || radius <= _max)
            {
                int found = -1;
                double found2 = 0;
                for (int n = 0; n < count; n++)
                {
                    // Start at the triangle that served last: neighbouring pieces are usually served by the same one.
                    int i = n == 0 ? hint : n == hint ? 0 : n;
                    if (!centres.IsEmpty && Far(x, centres[i], radii[i], _max))
                    {
                        continue;
                    }

                    Vector3D p0 = cover[3 * i], p1 = cover[(3 * i) + 1], p2 = cover[(3 * i) + 2];
                    double dx = TriangleDistance.Squared(x, p0, p1, p2);
                    if (dx > _max2)
                    {
                        continue;
                    }

                    double dy = TriangleDistance.Squared(y, p0, p1, p2);
                    if (dy > _max2)
                    {
                        continue;
                    }

                    double dz = TriangleDistance.Squared(z, p0, p1, p2);
                    if (dz <= _max2)
                    {
                        found = i;
                        found2 = Math.Max(dx, Math.Max(dy, dz));
                        break;
                    }
                }

                if (found >= 0)
                {
                    hint = found;
                    if (depth == 0)
                    {
                        single = found;
                        single2 = found2;
                    }

                    continue;
                }

                if (CoveredByPair(x, y, z, cover, centres, radii, hint, out double corners2))
                {
                    if (depth == 0)
                    {
                        single2 = corners2;
                    }

                    continue;
                }
            }

            // Lipschitz: the centroid close enough that the whole piece is within the bound.
            double inner = _max - radius;
            double inner2 = inner > 0 ? inner * inner : -1;
            double nearest2 = double.MaxValue;
            bool done = false;
            for (int n = 0; n < count; n++)
            {
                int i = n == 0 ? hint : n == hint ? 0 : n;
                if (!centres.IsEmpty && Far(g, centres[i], radii[i], _max))
                {
                    continue; // farther than the bound: matters neither for the early exit nor for the refusal test
                }

                double d2 = TriangleDistance.Squared(g, cover[3 * i], cover[(3 * i) + 1], cover[(3 * i) + 2]);
                if (d2 <= inner2)
                {
                    hint = i;
                    done = true;
                    break;
                }

                nearest2 = Math.Min(nearest2, d2);
            }

            if (done)
            {
                continue;
            }

            if (nearest2 > _max2 || depth == MaxDepth)
            {
                return false;
            }

            Vector3D xy = (x + y) * 0.5, yz = (y + z) * 0.5, zx = (z + x) * 0.5;
            Push(ref top, x, xy, zx, depth + 1);
            Push(ref top, xy, y, yz, depth + 1);
            Push(ref top, zx, yz, z, depth + 1);
            Push(ref top, xy, yz, zx, depth + 1);
        }

        return true;
    }

    /// <summary>
    /// Whether the piece (x, y, z) is within the bound of two covering triangles that share an edge (see
    /// <see cref="PairCover"/>): the triangles are the first that cover its corners. Tried when no single triangle covers
    /// the piece: an input triangle that straddles an edge of the new surface is then proved with a handful of distances
    /// instead of being subdivided.
    /// </summary>
    private bool CoveredByPair(Vector3D x, Vector3D y, Vector3D z, ReadOnlySpan<Vector3D> cover, ReadOnlySpan<Vector3D> centres, ReadOnlySpan<double> radii, int hint, out double corners2)
    {
        corners2 = 0;
        int i = CoveringTriangle(x, cover, centres, radii, hint, -1, out double dx);
        if (i < 0)
        {
            return false;
        }

        int j = -1;
        double dy = PairCover.Distance2(y, cover, i);
        if (dy > _max2 && (j = CoveringTriangle(y, cover, centres, radii, hint, i, out dy)) < 0)
        {
            return false;
        }

        double dz = PairCover.Distance2(z, cover, i);
        if (dz > _max2)
        {
            if (j < 0)
            {
                j = CoveringTriangle(z, cover, centres, radii, hint, i, out dz);
            }
            else
            {
                dz = PairCover.Distance2(z, cover, j);
            }

            if (j < 0 || dz > _max2)
            {
                return false;
            }
        }

        corners2 = Math.Max(dx, Math.Max(dy, dz));
        return j < 0 || PairCover.Covers(x, y, z, cover, i, j, _max2); // j < 0: all three within triangle i (convexity)
    }

    /// <summary>The first covering triangle (the hint first, <paramref name="skip"/> never) within the bound of q, and q's squared distance to it; -1 when none.</summary>
    private int CoveringTriangle(Vector3D q, ReadOnlySpan<Vector3D> cover, ReadOnlySpan<Vector3D> centres, ReadOnlySpan<double> radii, int hint, int skip, out double distance2)
    {
        int count = cover.Length / 3;
        for (int n = 0; n < count; n++)
        {
            int i = n == 0 ? hint : n == hint ? 0 : n;
            if (i == skip || (!centres.IsEmpty && Far(q, centres[i], radii[i], _max)))
            {
                continue;
            }

            distance2 = PairCover.Distance2(q, cover, i);
            if (distance2 <= _max2)
            {
                return i;
            }
        }

        distance2 = double.MaxValue;
        return -1;
    }


    /// <summary>Whether a point is certainly farther than <paramref name="bound"/> from everything inside a sphere.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static bool Far(Vector3D q, Vector3D centre, double radius, double bound)
    {
        double reach = radius + bound;
        return Length2(q - centre) > reach * reach;
    }

    private static double Nearest2(Vector3D q, ReadOnlySpan<Vector3D> cover)
    {
        double best = double.MaxValue;
        for (int i = 0; i + 2 < cover.Length; i += 3)
        {
            best = Math.Min(best, TriangleDistance.Squared(q, cover[i], cover[i + 1], cover[i + 2]));
        }

        return best;
    }

    private void Push(ref int top, Vector3D a, Vector3D b, Vector3D c, int depth)
    {
        _stack[3 * top] = a;
        _stack[(3 * top) + 1] = b;
        _stack[(3 * top) + 2] = c;
        _stackDepth[top] = depth;
        top++;
    }

    /// <summary>The centroid of the triangle (a, b, c) and, in <paramref name="radius"/>, its largest distance to a corner: a sphere holding the triangle.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static Vector3D BoundingSphere(Vector3D a, Vector3D b, Vector3D c, out double radius)
    {
        Vector3D g = (a + b + c) / 3;
        radius = Math.Sqrt(Math.Max(Length2(a - g), Math.Max(Length2(b - g), Length2(c - g))));
        return g;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static double Length2(Vector3D v) => (v.X * v.X) + (v.Y * v.Y) + (v.Z * v.Z);
}
