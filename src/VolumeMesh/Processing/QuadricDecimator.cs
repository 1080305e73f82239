using System.Numerics;
using VolumeMesh.Geometry;
using VolumeMesh.Meshing;

namespace VolumeMesh.Processing;

/// <summary>
/// One run of quadric edge-collapse decimation (Garland &amp; Heckbert 1997): the state of the run (fans, positions,
/// quadrics, flags, change stamps) and the collapse itself, checked by <see cref="CollapseValidity"/>, placed by
/// <see cref="CollapsePlacement"/> and committed here. The order of collapses is a scheduler's:
/// <see cref="QueueScheduler"/> (strict cost order) or <see cref="SlabPassScheduler"/> (passes, in parallel slabs).
/// </summary>
internal sealed class QuadricDecimator
{
    /// <summary>Meshes of this many triangles or more collapse in passes unless <see cref="UsePasses"/> says otherwise.</summary>
    internal const int PassThreshold = 100_000;

    private readonly DecimationOptions _options;
    private int _vertexCount;
    private readonly TriangleFans _fans;
    private readonly int[] _tri;
    private readonly bool[] _triDead;
    private readonly int[] _refStart;
    private readonly int[] _refCount;
    private readonly Vector3D[] _pos;
    private readonly double[] _q;
    private readonly byte[] _flags;
    private readonly int[] _touched;
    private readonly int[] _mark;
    private readonly int _inputTriangles;
    private readonly CollapsePlacement _placement;
    private readonly CollapseValidity _validity;
    private readonly ErrorTracker? _tracker;
    private ICollapseScheduler? _scheduler;

    /// <summary>Takes the state of a run on <paramref name="mesh"/>; every parallel step uses at most <paramref name="maxThreads"/> threads (null: the runtime's choice).</summary>
    public QuadricDecimator(Mesh mesh, DecimationOptions options, int? maxThreads)
    {
        _options = options;
        Parallel = new ParallelOptions { MaxDegreeOfParallelism = maxThreads ?? -1 };
        _vertexCount = mesh.VertexCount;
        _pos = new Vector3D[_vertexCount];
        Vector3[] vertices = mesh.Vertices;
        System.Threading.Tasks.Parallel.For(0, (_vertexCount + 65535) / 65536, Parallel, chunk =>
        {
            int end = Math.Min(_vertexCount, (chunk + 1) * 65536);
            for (int i = chunk * 65536; i < end; i++)
            {
                Vector3 v = vertices[i];
                _pos[i] = new Vector3D(v.X, v.Y, v.Z);
            }
        });

        // Keep triangles with three distinct corners (counted, then copied, in parallel chunks in triangle order).
        int[] tri = DistinctCornerTriangles(mesh.Indices, mesh.TriangleCount, Parallel);
        int kept = tri.Length / 3;
        _inputTriangles = kept;
        LiveTriangles = kept;
        _flags = new byte[_vertexCount];
        _touched = new int[_vertexCount];
        _mark = new int[_vertexCount];

        // Exact size, not zeroed (Quadric.AccumulateAll clears each vertex's quadric) and not from ArrayPool.Shared, so that
        // nothing stays parked in a process-wide pool after the run (issue 10).
        _q = GC.AllocateUninitializedArray<double>(Math.Max(1, Quadric.Size * _vertexCount));
        _fans = new TriangleFans(tri, _vertexCount, growable: true);
        _tri = tri;
        _triDead = _fans.Dead;
        _refStart = _fans.Start;
        _refCount = _fans.Count;
        _placement = new CollapsePlacement(_pos, _q, _flags, options);
        _validity = new CollapseValidity(_fans, _pos, _flags, _mark, options);

        if (options.MaxErrorMm is double maxError)
        {
            _tracker = new ErrorTracker(_pos, _fans, _flags, maxError, Parallel);
            Serial.Tracker = _tracker;
        }
    }

