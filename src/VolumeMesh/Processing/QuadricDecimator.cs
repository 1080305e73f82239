using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using VolumeMesh.Geometry;
using VolumeMesh.Meshing;

namespace VolumeMesh.Processing;

/// <summary>
/// One run of quadric edge-collapse decimation (Garland &amp; Heckbert 1997) over flat arrays: triangles as corner
/// triples, each vertex's incident triangles as a slice of one shared reference buffer, a bucket queue of edge
/// collapses with lazy invalidation, and scratch buffers reused by every collapse.
/// </summary>
internal sealed class QuadricDecimator
{
    private const byte BoundaryFlag = 1;   // the vertex lies on an open edge
    private const byte FrozenFlag = 2;     // non-manifold neighbourhood: never moved or removed
    private const byte DeadFlag = 4;       // removed by a collapse, or referenced by no triangle
    private const byte LockedFlag = 8;     // DecimationOptions.LockedVertices: never moved; collapses only into it
    private const int MaxValence = 96;     // larger fans are frozen (never seen on meshes from volumes)
    private const int QuadricSize = 11;    // A (6), b (3), c, weight
    private const int MaxRetries = 3;
    private const double SliverQuality = 0.05; // below this a triangle's normal is not trusted      // a refused collapse is tried again at most this often

    private readonly DecimationOptions _options;
    private readonly int _vertexCount;
    private readonly Vector3D[] _pos;
    private readonly double[] _q;
    private readonly int[] _tri;
    private readonly bool[] _triDead;
    private readonly int[] _refStart;
    private readonly int[] _refCount;
    private readonly byte[] _flags;
    private readonly int[] _touched;
    private readonly int[] _mark;
    private readonly double _cosMaxNormalChange;
    private readonly int _inputTriangles;
    private int[] _refs;
    private int[] _refsSpare;
    private int _refsUsed;
    private int _liveTriangles;
    private int _collapses;
    private double _maxQuadricError2;
    private CollapseQueue? _heap;
    private bool[]? _dirty; // pass mode: vertices whose cheapest edge must be evaluated again

    private int _stampBase; // every mark written so far is at most this

    /// <summary>Serial sweeps (queue mode, and passes near the target) use this one context over the whole vertex range.</summary>
    private readonly Sweep _serial = new();

    private readonly ErrorTracker? _tracker;

    /// <summary>Error trackers for parallel sweeps (one per slab being swept at a time; see <see cref="ErrorTracker.CreateWorker"/>).</summary>
    private readonly Stack<ErrorTracker> _idleWorkers = new();
    private readonly List<ErrorTracker> _allWorkers = [];

    // Pass mode with an error bound: the pass in which each vertex's cheapest edge was last refused by the error check
    // (0: not refused), that edge's other end, and the last pass that changed each vertex's one-ring (see StillRefused).
    private int[]? _refusedPass;
    private int[]? _refusedOther;
    private int[]? _changedPass;
    private int _passIndex;

    public QuadricDecimator(Mesh mesh, DecimationOptions options)
    {
        _options = options;
        _vertexCount = mesh.VertexCount;
        _pos = new Vector3D[_vertexCount];
        Vector3[] vertices = mesh.Vertices;
        Parallel.For(0, (_vertexCount + 65535) / 65536, chunk =>
        {
            int end = Math.Min(_vertexCount, (chunk + 1) * 65536);
            for (int i = chunk * 65536; i < end; i++)
            {
                Vector3 v = vertices[i];
                _pos[i] = new Vector3D(v.X, v.Y, v.Z);
            }
        });

        // Keep triangles with three distinct corners.
        int[] idx = mesh.Indices;
        int kept = 0;
        for (int t = 0; t < mesh.TriangleCount; t++)
        {
            int a = idx[3 * t], b = idx[(3 * t) + 1], c = idx[(3 * t) + 2];
            if (a != b && b != c && a != c)
            {
                kept++;
            }
        }

        _tri = new int[3 * kept];
        kept = 0;
        for (int t = 0; t < mesh.TriangleCount; t++)
        {
            int a = idx[3 * t], b = idx[(3 * t) + 1], c = idx[(3 * t) + 2];
            if (a != b && b != c && a != c)
            {
                _tri[3 * kept] = a;
                _tri[(3 * kept) + 1] = b;
                _tri[(3 * kept) + 2] = c;
                kept++;
            }
        }

        _inputTriangles = kept;
        _liveTriangles = kept;
        _triDead = new bool[kept];
        _refStart = new int[_vertexCount];
        _refCount = new int[_vertexCount];
        _flags = new byte[_vertexCount];
        _touched = new int[_vertexCount];
        _mark = new int[_vertexCount];
        // The two largest buffers come from the shared pool: fresh memory costs a page fault per page on first touch,
        // which on large meshes is a good part of the run. They are returned at the end of Run.
        _q = ArrayPool<double>.Shared.Rent(Math.Max(1, QuadricSize * _vertexCount)); // cleared per vertex in ComputeQuadrics
        _cosMaxNormalChange = Math.Cos(Math.Clamp(options.MaxNormalChangeDegrees, 1e-3, 90) * Math.PI / 180);

        // Vertex → triangle references (CSR), with room to append the merged fans of collapses.
        for (int i = 0; i < _tri.Length; i++)
        {
            _refCount[_tri[i]]++;
        }

        int capacity = Math.Max(64, 2 * _tri.Length);
        _refs = ArrayPool<int>.Shared.Rent(capacity);
        _refsSpare = []; // allocated by the first compaction
        int offset = 0;
        for (int v = 0; v < _vertexCount; v++)
        {
            _refStart[v] = offset;
            offset += _refCount[v];
            _refCount[v] = 0;
        }

        for (int t = 0; t < kept; t++)
        {
            for (int k = 0; k < 3; k++)
            {
                int v = _tri[(3 * t) + k];
                _refs[_refStart[v] + _refCount[v]++] = t;
            }
        }

        _refsUsed = offset;

        if (options.MaxErrorMm is double maxError)
        {
            _tracker = new ErrorTracker(_pos, _tri, _vertexCount, _refStart, _refCount, _refs, maxError);
            _serial.Tracker = _tracker;
        }
    }

    /// <summary>
    /// Whether to collapse in passes (see <see cref="RunPasses"/>) rather than in strict cost order from a queue: by
    /// default for meshes of <see cref="PassThreshold"/> triangles or more (with or without an error bound).
    /// </summary>
    internal bool? UsePasses { get; set; }

    internal const int PassThreshold = 100_000;

    /// <summary>Vertices per slab of a parallel pass (see <see cref="SweepSlabs"/>); meshes of fewer than two slabs sweep serially.</summary>
    internal int SlabVertices { get; set; } = 16_384;

