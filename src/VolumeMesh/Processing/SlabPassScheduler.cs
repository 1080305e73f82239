namespace VolumeMesh.Processing;

/// <summary>
/// Collapses in passes, cache-friendly on large meshes: each pass evaluates every vertex's cheapest edge to a
/// higher-numbered neighbour (in parallel), picks a cost threshold from a histogram so that a bounded share of the
/// remaining work qualifies, and sweeps the vertices in index order — in parallel over slabs of consecutive vertices
/// while much remains, serially near the target — collapsing each qualifying edge whose endpoints this pass has not yet
/// changed (their costs are still exact). Low-cost collapses still come first, within the resolution of the threshold;
/// refused ones are simply evaluated again in the next pass. With an error bound, each slab checks with its own
/// <see cref="ErrorTracker"/> worker, and a collapse the bound refused is not checked again until its region changes.
/// </summary>
internal sealed class SlabPassScheduler : ICollapseScheduler
{
    /// <summary>Passes sweep serially once fewer triangles than this remain to be removed (the slabs' budgets would be too small).</summary>
    private const int SerialFinish = 2048;

    /// <summary>The smallest slab of an adaptive size (see <see cref="SlabSize"/>) unless the decimator says otherwise.</summary>
    internal const int DefaultMinSlabVertices = 16_384;

    /// <summary>Cost buckets (<see cref="CollapseQueue.BucketOf"/>) per coarse bucket of <see cref="Threshold"/>.</summary>
    private const int FineBuckets = 64;

    /// <summary>The most chunks a histogram over the vertices is counted in (each has its own counts).</summary>
    private const int HistogramChunks = 16;

    /// <summary>How many listed vertices ahead the evaluation requests a fan's references (see <see cref="EvaluateBestEdges"/>).</summary>
    private const int FanAhead = 8;

    /// <summary>How many listed vertices ahead the evaluation requests a fan's triangles (their references requested earlier).</summary>
    private const int TrianglesAhead = 4;

    private readonly QuadricDecimator _owner;
    private int _vertexCount;
    private readonly int? _slabVertices;
    private readonly bool[] _dirty; // vertices whose cheapest edge must be evaluated again

    /// <summary>Error trackers for parallel sweeps (one per slab being swept at a time; see <see cref="ErrorTracker.CreateWorker"/>).</summary>
    private readonly Stack<ErrorTracker> _idleWorkers = new();
    private readonly List<ErrorTracker> _allWorkers = [];

    // With an error bound: the pass in which each vertex's cheapest edge was last refused by the error check
    // (0: not refused), that edge's other end, and the last pass that changed each vertex's one-ring (see StillRefused).
    private readonly int[]? _refusedPass;
    private readonly int[]? _refusedOther;
    private readonly int[]? _changedPass;
    private int _passIndex;
    private long _renumberedAt; // live triangles at the start or at the last renumbering
    private int _parallelPasses;
    private bool _slabsUnhelpful;

    /// <summary>
    /// Schedules the collapses of <paramref name="owner"/> in slabs of <paramref name="slabVertices"/> vertices (null: chosen
    /// each pass, see <see cref="SlabSize"/>), on the owner's threads (<see cref="QuadricDecimator.Parallel"/>).
    /// </summary>
    public SlabPassScheduler(QuadricDecimator owner, int? slabVertices)
    {
        _owner = owner;
        _vertexCount = owner.VertexCount;
        _slabVertices = slabVertices;
        _dirty = new bool[_vertexCount];
        if (owner.Tracker != null)
        {
            _refusedPass = new int[_vertexCount];
            _refusedOther = new int[_vertexCount];
            _changedPass = new int[_vertexCount];
        }
    }

    /// <inheritdoc/>
    public DecimationStopReason Run(int targetTriangles, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        DecimationStopReason reason = RunPasses(targetTriangles, progress, cancellationToken);
        foreach (ErrorTracker worker in _allWorkers)
        {
            _owner.Tracker!.Absorb(worker);
        }

        return reason;
    }