    /// <summary>A scheduler for the next collapses (see <see cref="UsePasses"/>), which refusals are reported to.</summary>
    private ICollapseScheduler NewScheduler()
    {
        _scheduler = UsePasses ?? (_inputTriangles >= PassThreshold)
            ? new SlabPassScheduler(this, SlabVertices)
            : new QueueScheduler(this);
        return _scheduler;
    }

    /// <summary>The corner triples of the triangles with three distinct corners, in their order.</summary>
    private static int[] DistinctCornerTriangles(int[] idx, int triangleCount, ParallelOptions parallel)
    {
        const int chunkTriangles = 65_536;
        int chunks = Math.Max(1, (triangleCount + chunkTriangles - 1) / chunkTriangles);
        var offsets = new int[chunks + 1];
        System.Threading.Tasks.Parallel.For(0, chunks, parallel, chunk =>
        {
            int kept = 0, end = Math.Min(triangleCount, (chunk + 1) * chunkTriangles);
            for (int t = chunk * chunkTriangles; t < end; t++)
            {
                int a = idx[3 * t], b = idx[(3 * t) + 1], c = idx[(3 * t) + 2];
                if (a != b && b != c && a != c)
                {
                    kept++;
                }
            }

            offsets[chunk + 1] = kept;
        });

        for (int chunk = 0; chunk < chunks; chunk++)
        {
            offsets[chunk + 1] += offsets[chunk];
        }

        var tri = GC.AllocateUninitializedArray<int>(3 * offsets[chunks]);
        System.Threading.Tasks.Parallel.For(0, chunks, parallel, chunk =>
        {
            int next = 3 * offsets[chunk], end = Math.Min(triangleCount, (chunk + 1) * chunkTriangles);
            for (int t = chunk * chunkTriangles; t < end; t++)
            {
                int a = idx[3 * t], b = idx[(3 * t) + 1], c = idx[(3 * t) + 2];
                if (a != b && b != c && a != c)
                {
                    tri[next++] = a;
                    tri[next++] = b;
                    tri[next++] = c;
                }
            }
        });

        return tri;
    }

    /// <summary>
    /// Whether to collapse in passes (<see cref="SlabPassScheduler"/>) rather than in strict cost order from a queue
    /// (<see cref="QueueScheduler"/>): by default for meshes of <see cref="PassThreshold"/> triangles or more.
    /// </summary>
    internal bool? UsePasses { get; set; }

    /// <summary>
    /// Vertices per slab of a parallel pass (see <see cref="SlabPassScheduler"/>); null (the default): chosen each pass
    /// from how far apart in index the candidates' endpoints lie. Meshes of fewer than two slabs sweep serially.
    /// </summary>
    internal int? SlabVertices { get; set; }

    /// <summary>The smallest slab of an adaptive size (see <see cref="SlabPassScheduler"/>; tests lower it).</summary>
    internal int MinSlabVertices { get; set; } = SlabPassScheduler.DefaultMinSlabVertices;

    /// <summary>
    /// The options of every parallel loop of the run: at most the constructor's <c>maxThreads</c> threads (null: the
    /// runtime's choice); the result does not depend on them.
    /// </summary>
    internal ParallelOptions Parallel { get; }

    /// <summary>How many times the error tracker splits an input triangle no single fan covers when the exact checks take over (tests lower it).</summary>
    internal int SplitLevels { get; set; } = ErrorTracker.DefaultSplitLevels;

    /// <summary>The number of vertices.</summary>
    public int VertexCount => _vertexCount;

    /// <summary>The fans of the current surface.</summary>
    public TriangleFans Fans => _fans;

    /// <summary>Each vertex's <see cref="VertexFlags"/>.</summary>
    public byte[] Flags => _flags;

    /// <summary>
    /// When each vertex last changed: the collapse count (serial) or the pass's stamp (parallel) at which it became a
    /// survivor; <see cref="int.MaxValue"/> once removed. A candidate is current while both its ends are no newer.
    /// </summary>
    public int[] Touched => _touched;

    /// <summary>Per-vertex marks, stamped by the sweeps (see <see cref="CollapseSweep.Stamp"/>).</summary>
    public int[] Marks => _mark;