    /// <summary>The most threads a parallel step uses (null: the runtime's choice); the result does not depend on it.</summary>
    internal int? MaxThreads { get; set; }

    /// <summary>Passes sweep serially once fewer triangles than this remain to be removed (the slabs' budgets would be too small).</summary>
    private const int SerialFinish = 2048;

    private int _parallelPasses;
    private bool _slabsUnhelpful;

    /// <summary>
    /// The state of one sweep of collapses: the vertex range it owns (all of it for a serial sweep), its marking stamp,
    /// scratch, and (for a parallel sweep) its counts and its region of the reference buffer, merged after the pass.
    /// </summary>
    private sealed class Sweep
    {
        public bool Global = true;
        public int Lo;
        public int Hi;
        public int Stamp;
        public int[] StarTris = new int[256];
        public int StarCount;
        public int Collapses;
        public int Removed;
        public double MaxError2;
        public int RefsNext;
        public int RefsEnd;
        public int TouchValue;
        public int Budget;
        public int Deferred;
        public ErrorTracker? Tracker;

        public void Reset(int lo, int hi, int stamp)
        {
            Lo = lo;
            Hi = hi;
            Stamp = Math.Max(Stamp, stamp);
        }
    }

    public DecimationResult Run(int targetTriangles, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        ClassifyVertices();
        ComputeQuadrics();
        DecimationStopReason reason = UsePasses ?? (_inputTriangles >= PassThreshold)
            ? RunPasses(targetTriangles, progress, cancellationToken)
            : RunQueue(targetTriangles, progress, cancellationToken);

        progress?.Report(1.0);
        foreach (ErrorTracker worker in _allWorkers)
        {
            _tracker!.Absorb(worker);
        }

        Mesh built = BuildMesh();
        ArrayPool<double>.Shared.Return(_q);
        ArrayPool<int>.Shared.Return(_refs);
        if (_refsSpare.Length > 0)
        {
            ArrayPool<int>.Shared.Return(_refsSpare);
        }

        return new DecimationResult
        {
            Mesh = built,
            TrianglesBefore = _inputTriangles,
            TrianglesAfter = _liveTriangles,
            Collapses = _collapses,
            MaxQuadricErrorMm = Math.Sqrt(Math.Max(_maxQuadricError2, _serial.MaxError2)),
            MeasuredErrorMm = _tracker?.MaxMeasured,
            StopReason = reason,
        };
    }

    /// <summary>
    /// Collapses in passes, cache-friendly on large meshes: each pass evaluates every vertex's cheapest edge to a
    /// higher-numbered neighbour (in parallel), picks a cost threshold from a histogram so that a bounded share of the
    /// remaining work qualifies, and sweeps the vertices in index order, collapsing each qualifying edge whose endpoints
    /// this pass has not yet changed (their costs are still exact). Low-cost collapses still come first, within the
    /// resolution of the threshold; refused ones are simply evaluated again in the next pass.
    /// </summary>
    private DecimationStopReason RunPasses(int targetTriangles, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        int toRemove = Math.Max(1, _liveTriangles - targetTriangles);
        int startTriangles = _liveTriangles;
        var bestCost = new float[_vertexCount];
        var bestOther = new int[_vertexCount];
        _dirty = new bool[_vertexCount];
        Array.Fill(_dirty, true);
        var histogram = new int[CollapseQueue.Buckets];
        bool everything = false;
        int refused = 0;
        int lastPassStart = -1;
        if (_tracker != null)
        {
            _refusedPass = new int[_vertexCount];
            _refusedOther = new int[_vertexCount];
            _changedPass = new int[_vertexCount];
        }

        while (_liveTriangles > targetTriangles)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _passIndex++;
            int candidates = EvaluateBestEdges(bestCost, bestOther, lastPassStart);
            if (candidates == 0)
            {
                return DecimationStopReason.NoValidCollapse;
            }

            // Aim at all the remaining collapses, at most half of the candidates (the cheaper half): later passes see
            // the costs that these collapses change. (Smaller shares mean more passes at no gain in the measured error.)
            int needed = (_liveTriangles - targetTriangles + 1) / 2;
            // Candidates refused in the last pass will mostly be refused again: let the threshold reach past them.
            int wanted = Math.Max(1, Math.Min(Math.Max(needed, 4096), candidates / 2) + refused);
            int below = candidates;
            float threshold = everything ? float.PositiveInfinity : Threshold(bestCost, histogram, wanted, out below);

            int passStart = _collapses;
            lastPassStart = passStart;
            bool parallel = !everything && !_slabsUnhelpful && _vertexCount >= 2 * SlabVertices
                && _liveTriangles - targetTriangles >= SerialFinish;
            refused = parallel
                ? SweepSlabs(bestCost, bestOther, threshold, passStart, ++_parallelPasses, _liveTriangles - targetTriangles)
                : SweepSerial(bestCost, bestOther, threshold, passStart, targetTriangles);

            progress?.Report(Math.Min(1.0, (startTriangles - _liveTriangles) / (double)toRemove));
            if (_collapses == passStart)
            {
                if (everything)
                {
                    return DecimationStopReason.NoValidCollapse;
                }

                everything = true; // nothing below the threshold could go: try every candidate once
            }
            else
            {
                everything = false;
            }
        }

