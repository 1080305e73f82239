namespace VolumeMesh.Processing;

/// <summary>
/// Collapses in strict cost order: every edge in a bucket queue (<see cref="CollapseQueue"/>) with lazy invalidation
/// by change stamps; a collapse queues the survivor's edges at their new costs; a refused collapse is tried again
/// later at a higher cost, at most <see cref="MaxRetries"/> times.
/// </summary>
internal sealed class QueueScheduler : ICollapseScheduler
{
    private const int MaxRetries = 3;

    private readonly QuadricDecimator _owner;
    private CollapseQueue? _heap;

    /// <summary>Schedules the collapses of <paramref name="owner"/>.</summary>
    public QueueScheduler(QuadricDecimator owner) => _owner = owner;

    /// <inheritdoc/>
    public DecimationStopReason Run(int targetTriangles, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        QuadricDecimator d = _owner;
        BuildHeap();
        CollapseQueue heap = _heap!;
        int startTriangles = d.InputTriangles; // a second run (see QuadricDecimator.Run) goes on from where the first stopped
        int toRemove = Math.Max(1, startTriangles - targetTriangles);
        DecimationStopReason reason = DecimationStopReason.NoValidCollapse;
        var filter = new StampFilter(d.Touched);
        CollapseSweep w = d.Serial;
        w.Reset(0, d.VertexCount, d.StampBase);
        int sinceCheck = 0;
        while (true)
        {
            if (d.LiveTriangles <= targetTriangles)
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

            if (!d.TryCollapse(w, c.A, c.B, c.Cost))
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
                progress?.Report(Math.Min(1.0, (startTriangles - d.LiveTriangles) / (double)toRemove));
                if (heap.Count > 16384 && heap.Count > 12L * d.LiveTriangles)
                {
                    heap.Compact(ref filter);
                }
            }
        }

        return reason;
    }

    /// <inheritdoc/>
    public void Collapsed(CollapseSweep sweep, int s, int r, int stamp)
    {
        // Every edge of the survivor, once, at its new cost.
        QuadricDecimator d = _owner;
        int[] tri = d.Fans.Triangles;
        int[] mark = d.Marks;
        byte[] flags = d.Flags;
        foreach (int t in d.Fans.Fan(s))
        {
            for (int k = 0; k < 3; k++)
            {
                int u = tri[(3 * t) + k];
                if (mark[u] == stamp)
                {
                    continue;
                }

                mark[u] = stamp;
                if (_heap != null && (flags[u] & VertexFlags.Frozen) == 0)
                {
                    _heap.Push(new CollapseCandidate { Cost = (float)d.Placement.EdgeCost(s, u), A = s, B = u, Stamp = d.Collapses });
                }
            }
        }
    }

    /// <inheritdoc/>
    public void RefusedByErrorBound(int a, int b)
    {
        // Retried like any refused collapse.
    }

    private void BuildHeap()
    {
        QuadricDecimator d = _owner;
        int vertexCount = d.VertexCount;
        byte[] flags = d.Flags;

        // Count each undirected edge once (from its lower vertex), then evaluate all in parallel and heapify.
        var firstEdge = new int[vertexCount + 1];
        Parallel.For(0, (vertexCount + 4095) / 4096, d.Parallel, chunk =>
        {
            Span<int> nbrs = stackalloc int[2 * VertexFlags.MaxValence];
            int end = Math.Min(vertexCount, (chunk + 1) * 4096);
            for (int v = chunk * 4096; v < end; v++)
            {
                firstEdge[v + 1] = ((flags[v] & (VertexFlags.Dead | VertexFlags.Frozen)) != 0) ? 0 : d.HigherNeighbours(v, nbrs);
            }
        });

        for (int v = 0; v < vertexCount; v++)
        {
            firstEdge[v + 1] += firstEdge[v];
        }

        int edges = firstEdge[vertexCount];
        int stamp = d.Collapses; // current as of now (a second run starts after the first's collapses)
        _heap = new CollapseQueue(edges + (edges / 2) + 1024);
        var items = new CollapseCandidate[edges];
        Parallel.For(0, (vertexCount + 4095) / 4096, d.Parallel, chunk =>
        {
            Span<int> nbrs = stackalloc int[2 * VertexFlags.MaxValence];
            int end = Math.Min(vertexCount, (chunk + 1) * 4096);
            for (int v = chunk * 4096; v < end; v++)
            {
                int count = firstEdge[v + 1] - firstEdge[v];
                if (count == 0)
                {
                    continue;
                }

                d.HigherNeighbours(v, nbrs);
                for (int k = 0; k < count; k++)
                {
                    int u = nbrs[k];
                    items[firstEdge[v] + k] = new CollapseCandidate { Cost = (float)d.Placement.EdgeCost(v, u), A = v, B = u, Stamp = stamp };
                }
            }
        });

        for (int i = 0; i < edges; i++)
        {
            _heap.Push(items[i]);
        }
    }

    /// <summary>A candidate is current while neither end changed after it was queued (a removed vertex is touched at int.MaxValue, so one read per end decides).</summary>
    private readonly struct StampFilter(int[] touched) : ICandidateFilter
    {
        public bool IsValid(in CollapseCandidate candidate) => touched[candidate.A] <= candidate.Stamp && touched[candidate.B] <= candidate.Stamp;
    }
}