    /// <summary>Survivors, positions and costs of collapses.</summary>
    public CollapsePlacement Placement => _placement;

    /// <summary>The error tracker, or null without an error bound.</summary>
    public ErrorTracker? Tracker => _tracker;

    /// <summary>The serial sweep over all vertices (queue mode, and passes near the target).</summary>
    public CollapseSweep Serial { get; } = new();

    /// <summary>Triangles of the input with three distinct corners: where progress counts from.</summary>
    public int InputTriangles => _inputTriangles;

    /// <summary>Triangles left.</summary>
    public int LiveTriangles { get; set; }

    /// <summary>Collapses made.</summary>
    public int Collapses { get; set; }

    /// <summary>The largest quadric error per unit weight of the collapses of parallel sweeps, squared.</summary>
    public double MaxQuadricError2 { get; set; }

    /// <summary>Every mark written so far is at most this.</summary>
    public int StampBase { get; set; }

    public DecimationResult Run(int targetTriangles, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        VertexClassifier.ClassifyAll(_fans, _options.LockedVertices, _flags, Parallel);
        Quadric.AccumulateAll(_fans, _pos, _flags, _options, _q, Parallel);
        DecimationStopReason reason = NewScheduler().Run(targetTriangles, progress, cancellationToken);

        // With an error bound, the collapses the successive mapping alone proves come first (cheap, see ErrorTracker);
        // where it is too loose to go on, the exact checks take over from the surface reached.
        int? exactFrom = null;
        if (reason == DecimationStopReason.NoValidCollapse && _tracker is { Exact: false })
        {
            _tracker.SplitLevels = SplitLevels;
            if (_tracker.BeginExact(_fans, _pos, _flags, Parallel))
            {
                exactFrom = LiveTriangles;
                reason = NewScheduler().Run(targetTriangles, progress, cancellationToken);
            }
        }

        progress?.Report(1.0);
        Mesh built = BuildMesh();
        _fans.ReleaseBuffers();

        return new DecimationResult
        {
            Mesh = built,
            TrianglesBefore = _inputTriangles,
            TrianglesAfter = LiveTriangles,
            Collapses = Collapses,
            MaxQuadricErrorMm = Math.Sqrt(Math.Max(MaxQuadricError2, Serial.MaxError2)),
            MeasuredErrorMm = _tracker?.MaxMeasured,
            StopReason = reason,
            ExactFromTriangles = exactFrom,
            AttachedPieces = _tracker?.AttachedPieces ?? 0,
            LockedVertices = _tracker?.LockedVertices ?? 0,
        };
    }

    /// <summary>
    /// Renumbers the live vertices and triangles in their order, so that the state of the run lies densely in memory
    /// again (the later passes, whose collapses lie scattered over arrays sized for the input, then touch fewer cache
    /// lines); returns the vertices' renumbering, for the scheduler's own state. Between passes only, and not once the
    /// error tracker's exact phase has begun. The order of vertices, triangles and fans is kept, so the run goes on as
    /// it would have, up to the slabs' bounds, which are numbers of vertices.
    /// </summary>
    internal Renumbering Renumber()
    {
        byte[] flags = _flags;
        bool[] triDead = _triDead;
        var vertices = new Renumbering(_vertexCount, v => (flags[v] & VertexFlags.Dead) == 0, Parallel);
        var triangles = new Renumbering(_fans.TriangleCount, t => !triDead[t], Parallel);
        vertices.Apply(_pos);
        vertices.Apply(_q, Quadric.Size);
        vertices.Apply(_flags);
        vertices.Apply(_touched);
        vertices.Apply(_mark);
        _tracker?.Renumber(vertices, triangles, Parallel);
        _fans.Renumber(vertices, triangles, Parallel);
        triangles.Apply(_tri, 3, vertices);
        _vertexCount = vertices.LiveCount;
        return vertices;
    }