        return DecimationStopReason.TargetReached;
    }

    /// <summary>
    /// Each live vertex's cheapest edge to a higher-numbered, collapsible neighbour; returns how many vertices have one.
    /// A vertex that only changed because a neighbour did (after the pass that started at collapse
    /// <paramref name="changedAfter"/>; -1: evaluate all) keeps its cheapest edge unless that edge's other end
    /// changed, and compares it only with the edges to the neighbours that changed: the others' costs stand.
    /// </summary>
    private int EvaluateBestEdges(float[] bestCost, int[] bestOther, int changedAfter)
    {
        int chunks = (_vertexCount + 4095) / 4096;
        var counts = new int[chunks];
        Parallel.For(0, chunks, chunk =>
        {
            Span<int> nbrs = stackalloc int[2 * MaxValence];
            int end = Math.Min(_vertexCount, (chunk + 1) * 4096);
            int count = 0;
            bool[] dirty = _dirty!;
            for (int v = chunk * 4096; v < end; v++)
            {
                if (!dirty[v])
                {
                    // Neither v nor a neighbour changed since the last evaluation: its cheapest edge stands.
                    if (bestOther[v] >= 0)
                    {
                        count++;
                    }

                    continue;
                }

                dirty[v] = false;
                int previous = bestOther[v];
                if (changedAfter >= 0 && previous >= 0 && _touched[v] <= changedAfter && _touched[previous] <= changedAfter
                    && (_flags[v] & (DeadFlag | FrozenFlag)) == 0 && _refCount[v] <= MaxValence)
                {
                    int m = HigherNeighbours(v, nbrs);
                    float kept = bestCost[v];
                    for (int k = 0; k < m; k++)
                    {
                        int u = nbrs[k];
                        if (_touched[u] > changedAfter)
                        {
                            float cost = (float)EdgeCost(v, u);
                            if (cost < kept)
                            {
                                kept = cost;
                                previous = u;
                            }
                        }
                    }

                    bestCost[v] = kept;
                    bestOther[v] = previous;
                    count++;
                    continue;
                }

                bestOther[v] = -1;
                bestCost[v] = float.PositiveInfinity;
                if ((_flags[v] & (DeadFlag | FrozenFlag)) != 0 || _refCount[v] > MaxValence)
                {
                    continue;
                }

                int n = HigherNeighbours(v, nbrs);
                float best = float.PositiveInfinity;
                for (int k = 0; k < n; k++)
                {
                    float cost = (float)EdgeCost(v, nbrs[k]);
                    if (cost < best)
                    {
                        best = cost;
                        bestOther[v] = nbrs[k];
                    }
                }

                bestCost[v] = best;
                if (bestOther[v] >= 0)
                {
                    count++;
                }
            }

            counts[chunk] = count;
        });

        int total = 0;
        foreach (int c in counts)
        {
            total += c;
        }

        return total;
    }

    /// <summary>
    /// One pass over all vertices in index order on this thread: collapses each vertex's cheapest edge when it costs at
    /// most the threshold and neither endpoint changed this pass; returns how many were refused.
    /// </summary>
    private int SweepSerial(float[] bestCost, int[] bestOther, float threshold, int passStart, int targetTriangles)
    {
        Sweep w = _serial;
        w.Reset(0, _vertexCount, _stampBase);
        int refused = 0;
        for (int v = 0; v < _vertexCount && _liveTriangles > targetTriangles; v++)
        {
            int u = bestOther[v];
            if (u < 0 || bestCost[v] > threshold || _touched[v] > passStart || _touched[u] > passStart)
            {
                continue;
            }

            if ((_refusedPass != null && StillRefused(w, v, u)) || !TryCollapse(w, v, u, bestCost[v]))
            {
                refused++;
            }
        }

        _stampBase = Math.Max(_stampBase, w.Stamp);
        return refused;
    }

    /// <summary>
    /// One pass as <see cref="SweepSerial"/>, but over slabs of <see cref="SlabVertices"/> consecutive vertices in
    /// parallel (the vertex order of meshes from volumes is spatial, so a slab is a layer of the surface). A slab's
    /// sweep only collapses edges whose neighbourhood lies inside the slab, so the slabs never share data and the result
    /// does not depend on the number of threads; the slab bounds shift by half a slab every other pass so that the
    /// edges deferred at a bound are reached. The caller makes sure the pass cannot overshoot the target: at most
    /// one collapse per candidate below the threshold, two triangles each. Returns how many were refused or deferred.
    /// </summary>
    private int SweepSlabs(float[] bestCost, int[] bestOther, float threshold, int passStart, int passNumber, int allowance)
    {
        int size = SlabVertices;
        int shift = (passNumber & 1) == 0 ? 0 : size / 2;
        int slabs = ((_vertexCount + shift + size - 1) / size);
        var bounds = new int[slabs + 1];
        for (int k = 1; k < slabs; k++)
        {
            bounds[k] = (k * size) - shift;
        }

        bounds[slabs] = _vertexCount;

        // Each slab appends new fans in its own region of the reference buffer: at most the fans of both endpoints of
        // each of its candidates (fans of untouched vertices only shrink during the pass).
        var regions = new long[slabs + 1];
        var slabCandidates = new long[slabs];
        Parallel.For(0, slabs, new ParallelOptions { MaxDegreeOfParallelism = MaxThreads ?? -1 }, k =>
        {
            long need = 0;
            int count = 0;
            for (int v = bounds[k]; v < bounds[k + 1]; v++)
            {
                int u = bestOther[v];
                if (u >= 0 && bestCost[v] <= threshold)
                {
                    need += _refCount[v] + _refCount[u];
                    count++;
                }
            }

            regions[k + 1] = need;
            slabCandidates[k] = count;
        });

        // Each slab may remove at most its share (by candidates) of the triangles still to go, so that together they
        // cannot overshoot the target.
        long allCandidates = 0;
        foreach (long c in slabCandidates)
        {
            allCandidates += c;
        }

        for (int k = 0; k < slabs; k++)
        {
            regions[k + 1] += regions[k];
        }

        if (_refsUsed + regions[slabs] > _refs.Length)
        {
            CompactRefs((int)regions[slabs]);
        }

        var sweeps = new Sweep[slabs];
        for (int k = 0; k < slabs; k++)
        {
            var w = new Sweep
            {
                Global = false,
                TouchValue = passStart + 1,
                RefsNext = _refsUsed + (int)regions[k],
                RefsEnd = _refsUsed + (int)regions[k + 1],
                Budget = allCandidates == 0 ? 0 : (int)(allowance * slabCandidates[k] / allCandidates),
            };
            w.Reset(bounds[k], bounds[k + 1], _stampBase);
            sweeps[k] = w;
        }

        var refusedBySlab = new int[slabs];
        Parallel.For(0, slabs, new ParallelOptions { MaxDegreeOfParallelism = MaxThreads ?? -1 }, k =>
        {
            Sweep w = sweeps[k];
            w.Tracker = _tracker == null ? null : RentWorker();
            int refused = 0;
            for (int v = w.Lo; v < w.Hi && w.Removed + 2 <= w.Budget; v++)
            {
                int u = bestOther[v];
                if (u < 0 || bestCost[v] > threshold || _touched[v] > passStart || (uint)(u - w.Lo) >= (uint)(w.Hi - w.Lo) || _touched[u] > passStart)
                {
                    if (u >= 0 && bestCost[v] <= threshold && (uint)(u - w.Lo) >= (uint)(w.Hi - w.Lo))
                    {
                        refused++;
                        w.Deferred++;
                    }

                    continue;
                }

                if ((_refusedPass != null && StillRefused(w, v, u)) || !TryCollapse(w, v, u, bestCost[v]))
                {
                    refused++;
                }
            }

            refusedBySlab[k] = refused;
            if (w.Tracker != null)
            {
                lock (_idleWorkers)
                {
                    _idleWorkers.Push(w.Tracker);
                }
            }
        });

        int total = 0, deferred = 0, collapses = 0;
        for (int k = 0; k < slabs; k++)
        {
            Sweep w = sweeps[k];
            deferred += w.Deferred;
            collapses += w.Collapses;
            _liveTriangles -= w.Removed;
            _collapses += w.Collapses;
            _maxQuadricError2 = Math.Max(_maxQuadricError2, w.MaxError2);
            _stampBase = Math.Max(_stampBase, w.Stamp);
            total += refusedBySlab[k];
        }

        _refsUsed += (int)regions[slabs];

        // Where the vertex order is not spatial (edges mostly cross the slabs' bounds), the slabs only defer work:
        // sweep serially from then on.
        if (deferred > 4 * collapses)
        {
            _slabsUnhelpful = true;
        }

        return total;
    }

    /// <summary>
    /// Whether the error check refused collapsing v's edge to u in an earlier pass and nothing it reads has changed
    /// since: then it would refuse again, and the costly check is skipped. The check reads the state of v, u and their
    /// neighbours (positions, quadrics, fans, attachments) and the positions of the neighbours' neighbours; every
    /// collapse marks its survivor's new one-ring, which holds every vertex whose state it changed and every neighbour
    /// of a vertex it moved, so an unchanged one-ring of v and u means an unchanged input to the check. Only corners
    /// inside the sweep's range are read (a collapse reaching past it is refused by <see cref="TryCollapse"/> anyway).
    /// </summary>
    private bool StillRefused(Sweep w, int v, int u)
    {
        int pass = _refusedPass![v];
        if (pass == 0 || _refusedOther![v] != u)
        {
            return false;
        }

        int[] changed = _changedPass!;
        uint lo = (uint)w.Lo, span = (uint)(w.Hi - w.Lo);
        for (int e = 0; e < 2; e++)
        {
            foreach (int t in Fan(e == 0 ? v : u))
            {
                for (int k = 0; k < 3; k++)
                {
                    int x = _tri[(3 * t) + k];
                    if ((uint)x - lo >= span || changed[x] >= pass)
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    /// <summary>An error tracker no running slab uses (any will do: a check's answer does not depend on the worker).</summary>
    private ErrorTracker RentWorker()
    {
        lock (_idleWorkers)
        {
            if (_idleWorkers.Count > 0)
            {
                return _idleWorkers.Pop();
            }

            ErrorTracker worker = _tracker!.CreateWorker();
            _allWorkers.Add(worker);
            return worker;
        }
    }

    /// <summary>The smallest cost bucket bound below which at least <paramref name="wanted"/> candidates lie; <paramref name="below"/> is how many do.</summary>
    private float Threshold(float[] bestCost, int[] histogram, int wanted, out int below)
    {
        Array.Clear(histogram);
        for (int v = 0; v < _vertexCount; v++)
        {
            if (float.IsFinite(bestCost[v]))
            {
                histogram[CollapseQueue.BucketOf(bestCost[v])]++;
            }
        }

        int sum = 0;
        for (int b = 0; b < histogram.Length; b++)
        {
            sum += histogram[b];
            if (sum >= wanted)
            {
                below = sum;
                return CollapseQueue.UpperBound(b);
            }
        }

        below = sum;
        return float.PositiveInfinity;
    }

    private DecimationStopReason RunQueue(int targetTriangles, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        BuildHeap();
        CollapseQueue heap = _heap!;
        int toRemove = Math.Max(1, _liveTriangles - targetTriangles);
        int startTriangles = _liveTriangles;
        DecimationStopReason reason = DecimationStopReason.NoValidCollapse;
        var filter = new StampFilter(this);
        Sweep w = _serial;
        w.Reset(0, _vertexCount, _stampBase);
        int sinceCheck = 0;
        while (true)
        {
            if (_liveTriangles <= targetTriangles)
            {
                reason = DecimationStopReason.TargetReached;
                break;
            }

            if (heap.Count == 0)
            {
                break;
            }

            CollapseCandidate c = heap.Pop();
            if (!filter.IsValid(c))
            {
                continue;
            }

            if (!TryCollapse(w, c.A, c.B, c.Cost))
            {
                // Refused: the neighbourhood may change, so try again later, after the collapses now in reach.
                if (c.Retries < MaxRetries)
                {
                    c.Cost = CollapseQueue.Later(c.Cost);

                    c.Retries++;
                    heap.Push(c);
                }

                continue;
            }

            if (++sinceCheck >= 4096)
            {
                sinceCheck = 0;
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(Math.Min(1.0, (startTriangles - _liveTriangles) / (double)toRemove));
                if (heap.Count > 16384 && heap.Count > 12L * _liveTriangles)
                {
                    heap.Compact(ref filter);
                }
            }
        }

        return reason;
    }

    // A removed vertex is touched at int.MaxValue, so one read per endpoint decides.
    private bool IsCurrent(in CollapseCandidate c) => _touched[c.A] <= c.Stamp && _touched[c.B] <= c.Stamp;

    private readonly struct StampFilter(QuadricDecimator owner) : ICandidateFilter
    {
        public bool IsValid(in CollapseCandidate candidate) => owner.IsCurrent(candidate);
    }

    private ReadOnlySpan<int> Fan(int v) => new(_refs, _refStart[v], _refCount[v]);

    // ---------------------------------------------------------------- setup

    /// <summary>Marks boundary vertices, and freezes vertices whose fan is not a single consistently oriented disc or half-disc.</summary>
    private void ClassifyVertices()
    {
        Parallel.For(0, (_vertexCount + 4095) / 4096, chunk =>
        {
            Span<int> next = stackalloc int[MaxValence];
            Span<int> prev = stackalloc int[MaxValence];
            int end = Math.Min(_vertexCount, (chunk + 1) * 4096);
            IReadOnlyList<bool>? locked = _options.LockedVertices;
            for (int v = chunk * 4096; v < end; v++)
            {
                _flags[v] = Classify(v, next, prev);
                if (locked is not null && locked[v])
                {
                    _flags[v] |= LockedFlag;
                }
            }
        });

    }

    private byte Classify(int v, Span<int> next, Span<int> prev)
    {
        int deg = _refCount[v];
        if (deg == 0)
        {
            return DeadFlag;
        }

        if (deg > MaxValence)
        {
            return FrozenFlag;
        }

        ReadOnlySpan<int> fan = Fan(v);
        for (int k = 0; k < deg; k++)
        {
            int t = fan[k];
            int corner = CornerOf(t, v);
            next[k] = _tri[(3 * t) + ((corner + 1) % 3)];
            prev[k] = _tri[(3 * t) + ((corner + 2) % 3)];
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
                return FrozenFlag; // non-manifold or inconsistently oriented edge at v
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
            return FrozenFlag;
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
            return FrozenFlag;
        }

        return boundaryOut == 1 ? BoundaryFlag : (byte)0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int CornerOf(int t, int v) => _tri[3 * t] == v ? 0 : _tri[(3 * t) + 1] == v ? 1 : 2;

    private void ComputeQuadrics()
    {
        // Area-weighted face planes, accumulated per vertex from its fan (parallel, no write sharing).
        Parallel.For(0, (_vertexCount + 4095) / 4096, chunk =>
        {
            int end = Math.Min(_vertexCount, (chunk + 1) * 4096);
            for (int v = chunk * 4096; v < end; v++)
            {
                Span<double> q = _q.AsSpan(QuadricSize * v, QuadricSize);
                q.Clear();
                foreach (int t in Fan(v))
                {
                    Vector3D a = _pos[_tri[3 * t]], b = _pos[_tri[(3 * t) + 1]], c = _pos[_tri[(3 * t) + 2]];
                    Vector3D n = Vector3D.Cross(b - a, c - a);
                    double len = n.Length;
                    if (len == 0)
                    {
                        continue;
                    }

                    double area = len / 2;
                    n /= len;
                    AddPlane(q, n, -Vector3D.Dot(n, a), area);
                    q[10] += area;

                    // Boundary edges of this triangle that start or end at v: a plane through the edge, perpendicular to the face.
                    if (!_options.LockBoundary && (_flags[v] & BoundaryFlag) != 0)
                    {
                        int corner = CornerOf(t, v);
                        int nextV = _tri[(3 * t) + ((corner + 1) % 3)];
                        int prevV = _tri[(3 * t) + ((corner + 2) % 3)];
                        if (IsBoundaryEdge(v, nextV))
                        {
                            AddEdgePlane(q, _pos[v], _pos[nextV], n);
                        }

                        if (IsBoundaryEdge(v, prevV))
                        {
                            AddEdgePlane(q, _pos[v], _pos[prevV], n);
                        }
                    }
                }
            }
        });
    }

    private void AddEdgePlane(Span<double> q, Vector3D from, Vector3D to, Vector3D faceNormal)
    {
        Vector3D e = to - from;
        Vector3D m = Vector3D.Cross(e, faceNormal);
        double len = m.Length;
        if (len == 0)
        {
            return;
        }

        m /= len;
        AddPlane(q, m, -Vector3D.Dot(m, from), _options.BoundaryWeight * Vector3D.Dot(e, e));
    }

    private static void AddPlane(Span<double> q, Vector3D n, double d, double w)
    {
        q[0] += w * n.X * n.X;
        q[1] += w * n.X * n.Y;
        q[2] += w * n.X * n.Z;
        q[3] += w * n.Y * n.Y;
        q[4] += w * n.Y * n.Z;
        q[5] += w * n.Z * n.Z;
        q[6] += w * n.X * d;
        q[7] += w * n.Y * d;
        q[8] += w * n.Z * d;
        q[9] += w * d * d;
    }

    /// <summary>Whether the edge (v, u) has exactly one triangle, counted in v's fan.</summary>
    private bool IsBoundaryEdge(int v, int u)
    {
        int uses = 0;
        foreach (int t in Fan(v))
        {
            if (_triDead[t])
            {
                continue;
            }

            int i = 3 * t;
            if (_tri[i] == u || _tri[i + 1] == u || _tri[i + 2] == u)
            {
                uses++;
            }
        }

        return uses == 1;
    }

    private void BuildHeap()
    {
        // Count each undirected edge once (from its lower vertex), then evaluate all in parallel and heapify.
        var firstEdge = new int[_vertexCount + 1];
        Parallel.For(0, (_vertexCount + 4095) / 4096, chunk =>
        {
            Span<int> nbrs = stackalloc int[2 * MaxValence];
            int end = Math.Min(_vertexCount, (chunk + 1) * 4096);
            for (int v = chunk * 4096; v < end; v++)
            {
                firstEdge[v + 1] = ((_flags[v] & (DeadFlag | FrozenFlag)) != 0) ? 0 : HigherNeighbours(v, nbrs);
            }
        });

        for (int v = 0; v < _vertexCount; v++)
        {
            firstEdge[v + 1] += firstEdge[v];
        }

        int edges = firstEdge[_vertexCount];
        _heap = new CollapseQueue(edges + (edges / 2) + 1024);
        var items = new CollapseCandidate[edges];
        Parallel.For(0, (_vertexCount + 4095) / 4096, chunk =>
        {
            Span<int> nbrs = stackalloc int[2 * MaxValence];
            int end = Math.Min(_vertexCount, (chunk + 1) * 4096);
            for (int v = chunk * 4096; v < end; v++)
            {
                int count = firstEdge[v + 1] - firstEdge[v];
                if (count == 0)
                {
                    continue;
                }

                HigherNeighbours(v, nbrs);
                for (int k = 0; k < count; k++)
                {
                    int u = nbrs[k];
                    items[firstEdge[v] + k] = new CollapseCandidate { Cost = (float)EdgeCost(v, u), A = v, B = u, Stamp = 0 };
                }
            }
        });

        for (int i = 0; i < edges; i++)
        {
            _heap.Push(items[i]);
        }
    }

    /// <summary>Writes the distinct neighbours of v with a larger index that are not frozen into nbrs; returns their count.</summary>
    private int HigherNeighbours(int v, Span<int> nbrs)
    {
        int count = 0;
        foreach (int t in Fan(v))
        {
            for (int k = 0; k < 3; k++)
            {
                int u = _tri[(3 * t) + k];
                if (u <= v || (_flags[u] & FrozenFlag) != 0 || nbrs[..count].Contains(u))
                {
                    continue;
                }

                nbrs[count++] = u;
            }
        }

        return count;
    }

    // ---------------------------------------------------------------- placement and cost

    /// <summary>The survivor of collapsing the edge (a, b), or -1 when the boundary rules forbid the collapse.</summary>
    private int Survivor(int a, int b, out bool pinned)
    {
        pinned = false;
        bool la = (_flags[a] & LockedFlag) != 0, lb = (_flags[b] & LockedFlag) != 0;
        if (la || lb)
        {
            if (la && lb)
            {
                return -1;
            }

            pinned = true;
            return la ? a : b;
        }

        bool ba = (_flags[a] & BoundaryFlag) != 0, bb = (_flags[b] & BoundaryFlag) != 0;
        if (!ba && !bb)
        {
            return a;
        }

        if (_options.LockBoundary)
        {
            if (ba && bb)
            {
                return -1;
            }

            pinned = true;
            return ba ? a : b;
        }

        if (ba && bb)
        {
            return a; // allowed only along a boundary edge; checked in TryCollapse
        }

        return ba ? a : b;
    }

    private double EdgeCost(int a, int b)
    {
        int s = Survivor(a, b, out bool pinned);
        if (s < 0)
        {
            return double.MaxValue;
        }

        Place(s, s == a ? b : a, pinned, withVolume: false, out _, out double cost);
        return cost;
    }

    /// <summary>Chooses the position of the vertex that replaces s and r, and its quadric cost.</summary>
    private void Place(int s, int r, bool pinned, bool withVolume, out Vector3D p, out double cost)
    {
        Span<double> q = stackalloc double[QuadricSize];
        ReadOnlySpan<double> qs = _q.AsSpan(QuadricSize * s, QuadricSize), qr = _q.AsSpan(QuadricSize * r, QuadricSize);
        for (int i = 0; i < QuadricSize; i++)
        {
            q[i] = qs[i] + qr[i];
        }

        Vector3D ps = _pos[s], pr = _pos[r];
        if (pinned)
        {
            p = ps;
            cost = Evaluate(q, p);
            return;
        }

        // Work relative to the midpoint m for precision: Q(m + d) = dᵀAd + 2 gradᵀd + Q(m).
        Vector3D m = (ps + pr) * 0.5;
        double edge2 = Vector3D.Dot(pr - ps, pr - ps);

        // A small pull towards the midpoint makes the system regular where the planes leave a line or plane of minima
        // (flat and staircase regions), choosing the minimum nearest the midpoint.
        double eps = (1e-6 * (q[0] + q[3] + q[5])) + 1e-30;
        double a00 = q[0] + eps, a01 = q[1], a02 = q[2], a11 = q[3] + eps, a12 = q[4], a22 = q[5] + eps;
        double gx = (q[0] * m.X) + (a01 * m.Y) + (a02 * m.Z) + q[6];
        double gy = (a01 * m.X) + (q[3] * m.Y) + (a12 * m.Z) + q[7];
        double gz = (a02 * m.X) + (a12 * m.Y) + (q[5] * m.Z) + q[8];

        // The symmetric inverse by cofactors.
        double c00 = (a11 * a22) - (a12 * a12), c01 = (a02 * a12) - (a01 * a22), c02 = (a01 * a12) - (a02 * a11);
        double c11 = (a00 * a22) - (a02 * a02), c12 = (a01 * a02) - (a00 * a12), c22 = (a00 * a11) - (a01 * a01);
        double det = (a00 * c00) + (a01 * c01) + (a02 * c02);
        if (det > 0 && double.IsFinite(det))
        {
            double inv = 1 / det;
            var free = new Vector3D(
                -((c00 * gx) + (c01 * gy) + (c02 * gz)) * inv,
                -((c01 * gx) + (c11 * gy) + (c12 * gz)) * inv,
                -((c02 * gx) + (c12 * gy) + (c22 * gz)) * inv);
            bool freeOk = Plausible(free, edge2);
            if (withVolume && _options.PreserveVolume && ((_flags[s] | _flags[r]) & BoundaryFlag) == 0)
            {
                // Lagrange: minimise Q subject to gᵀd = h (the enclosed volume does not change, Lindstrom & Turk 1998):
                // d = free + y (h − gᵀfree) / (gᵀy) with y = A⁻¹g.
                StarVolumeConstraint(s, r, m, out Vector3D vg, out double vh);
                var y = new Vector3D(
                    ((c00 * vg.X) + (c01 * vg.Y) + (c02 * vg.Z)) * inv,
                    ((c01 * vg.X) + (c11 * vg.Y) + (c12 * vg.Z)) * inv,
                    ((c02 * vg.X) + (c12 * vg.Y) + (c22 * vg.Z)) * inv);
                double gy2 = Vector3D.Dot(vg, y);
                if (gy2 > 0 && double.IsFinite(gy2))
                {
                    Vector3D held = free + (y * ((vh - Vector3D.Dot(vg, free)) / gy2));
                    if (Plausible(held, edge2))
                    {
                        Vector3D pv = m + held;
                        double cv = Evaluate(q, pv);

                        // Keep the volume unless that costs far more than the free optimum: where the fan is nearly
                        // flat or folded, holding the volume would push the vertex far off the surface.
                        double cf = freeOk ? Evaluate(q, m + free) : double.MaxValue;
                        if (cv <= (4 * cf) + (0.0025 * edge2 * q[10]))
                        {
                            p = pv;
                            cost = cv;
                            return;
                        }
                    }
                }
            }

            if (freeOk)
            {
                p = m + free;
                cost = Evaluate(q, p);
                return;
            }
        }

        // Fallback: the best of the endpoints and the midpoint.
        p = m;
        cost = Evaluate(q, m);
        double cs = Evaluate(q, ps), cr = Evaluate(q, pr);
        if (cs < cost)
        {
            p = ps;
            cost = cs;
        }

        if (cr < cost)
        {
            p = pr;
            cost = cr;
        }
    }

    /// <summary>Whether a solved offset from the midpoint is finite and no longer than the edge.</summary>
    private static bool Plausible(Vector3D d, double edge2)
    {
        double len2 = Vector3D.Dot(d, d);
        return double.IsFinite(len2) && len2 <= edge2;
    }

    private static double Evaluate(ReadOnlySpan<double> q, Vector3D p)
    {
        double v = (q[0] * p.X * p.X) + (q[3] * p.Y * p.Y) + (q[5] * p.Z * p.Z)
            + (2 * ((q[1] * p.X * p.Y) + (q[2] * p.X * p.Z) + (q[4] * p.Y * p.Z)))
            + (2 * ((q[6] * p.X) + (q[7] * p.Y) + (q[8] * p.Z))) + q[9];
        return Math.Max(0, v);
    }

    /// <summary>
    /// The linear constraint gᵀd = h on the new vertex m + d under which the collapse leaves the enclosed volume
    /// unchanged: the fan's signed tetrahedra (about m) before the collapse equal those after it.
    /// </summary>
    private void StarVolumeConstraint(int s, int r, Vector3D m, out Vector3D g, out double h)
    {
        g = default;
        h = 0;
        for (int pass = 0; pass < 2; pass++)
        {
            int v = pass == 0 ? s : r;
            int other = pass == 0 ? r : s;
            foreach (int t in Fan(v))
            {
                if (_triDead[t])
                {
                    continue;
                }

                int corner = CornerOf(t, v);
                int u = _tri[(3 * t) + ((corner + 1) % 3)], w = _tri[(3 * t) + ((corner + 2) % 3)];
                bool shared = u == other || w == other;
                if (shared && pass == 1)
                {
                    continue; // counted once, from s's fan
                }

                Vector3D pu = _pos[u] - m, pw = _pos[w] - m, pv = _pos[v] - m;
                Vector3D cross = Vector3D.Cross(pu, pw);
                h += Vector3D.Dot(pv, cross);
                if (!shared)
                {
                    g += cross;
                }
            }
        }
    }

    // ---------------------------------------------------------------- collapse

    private bool TryCollapse(Sweep w, int a, int b, float queuedCost)
    {
        if (((_flags[a] | _flags[b]) & FrozenFlag) != 0)
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

            // Both fans are this sweep's (their triangles hold a or b): the link-condition loops below check their corners.
            if (w.RefsNext + _refCount[a] + _refCount[b] > w.RefsEnd)
            {
                return false;
            }
        }

        int s = Survivor(a, b, out bool pinned);
        if (s < 0)
        {
            return false;
        }

        int r = s == a ? b : a;

        // Shared triangles and their opposite corners.
        int shared = 0, c1 = -1, c2 = -1, t1 = -1, t2 = -1;
        foreach (int t in Fan(s))
        {
            int i = 3 * t;
            if (_tri[i] == r || _tri[i + 1] == r || _tri[i + 2] == r)
            {
                int c = _tri[i] != s && _tri[i] != r ? _tri[i] : _tri[i + 1] != s && _tri[i + 1] != r ? _tri[i + 1] : _tri[i + 2];
                if (shared == 0)
                {
                    c1 = c;
                    t1 = t;
                }
                else
                {
                    c2 = c;
                    t2 = t;
                }

                shared++;
            }
        }

        if (shared == 0 || shared > 2)
        {
            return false;
        }

        bool boundaryEdge = shared == 1;
        bool bs = (_flags[s] & BoundaryFlag) != 0, br = (_flags[r] & BoundaryFlag) != 0;
        if (!boundaryEdge && bs && br)
        {
            return false; // an interior edge between two boundary vertices: collapsing it would pinch the surface
        }

        if (boundaryEdge && (_options.LockBoundary || !bs || !br))
        {
            return false;
        }

        // Opposite vertices must keep a fan: an interior one needs more than three triangles (else the shell is a tetrahedron).
        if (!OppositeKeepsFan(c1) || (c2 >= 0 && !OppositeKeepsFan(c2)))
        {
            return false;
        }

        // Link condition (Dey et al. 1999): the common neighbours of s and r are exactly the opposite corners.
        // A parallel sweep also checks here that every corner of both fans is its own (see above); until then the
        // reads of the opposite corners' counts may be stale, but then the collapse is refused here.
        int stamp = ++w.Stamp;
        uint lo = (uint)w.Lo, span = (uint)(w.Hi - w.Lo);
        foreach (int t in Fan(s))
        {
            int x = _tri[3 * t], y = _tri[(3 * t) + 1], z = _tri[(3 * t) + 2];
            if ((uint)x - lo >= span || (uint)y - lo >= span || (uint)z - lo >= span)
            {
                return false;
            }

            _mark[x] = stamp;
            _mark[y] = stamp;
            _mark[z] = stamp;
        }

        foreach (int t in Fan(r))
        {
            for (int k = 0; k < 3; k++)
            {
                int u = _tri[(3 * t) + k];
                if ((uint)u - lo >= span || (u != s && u != r && u != c1 && u != c2 && _mark[u] == stamp))
                {
                    return false;
                }
            }
        }

        Place(s, r, pinned, withVolume: true, out Vector3D p, out double cost);

        if (!StarAcceptable(w, s, r, t1, t2, p))
        {
            // The optimal position would fold or thin a triangle: try the midpoint and the endpoints before refusing.
            if (pinned)
            {
                return false;
            }

            Vector3D ps = _pos[s], pr = _pos[r];
            Vector3D mid = (ps + pr) * 0.5;
            if (StarAcceptable(w, s, r, t1, t2, mid))
            {
                p = mid;
            }
            else if (StarAcceptable(w, s, r, t1, t2, ps))
            {
                p = ps;
            }
            else if (StarAcceptable(w, s, r, t1, t2, pr))
            {
                p = pr;
            }
            else
            {
                return false;
            }

            // Only when it costs not much more than the queue promised: otherwise wait for the retry at a higher cost.
            double fallbackCost = QuadricCost(s, r, p);
            double edge2 = Vector3D.Dot(pr - ps, pr - ps);
            if (fallbackCost > (4.0 * queuedCost) + (0.0025 * edge2 * (_q[(QuadricSize * s) + 10] + _q[(QuadricSize * r) + 10])))
            {
                return false;
            }

            cost = fallbackCost;
        }

        if (w.Tracker != null && !w.Tracker.Check(s, r, p, w.StarTris.AsSpan(0, w.StarCount), t1, t2, _tri, _pos, _refs, _refStart, _refCount))
        {
            if (_refusedPass != null)
            {
                _refusedPass[a] = _passIndex;
                _refusedOther![a] = b;
            }

            return false;
        }

        Commit(w, s, r, p, t1, t2, c1, c2);
        double weight = _q[(QuadricSize * s) + 10];
        w.MaxError2 = Math.Max(w.MaxError2, weight > 0 ? cost / weight : 0);
        return true;
    }

    /// <summary>Whether the triangles left around s and r keep their orientation and quality with the new vertex at p; fills the star.</summary>
    private bool StarAcceptable(Sweep w, int s, int r, int t1, int t2, Vector3D p)
    {
        // The fan's area-weighted normal, the reference for slivers (whose own normal is unreliable): computed when needed.
        Vector3D fanNormal = default;
        bool haveFanNormal = false;

        // Normals and quality of the triangles that remain, with the new position.
        w.StarCount = 0;
        double minQuality = _options.MinTriangleQuality;
        for (int pass = 0; pass < 2; pass++)
        {
            int v = pass == 0 ? s : r;
            foreach (int t in Fan(v))
            {
                if (t == t1 || t == t2)
                {
                    continue;
                }

                int corner = CornerOf(t, v);
                Vector3D pu = _pos[_tri[(3 * t) + ((corner + 1) % 3)]], pw = _pos[_tri[(3 * t) + ((corner + 2) % 3)]];
                Vector3D pv = _pos[v];
                Vector3D n0 = Vector3D.Cross(pu - pv, pw - pv);
                Vector3D n1 = Vector3D.Cross(pu - p, pw - p);
                double l0 = Vector3D.Dot(n0, n0), l1 = Vector3D.Dot(n1, n1);
                double q0 = Quality(pv, pu, pw, l0);
                if (l1 == 0)
                {
                    return false;
                }

                if (q0 < SliverQuality)
                {
                    if (!haveFanNormal)
                    {
                        fanNormal = FanNormal(s, r);
                        haveFanNormal = true;
                    }

                    // A sliver's normal says little: only refuse a flip against the fan's normal.
                    if (Vector3D.Dot(n1, fanNormal) <= 0)
                    {
                        return false;
                    }
                }
                else
                {
                    double dot = Vector3D.Dot(n0, n1);
                    if (dot < 0 || dot * dot < _cosMaxNormalChange * _cosMaxNormalChange * l0 * l1)
                    {
                        return false;
                    }
                }

                if (minQuality > 0)
                {
                    double q1 = Quality(p, pu, pw, l1);
                    if (q1 < minQuality && q1 < q0)
                    {
                        return false;
                    }
                }

                if (w.StarCount == w.StarTris.Length)
                {
                    Array.Resize(ref w.StarTris, 2 * w.StarTris.Length);
                }

                w.StarTris[w.StarCount++] = t;
            }
        }

        return true;
    }

    private double QuadricCost(int s, int r, Vector3D p)
    {
        Span<double> q = stackalloc double[QuadricSize];
        ReadOnlySpan<double> qs = _q.AsSpan(QuadricSize * s, QuadricSize), qr = _q.AsSpan(QuadricSize * r, QuadricSize);
        for (int i = 0; i < QuadricSize; i++)
        {
            q[i] = qs[i] + qr[i];
        }

        return Evaluate(q, p);
    }

    private Vector3D FanNormal(int s, int r)
    {
        Vector3D sum = default;
        for (int pass = 0; pass < 2; pass++)
        {
            foreach (int t in Fan(pass == 0 ? s : r))
            {
                Vector3D a0 = _pos[_tri[3 * t]], a1 = _pos[_tri[(3 * t) + 1]], a2 = _pos[_tri[(3 * t) + 2]];
                sum += Vector3D.Cross(a1 - a0, a2 - a0);
            }
        }

        return sum;
    }

    private bool OppositeKeepsFan(int c)
    {
        int live = _refCount[c];
        return (_flags[c] & BoundaryFlag) != 0 ? live > 1 : live > 3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Quality(Vector3D a, Vector3D b, Vector3D c, double cross2)
    {
        double sum = Vector3D.Dot(b - a, b - a) + Vector3D.Dot(c - b, c - b) + Vector3D.Dot(a - c, a - c);
        return sum > 0 ? 2 * Math.Sqrt(3) * Math.Sqrt(cross2) / sum : 0;
    }

    private void Commit(Sweep w, int s, int r, Vector3D p, int t1, int t2, int c1, int c2)
    {
        _triDead[t1] = true;
        RemoveRef(c1, t1);
        int removed = 1;
        if (t2 >= 0)
        {
            _triDead[t2] = true;
            RemoveRef(c2, t2);
            removed++;
        }

        w.Tracker?.Commit(s, r);

        // The survivor's new fan: its own live triangles and r's, appended at the end of the reference buffer
        // (a parallel sweep appends in its own region of it, sized before the pass).
        int needed = _refCount[s] + _refCount[r];
        int start;
        if (w.Global)
        {
            if (_refsUsed + needed > _refs.Length)
            {
                CompactRefs(needed);
            }

            start = _refsUsed;
        }
        else
        {
            start = w.RefsNext;
        }

        int count = 0;
        foreach (int t in Fan(s))
        {
            if (!_triDead[t])
            {
                _refs[start + count++] = t;
            }
        }

        foreach (int t in Fan(r))
        {
            if (!_triDead[t])
            {
                _refs[start + count++] = t;
                int corner = CornerOf(t, r);
                _tri[(3 * t) + corner] = s;
            }
        }

        if (w.Global)
        {
            _refsUsed += count;
        }
        else
        {
            w.RefsNext += count;
        }

        _refStart[s] = start;
        _refCount[s] = count;
        _refCount[r] = 0;

        _pos[s] = p;
        Span<double> qs = _q.AsSpan(QuadricSize * s, QuadricSize);
        ReadOnlySpan<double> qr = _q.AsSpan(QuadricSize * r, QuadricSize);
        for (int i = 0; i < QuadricSize; i++)
        {
            qs[i] += qr[i];
        }

        _flags[s] |= (byte)(_flags[r] & BoundaryFlag);
        _flags[r] = DeadFlag;
        _touched[r] = int.MaxValue;
        if (w.Global)
        {
            _liveTriangles -= removed;
            _collapses++;
            _touched[s] = _collapses;
        }
        else
        {
            w.Removed += removed;
            w.Collapses++;
            _touched[s] = w.TouchValue;
        }

        // New candidates: every edge of the survivor (queue mode), or its fan to evaluate again (pass mode).
        int stamp = ++w.Stamp;
        _mark[s] = stamp;
        if (_dirty != null)
        {
            _dirty[r] = true;
            _dirty[s] = true;
            foreach (int t in Fan(s))
            {
                _dirty[_tri[3 * t]] = true;
                _dirty[_tri[(3 * t) + 1]] = true;
                _dirty[_tri[(3 * t) + 2]] = true;
            }

            if (_changedPass != null)
            {
                foreach (int t in Fan(s))
                {
                    _changedPass[_tri[3 * t]] = _passIndex;
                    _changedPass[_tri[(3 * t) + 1]] = _passIndex;
                    _changedPass[_tri[(3 * t) + 2]] = _passIndex;
                }
            }

            return;
        }

        foreach (int t in Fan(s))
        {
            for (int k = 0; k < 3; k++)
            {
                int u = _tri[(3 * t) + k];
                if (_mark[u] == stamp)
                {
                    continue;
                }

                _mark[u] = stamp;
                if (_heap != null && (_flags[u] & FrozenFlag) == 0)
                {
                    _heap.Push(new CollapseCandidate { Cost = (float)EdgeCost(s, u), A = s, B = u, Stamp = _collapses });
                }
            }
        }
    }

    private void RemoveRef(int v, int t)
    {
        int start = _refStart[v], count = _refCount[v];
        for (int i = 0; i < count; i++)
        {
            if (_refs[start + i] == t)
            {
                _refs[start + i] = _refs[start + count - 1];
                _refCount[v] = count - 1;
                return;
            }
        }
    }

    private void CompactRefs(int extra)
    {
        long live = extra;
        for (int v = 0; v < _vertexCount; v++)
        {
            live += _refCount[v];
        }

        if (_refsSpare.Length < 2 * live)
        {
            if (_refsSpare.Length > 0)
            {
                ArrayPool<int>.Shared.Return(_refsSpare);
            }

            _refsSpare = ArrayPool<int>.Shared.Rent((int)Math.Min(Array.MaxLength, 2 * live));
        }

        int offset = 0;
        for (int v = 0; v < _vertexCount; v++)
        {
            int count = _refCount[v];
            Array.Copy(_refs, _refStart[v], _refsSpare, offset, count);
            _refStart[v] = offset;
            offset += count;
        }

        (_refs, _refsSpare) = (_refsSpare, _refs);
        _refsUsed = offset;
    }

    private Mesh BuildMesh()
    {
        var remap = new int[_vertexCount];
        Array.Fill(remap, -1);
        var indices = new int[3 * _liveTriangles];
        int n = 0, vertices = 0;
        for (int t = 0; t < _triDead.Length; t++)
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
