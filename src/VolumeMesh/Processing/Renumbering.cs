namespace VolumeMesh.Processing;

/// <summary>
/// An order-keeping renumbering of the live items (vertices or triangles) of a decimation run: each live item's new
/// number is its rank among the live ones, so the state of the run can be moved to the front of its arrays, in place
/// and in parallel, and lies densely in memory again.
/// </summary>
/// <remarks>
/// Arrays are moved in two steps: each chunk of items moves its live entries to the front of its own range (in
/// parallel: the chunks' ranges are disjoint), then the chunks' blocks move down in chunk order (serially: a block may
/// overlap the ranges of the chunks before it, never those after it, for no new number exceeds the old one).
/// </remarks>
internal sealed class Renumbering
{
    private const int ChunkItems = 16_384;

    private readonly int[] _chunkLive;
    private readonly ParallelOptions _parallel;

    /// <summary>Numbers the items [0, <paramref name="count"/>) for which <paramref name="live"/> holds.</summary>
    public Renumbering(int count, Func<int, bool> live, ParallelOptions parallel)
    {
        _parallel = parallel;
        Count = count;
        int chunks = Math.Max(1, (count + ChunkItems - 1) / ChunkItems);
        _chunkLive = new int[chunks];
        NewStart = new int[chunks + 1];
        Map = GC.AllocateUninitializedArray<int>(count);
        int[] map = Map;
        Parallel.For(0, chunks, parallel, chunk =>
        {
            int kept = 0, end = Math.Min(count, (chunk + 1) * ChunkItems);
            for (int i = chunk * ChunkItems; i < end; i++)
            {
                map[i] = live(i) ? kept++ : -1;
            }

            _chunkLive[chunk] = kept;
        });

        for (int chunk = 0; chunk < chunks; chunk++)
        {
            NewStart[chunk + 1] = NewStart[chunk] + _chunkLive[chunk];
        }

        Parallel.For(0, chunks, parallel, chunk =>
        {
            int offset = NewStart[chunk], end = Math.Min(count, (chunk + 1) * ChunkItems);
            for (int i = chunk * ChunkItems; i < end; i++)
            {
                if (map[i] >= 0)
                {
                    map[i] += offset;
                }
            }
        });

        LiveCount = NewStart[chunks];
    }

    /// <summary>Items numbered before.</summary>
    public int Count { get; }

    /// <summary>Live items: the new numbers are [0, LiveCount).</summary>
    public int LiveCount { get; }

    /// <summary>Each item's new number, or -1 when it is not live.</summary>
    public int[] Map { get; }

    /// <summary>Where each chunk's live items start in the new numbering (and the count after the last).</summary>
    private int[] NewStart { get; }

    /// <summary>The new number of item i, or -1 for -1 (no item) and for an item that is not live.</summary>
    public int this[int i] => i < 0 ? -1 : Map[i];

    /// <summary>
    /// Moves the <paramref name="stride"/> entries of every live item of <paramref name="array"/> to its new place; with
    /// <paramref name="renameItems"/>, every moved entry is an item number of <paramref name="renameItems"/> (or -1) and
    /// is replaced by its new number there.
    /// </summary>
    public void Apply<T>(T[] array, int stride = 1, Renumbering? renameItems = null)
    {
        int[] map = Map;
        int count = Count;
        int[]? renamed = renameItems?.Map;
        Parallel.For(0, _chunkLive.Length, _parallel, chunk =>
        {
            // Every item is copied to the next free place, and the place advances past live ones only: liveness varies
            // item by item, so a branch on it would be mispredicted about as often as not. A dead item's copy lands on a
            // place already read, and the next live item (or nothing, past the chunk's live block) takes it.
            int first = chunk * ChunkItems, next = first, end = Math.Min(count, first + ChunkItems);
            Span<T> items = array.AsSpan(0, count * stride);
            if (stride == 1)
            {
                for (int i = first; i < end; i++)
                {
                    items[next] = items[i];
                    next += (map[i] >> 31) + 1; // 1 when live (map[i] ≥ 0), 0 when not
                }
            }
            else
            {
                for (int i = first; i < end; i++)
                {
                    items.Slice(i * stride, stride).CopyTo(items.Slice(next * stride, stride));
                    next += (map[i] >> 31) + 1;
                }
            }

            if (renamed != null)
            {
                int[] values = (int[])(object)array;
                for (int k = first * stride; k < next * stride; k++)
                {
                    values[k] = values[k] < 0 ? -1 : renamed[values[k]];
                }
            }
        });

        for (int chunk = 0; chunk < _chunkLive.Length; chunk++)
        {
            int from = chunk * ChunkItems, to = NewStart[chunk];
            if (from != to && _chunkLive[chunk] > 0)
            {
                Array.Copy(array, from * stride, array, to * stride, _chunkLive[chunk] * stride);
            }
        }
    }
}