    /// <summary>Writes the distinct neighbours of v with a larger index that are not frozen into nbrs; returns their count.</summary>
    public int HigherNeighbours(int v, Span<int> nbrs)
    {
        int count = 0;
        if ((_flags[v] & (VertexFlags.Boundary | VertexFlags.Frozen)) == 0)
        {
            // The fan of an interior manifold vertex (classified so, and kept so by the link condition) is one consistently
            // oriented cycle: each neighbour follows v in exactly one of its triangles, so no neighbour needs deduplicating.
            foreach (int t in _fans.Fan(v))
            {
                int i = 3 * t;
                int u = _tri[i] == v ? _tri[i + 1] : _tri[i + 1] == v ? _tri[i + 2] : _tri[i];
                if (u > v && (_flags[u] & VertexFlags.Frozen) == 0)
                {
                    nbrs[count++] = u;
                }
            }

            return count;
        }

        foreach (int t in _fans.Fan(v))
        {
            for (int k = 0; k < 3; k++)
            {
                int u = _tri[(3 * t) + k];
                if (u <= v || (_flags[u] & VertexFlags.Frozen) != 0 || nbrs[..count].Contains(u))
                {
                    continue;
                }

                nbrs[count++] = u;
            }
        }

        return count;
    }

    /// <summary>
    /// Collapses the edge (a, b) when that is valid, within the sweep's range and within the error bound;
    /// <paramref name="queuedCost"/> is the cost the scheduler saw, which a fallback position may not exceed by much.
    /// </summary>
    public bool TryCollapse(CollapseSweep w, int a, int b, float queuedCost)
    {
        if (((_flags[a] | _flags[b]) & VertexFlags.Frozen) != 0)
        {
            return false;
        }

        if (!w.Global)
        {
            // A parallel sweep owns the vertices [Lo, Hi): it may only collapse an edge whose whole neighbourhood
            // (the corners of both fans) lies there, so no other sweep reads or writes anything this collapse touches.
            // Others are deferred to a later pass, whose slabs are shifted.
            uint first = (uint)w.Lo, width = (uint)(w.Hi - w.Lo);
            if ((uint)b - first >= width || (uint)a - first >= width)
            {
                return false;
            }

            // Both fans are this sweep's (their triangles hold a or b): the link-condition loops check their corners.
            if (w.RefsNext + _refCount[a] + _refCount[b] > w.RefsEnd)
            {
                return false;
            }
        }

        int s = _placement.Survivor(a, b, out bool pinned);
        if (s < 0)
        {
            return false;
        }

        // The placement reads both quadrics and positions after the topology walk: requested now, they arrive during it.
        _placement.Prefetch(a);
        _placement.Prefetch(b);

        int r = s == a ? b : a;
        if (!_validity.TopologyAllows(w, s, r, out int t1, out int t2, out int c1, out int c2))
        {
            return false;
        }

        _placement.Place(s, r, pinned, w, out Vector3D p, out double cost);

        if (!_validity.StarAcceptable(w, s, r, t1, t2, p))
        {
            // The optimal position would fold or thin a triangle: try the midpoint and the endpoints before refusing.
            if (pinned)
            {
                return false;
            }

            Vector3D ps = _pos[s], pr = _pos[r];
            Vector3D mid = (ps + pr) * 0.5;
            if (_validity.StarAcceptable(w, s, r, t1, t2, mid))
            {
                p = mid;
            }
            else if (_validity.StarAcceptable(w, s, r, t1, t2, ps))
            {
                p = ps;
            }
            else if (_validity.StarAcceptable(w, s, r, t1, t2, pr))
            {
                p = pr;
            }
            else
            {
                return false;
            }

            // Only when it costs not much more than the queue promised: otherwise wait for the retry at a higher cost.
            double fallbackCost = _placement.QuadricCost(s, r, p);
            double edge2 = Vector3D.Dot(pr - ps, pr - ps);
            if (fallbackCost > (4.0 * queuedCost) + (0.0025 * edge2 * (_placement.Weight(s) + _placement.Weight(r))))
            {
                return false;
            }

            cost = fallbackCost;
        }

        if (w.Tracker != null && !w.Tracker.Check(s, r, p, w.StarTris.AsSpan(0, w.StarCount), t1, t2, _fans, _pos))
        {
            _scheduler!.RefusedByErrorBound(a, b);
            return false;
        }

        Commit(w, s, r, p, t1, t2, c1, c2);
        double weight = _placement.Weight(s);
        w.MaxError2 = Math.Max(w.MaxError2, weight > 0 ? cost / weight : 0);
        return true;
    }