    /// <inheritdoc/>
    public void Collapsed(CollapseSweep sweep, int s, int r, int stamp)
    {
        // The survivor's fan is evaluated again in the next pass.
        int[] tri = _owner.Fans.Triangles;
        _dirty[r] = true;
        _dirty[s] = true;
        foreach (int t in _owner.Fans.Fan(s))
        {
            _dirty[tri[3 * t]] = true;
            _dirty[tri[(3 * t) + 1]] = true;
            _dirty[tri[(3 * t) + 2]] = true;
        }

        if (_changedPass != null)
        {
            foreach (int t in _owner.Fans.Fan(s))
            {
                _changedPass[tri[3 * t]] = _passIndex;
                _changedPass[tri[(3 * t) + 1]] = _passIndex;
                _changedPass[tri[(3 * t) + 2]] = _passIndex;
            }
        }
    }

    /// <inheritdoc/>
    public void RefusedByErrorBound(int a, int b)
    {
        if (_refusedPass != null)
        {
            _refusedPass[a] = _passIndex;
            _refusedOther![a] = b;
        }
    }

    private DecimationStopReason RunPasses(int targetTriangles, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        QuadricDecimator d = _owner;
        int startTriangles = d.InputTriangles; // a second run (see QuadricDecimator.Run) goes on from where the first stopped
        int toRemove = Math.Max(1, startTriangles - targetTriangles);
        var bestCost = new float[_vertexCount];
        var bestOther = new int[_vertexCount];
        Array.Fill(_dirty, true);
        _renumberedAt = d.LiveTriangles;
        bool everything = false;
        int refused = 0;
        int lastPassStart = -1;

        while (d.LiveTriangles > targetTriangles)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Each time half the triangles have gone since the last renumbering, the run is renumbered so that its state
            // lies densely in memory again (not once the exact checks have begun: their attachments are not renumbered).
            if (d.Tracker is not { Exact: true } && 2L * d.LiveTriangles < _renumberedAt)
            {
                Renumber(bestCost, bestOther);
                _renumberedAt = d.LiveTriangles;
            }

            _passIndex++;
            int candidates = EvaluateBestEdges(bestCost, bestOther, lastPassStart);
            if (candidates == 0)
            {
                return DecimationStopReason.NoValidCollapse;
            }

            // Aim at all the remaining collapses, at most three quarters of the candidates (the cheaper ones): later passes
            // see the costs that these collapses change. Candidates refused in the last pass will mostly be refused again:
            // the threshold reaches past them, but never past that share, so that the most costly quarter always waits
            // for the next pass. (Measured on three meshes, twelfth and thirteenth sessions: half the candidates plus the
            // refused ones took more passes and left a larger mean and 99th-percentile error than this; smaller shares
            // cost more passes at little gain.)
            int needed = (d.LiveTriangles - targetTriangles + 1) / 2;
            int wanted = Math.Max(1, Math.Min(Math.Max(needed, 4096) + refused, (int)(candidates * 3L / 4)));
            float threshold = everything ? float.PositiveInfinity : Threshold(bestCost, wanted);

            int passStart = d.Collapses;
            lastPassStart = passStart;
            int slab = _slabVertices ?? SlabSize(bestCost, bestOther, threshold);
            bool parallel = !everything && !_slabsUnhelpful && _vertexCount >= 2L * slab
                && d.LiveTriangles - targetTriangles >= SerialFinish;
            refused = parallel
                ? SweepSlabs(bestCost, bestOther, threshold, slab, passStart, ++_parallelPasses, d.LiveTriangles - targetTriangles)
                : SweepSerial(bestCost, bestOther, threshold, passStart, targetTriangles);

            progress?.Report(Math.Min(1.0, (startTriangles - d.LiveTriangles) / (double)toRemove));
            if (d.Collapses == passStart)
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
    /// Renumbers the run (see <see cref="QuadricDecimator.Renumber"/>) and this scheduler's per-vertex state with it.
    /// </summary>
    private void Renumber(float[] bestCost, int[] bestOther)
    {
        Renumbering vertices = _owner.Renumber();
        vertices.Apply(bestCost);
        vertices.Apply(bestOther, 1, vertices);
        vertices.Apply(_dirty);
        if (_refusedPass != null)
        {
            vertices.Apply(_refusedPass);
            vertices.Apply(_refusedOther!, 1, vertices);
            vertices.Apply(_changedPass!);
        }

        _vertexCount = vertices.LiveCount;
    }

    /// <summary>
    /// Each live vertex's cheapest edge to a higher-numbered, collapsible neighbour; returns how many vertices have one.
    /// A vertex that only changed because a neighbour did (after the pass that started at collapse
    /// <paramref name="changedAfter"/>; -1: evaluate all) keeps its cheapest edge unless that edge's other end
    /// changed, and compares it only with the edges to the neighbours that changed: the others' costs stand.
    /// </summary>
    private int EvaluateBestEdges(float[] bestCost, int[] bestOther, int changedAfter)
    {
        QuadricDecimator d = _owner;
        CollapsePlacement placement = d.Placement;
        int[] touched = d.Touched;
        byte[] flags = d.Flags;
        int[] refCount = d.Fans.Count;
        bool[] dirty = _dirty;
        int vertexCount = _vertexCount;
        int chunks = (vertexCount + 4095) / 4096;
        var counts = new int[chunks];
        Parallel.For(0, chunks, _owner.Parallel, chunk =>
        {
            // The chunk's vertices to evaluate are listed first, so that the fan of the vertex a few places ahead can
            // be requested while this one is walked: in the later passes they lie scattered, and each fan walk is a
            // chain of dependent loads (the fan's references, then its triangles).
            Span<int> list = stackalloc int[4096];
            int lo = chunk * 4096, end = Math.Min(vertexCount, lo + 4096);
            int listed = 0, count = 0;
            for (int v = lo; v < end; v++)
            {
                if (dirty[v])
                {
                    dirty[v] = false;
                    list[listed++] = v;
                }
                else if (bestOther[v] >= 0)
                {
                    count++; // neither v nor a neighbour changed since the last evaluation: its cheapest edge stands
                }
            }

            // The edges of a run of listed vertices are gathered, costed together (several at once, see
            // CollapsePlacement.EdgeCosts), and then each vertex picks its cheapest. A vertex's edges take at most
            // 2 × MaxValence entries (an open fan lists each neighbour once per triangle side, deduplicated), so a run ends
            // when the next vertex might not fit, or after `capacity` vertices.
            const int capacity = 8 * VertexFlags.MaxValence;
            Span<int> from = stackalloc int[capacity];
            Span<int> to = stackalloc int[capacity];
            Span<float> costs = stackalloc float[capacity];
            Span<int> firstEdge = stackalloc int[capacity + 1]; // per vertex of the run: where its edges start
            for (int runStart = 0; runStart < listed;)
            {
                // Gather: a vertex evaluated in full starts from no edge (cost +∞, other -1), one evaluated in part from
                // its kept edge.
                int edges = 0, item = runStart;
                for (; item < listed && item - runStart < capacity && edges + (2 * VertexFlags.MaxValence) <= capacity; item++)
                {
                    if (item + FanAhead < listed)
                    {
                        d.Fans.PrefetchFan(list[item + FanAhead]);
                    }

                    if (item + TrianglesAhead < listed)
                    {
                        d.Fans.PrefetchFanTriangles(list[item + TrianglesAhead]);
                    }

                    int v = list[item];
                    firstEdge[item - runStart] = edges;
                    int previous = bestOther[v];
                    if (changedAfter >= 0 && previous >= 0 && touched[v] <= changedAfter && touched[previous] <= changedAfter
                        && (flags[v] & (VertexFlags.Dead | VertexFlags.Frozen)) == 0 && refCount[v] <= VertexFlags.MaxValence)
                    {
                        // Only the edges to neighbours that changed: the others' costs stand.
                        int m = d.HigherNeighbours(v, to[edges..]);
                        int changed = 0;
                        for (int k = 0; k < m; k++)
                        {
                            int u = to[edges + k];
                            if (touched[u] > changedAfter)
                            {
                                to[edges + changed] = u;
                                from[edges + changed] = v;
                                changed++;

                                // Requested before any edge is costed, so that the loads overlap (see CollapsePlacement.Prefetch).
                                placement.Prefetch(u);
                            }
                        }

                        edges += changed;
                        continue;
                    }

                    bestOther[v] = -1;
                    bestCost[v] = float.PositiveInfinity;
                    if ((flags[v] & (VertexFlags.Dead | VertexFlags.Frozen)) != 0 || refCount[v] > VertexFlags.MaxValence)
                    {
                        continue;
                    }

                    int n = d.HigherNeighbours(v, to[edges..]);
                    for (int k = 0; k < n; k++)
                    {
                        from[edges + k] = v;
                        placement.Prefetch(to[edges + k]);
                    }

                    edges += n;
                }

                int runEnd = item;
                firstEdge[runEnd - runStart] = edges;
                placement.EdgeCosts(from[..edges], to[..edges], costs);

                // Choose, and count the vertices that have an edge. Ties go to the lower neighbour, so that the choice does
                // not depend on the order of the fan.
                for (item = runStart; item < runEnd; item++)
                {
                    int v = list[item];
                    int i = item - runStart;
                    float best = bestCost[v];
                    int other = bestOther[v];
                    for (int e = firstEdge[i]; e < firstEdge[i + 1]; e++)
                    {
                        float cost = costs[e];
                        int u = to[e];
                        if (cost < best || (cost == best && u < other))
                        {
                            best = cost;
                            other = u;
                        }
                    }

                    bestCost[v] = best;
                    bestOther[v] = other;
                    if (other >= 0)
                    {
                        count++;
                    }
                }

                runStart = runEnd;
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
        QuadricDecimator d = _owner;
        int[] touched = d.Touched;
        CollapseSweep w = d.Serial;
        w.Reset(0, _vertexCount, d.StampBase);
        int refused = 0;
        for (int v = 0; v < _vertexCount && d.LiveTriangles > targetTriangles; v++)
        {
            int u = bestOther[v];
            if (u < 0 || bestCost[v] > threshold || touched[v] > passStart || touched[u] > passStart)
            {
                continue;
            }

            if ((_refusedPass != null && StillRefused(w, v, u)) || !d.TryCollapse(w, v, u, bestCost[v]))
            {
                refused++;
            }
        }

        d.StampBase = Math.Max(d.StampBase, w.Stamp);
        return refused;
    }

    /// <summary>
    /// One pass as <see cref="SweepSerial"/>, but over slabs of consecutive vertices in parallel (the vertex order of
    /// meshes from volumes is spatial, so a slab is a layer of the surface). A slab's sweep only collapses edges whose
    /// neighbourhood lies inside the slab, so the slabs never share data and the result does not depend on the number
    /// of threads; the slab bounds shift by half a slab every other pass so that the edges deferred at a bound are
    /// reached. The caller makes sure the pass cannot overshoot the target: at most one collapse per candidate below
    /// the threshold, two triangles each. Returns how many were refused or deferred.
    /// </summary>
    private int SweepSlabs(float[] bestCost, int[] bestOther, float threshold, int size, int passStart, int passNumber, int allowance)
    {
        QuadricDecimator d = _owner;
        TriangleFans fans = d.Fans;
        int[] refCount = fans.Count;
        int[] touched = d.Touched;
        int shift = (passNumber & 1) == 0 ? 0 : size / 2;
        int slabs = (_vertexCount + shift + size - 1) / size;
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
        Parallel.For(0, slabs, _owner.Parallel, k =>
        {
            long need = 0;
            int count = 0;
            for (int v = bounds[k]; v < bounds[k + 1]; v++)
            {
                int u = bestOther[v];
                if (u >= 0 && bestCost[v] <= threshold)
                {
                    need += refCount[v] + refCount[u];
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

        if (fans.Used + regions[slabs] > fans.Refs.Length)
        {
            fans.Compact((int)regions[slabs], _owner.Parallel);
        }

        var sweeps = new CollapseSweep[slabs];
        for (int k = 0; k < slabs; k++)
        {
            var w = new CollapseSweep
            {
                Global = false,
                TouchValue = passStart + 1,
                RefsNext = fans.Used + (int)regions[k],
                RefsEnd = fans.Used + (int)regions[k + 1],
                Budget = allCandidates == 0 ? 0 : (int)(allowance * slabCandidates[k] / allCandidates),
            };
            w.Reset(bounds[k], bounds[k + 1], d.StampBase);
            sweeps[k] = w;
        }

        var refusedBySlab = new int[slabs];
        Parallel.For(0, slabs, _owner.Parallel, k =>
        {
            CollapseSweep w = sweeps[k];
            w.Tracker = d.Tracker == null ? null : RentWorker();
            int refused = 0;
            for (int v = w.Lo; v < w.Hi && w.Removed + 2 <= w.Budget; v++)
            {
                int u = bestOther[v];
                if (u < 0 || bestCost[v] > threshold || touched[v] > passStart || (uint)(u - w.Lo) >= (uint)(w.Hi - w.Lo) || touched[u] > passStart)
                {
                    if (u >= 0 && bestCost[v] <= threshold && (uint)(u - w.Lo) >= (uint)(w.Hi - w.Lo))
                    {
                        refused++;
                        w.Deferred++;
                    }

                    continue;
                }

                if ((_refusedPass != null && StillRefused(w, v, u)) || !d.TryCollapse(w, v, u, bestCost[v]))
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
            CollapseSweep w = sweeps[k];
            deferred += w.Deferred;
            collapses += w.Collapses;
            d.LiveTriangles -= w.Removed;
            d.Collapses += w.Collapses;
            d.MaxQuadricError2 = Math.Max(d.MaxQuadricError2, w.MaxError2);
            d.StampBase = Math.Max(d.StampBase, w.Stamp);
            total += refusedBySlab[k];
        }

        fans.Used += (int)regions[slabs];

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
    /// inside the sweep's range are read (a collapse reaching past it is refused by the collapse anyway).
    /// </summary>
    private bool StillRefused(CollapseSweep w, int v, int u)
    {
        int pass = _refusedPass![v];
        if (pass == 0 || _refusedOther![v] != u)
        {
            return false;
        }

        int[] changed = _changedPass!;
        int[] tri = _owner.Fans.Triangles;
        uint lo = (uint)w.Lo, span = (uint)(w.Hi - w.Lo);
        for (int e = 0; e < 2; e++)
        {
            foreach (int t in _owner.Fans.Fan(e == 0 ? v : u))
            {
                for (int k = 0; k < 3; k++)
                {
                    int x = tri[(3 * t) + k];
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

            ErrorTracker worker = _owner.Tracker!.CreateWorker();
            _allWorkers.Add(worker);
            return worker;
        }
    }

    /// <summary>
    /// The slab size of a parallel pass: at least <see cref="QuadricDecimator.MinSlabVertices"/>, and six times the index distance within
    /// which 90% of this pass's candidate edges lie. A collapse needs every corner of both endpoints' fans inside one
    /// slab, and those reach about a candidate's span beyond each endpoint; the slabs shift by half their size every
    /// other pass, so a candidate whose neighbourhood spans less than half a slab is reached. In a mesh whose planes hold
    /// many vertices (a skull's long outline), and more so as decimation lengthens the edges, fixed slabs of 16,384
    /// deferred most candidates at their borders pass after pass (a 986,352-triangle skull stalled in parallel and went
    /// serial). The size depends only on the mesh, never on the number of threads.
    /// </summary>
    private int SlabSize(float[] bestCost, int[] bestOther, float threshold)
    {
        const int bucketWidth = 256, buckets = 4096; // distances in steps of 256 up to about a million; the last bucket holds the rest
        int[] histogram = Histogram(buckets, (lo, hi, local) =>
        {
            for (int v = lo; v < hi; v++)
            {
                int u = bestOther[v];
                if (u >= 0 && bestCost[v] <= threshold)
                {
                    local[Math.Min(buckets - 1, Math.Abs(u - v) / bucketWidth)]++;
                }
            }
        });

        long total = 0;
        foreach (int count in histogram)
        {
            total += count;
        }

        long sum = 0;
        for (int b = 0; b < buckets; b++)
        {
            sum += histogram[b];
            if (sum >= 0.9 * total)
            {
                return (int)Math.Clamp(6L * (b + 1) * bucketWidth, _owner.MinSlabVertices, int.MaxValue / 4);
            }
        }

        return _owner.MinSlabVertices;
    }

    /// <summary>
    /// The smallest cost bucket bound (<see cref="CollapseQueue.UpperBound"/>) below which at least <paramref name="wanted"/>
    /// candidates lie: the bucket is found in two parallel counts, first among coarse buckets of
    /// <see cref="FineBuckets"/> cost buckets each, then among the cost buckets of the coarse one that reaches the count.
    /// </summary>
    private float Threshold(float[] bestCost, int wanted)
    {
        const int coarseShift = 6;
        int[] coarse = Histogram(CollapseQueue.Buckets >> coarseShift, (lo, hi, local) =>
        {
            for (int v = lo; v < hi; v++)
            {
                float cost = bestCost[v];
                if (float.IsFinite(cost))
                {
                    local[CollapseQueue.BucketOf(cost) >> coarseShift]++;
                }
            }
        });

        long below = 0;
        for (int c = 0; c < coarse.Length; c++)
        {
            if (below + coarse[c] < wanted)
            {
                below += coarse[c];
                continue;
            }

            int coarseBucket = c;
            int[] fine = Histogram(FineBuckets, (lo, hi, local) =>
            {
                for (int v = lo; v < hi; v++)
                {
                    float cost = bestCost[v];
                    if (float.IsFinite(cost) && CollapseQueue.BucketOf(cost) >> coarseShift == coarseBucket)
                    {
                        local[CollapseQueue.BucketOf(cost) & (FineBuckets - 1)]++;
                    }
                }
            });

            for (int f = 0; f < FineBuckets; f++)
            {
                below += fine[f];
                if (below >= wanted)
                {
                    return CollapseQueue.UpperBound((c << coarseShift) + f);
                }
            }
        }

        return float.PositiveInfinity;
    }

    /// <summary>
    /// A histogram over all vertices, counted in parallel: <paramref name="count"/> adds the vertices [lo, hi) of a chunk
    /// to the chunk's own histogram, and the chunks' counts are summed (integers, so the result does not depend on the
    /// chunking or the threads).
    /// </summary>
    private int[] Histogram(int buckets, Action<int, int, int[]> count)
    {
        int vertexCount = _vertexCount;
        int chunks = Math.Max(1, Math.Min(HistogramChunks, (vertexCount + 65535) / 65536));
        var partial = new int[chunks][];
        Parallel.For(0, chunks, _owner.Parallel, chunk =>
        {
            var local = new int[buckets];
            count((int)((long)vertexCount * chunk / chunks), (int)((long)vertexCount * (chunk + 1) / chunks), local);
            partial[chunk] = local;
        });

        int[] histogram = partial[0];
        for (int chunk = 1; chunk < chunks; chunk++)
        {
            int[] local = partial[chunk];
            for (int b = 0; b < buckets; b++)
            {
                histogram[b] += local[b];
            }
        }

        return histogram;
    }
}