    private void Commit(CollapseSweep w, int s, int r, Vector3D p, int t1, int t2, int c1, int c2)
    {
        _triDead[t1] = true;
        _fans.Remove(c1, t1);
        int removed = 1;
        if (t2 >= 0)
        {
            _triDead[t2] = true;
            _fans.Remove(c2, t2);
            removed++;
        }

        w.Tracker?.Commit(s, r);

        // The survivor's new fan: its own live triangles and r's, appended at the end of the reference buffer
        // (a parallel sweep appends in its own region of it, sized before the pass).
        int needed = _refCount[s] + _refCount[r];
        int start;
        if (w.Global)
        {
            if (_fans.Used + needed > _fans.Refs.Length)
            {
                _fans.Compact(needed, Parallel);
            }

            start = _fans.Used;
        }
        else
        {
            start = w.RefsNext;
        }

        // The fans as TopologyAllows gathered them, less the edge's triangles.
        int[] refs = _fans.Refs;
        FanCorner[] gathered = w.Fans;
        int count = 0;
        for (int i = 0; i < w.FanCount; i++)
        {
            int t = gathered[i].Triangle;
            if (t != t1 && t != t2)
            {
                refs[start + count++] = t;
                if (i >= w.FanSplit)
                {
                    _tri[(3 * t) + gathered[i].Corner] = s;
                }
            }
        }

        if (w.Global)
        {
            _fans.Used += count;
        }
        else
        {
            w.RefsNext += count;
        }

        _refStart[s] = start;
        _refCount[s] = count;
        _refCount[r] = 0;

        _pos[s] = p;
        Span<double> qs = _q.AsSpan(Quadric.Size * s, Quadric.Size);
        ReadOnlySpan<double> qr = _q.AsSpan(Quadric.Size * r, Quadric.Size);
        for (int i = 0; i < Quadric.Size; i++)
        {
            qs[i] += qr[i];
        }

        _flags[s] |= (byte)(_flags[r] & VertexFlags.Boundary);
        _flags[r] = VertexFlags.Dead;
        _touched[r] = int.MaxValue;
        if (w.Global)
        {
            LiveTriangles -= removed;
            Collapses++;
            _touched[s] = Collapses;
        }
        else
        {
            w.Removed += removed;
            w.Collapses++;
            _touched[s] = w.TouchValue;
        }

        // New candidates: the scheduler's (every edge of the survivor, or its fan to evaluate again).
        int stamp = ++w.Stamp;
        _mark[s] = stamp;
        _scheduler!.Collapsed(w, s, r, stamp);
    }

    private Mesh BuildMesh()
    {
        var remap = new int[_vertexCount];
        Array.Fill(remap, -1);
        var indices = new int[3 * LiveTriangles];
        int n = 0, vertices = 0;
        for (int t = 0; t < _fans.TriangleCount; t++)
        {
            if (_triDead[t])
            {
                continue;
            }

            for (int k = 0; k < 3; k++)
            {
                int v = _tri[(3 * t) + k];
                if (remap[v] < 0)
                {
                    remap[v] = vertices++;
                }

                indices[n++] = remap[v];
            }
        }

        var positions = new Vector3[vertices];
        for (int v = 0; v < _vertexCount; v++)
        {
            if (remap[v] >= 0)
            {
                Vector3D p = _pos[v];
                positions[remap[v]] = new Vector3((float)p.X, (float)p.Y, (float)p.Z);
            }
        }

        return new Mesh(positions, indices);
    }
}
