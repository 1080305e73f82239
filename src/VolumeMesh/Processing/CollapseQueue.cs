using System.Numerics;
using System.Runtime.CompilerServices;

namespace VolumeMesh.Processing;

/// <summary>One candidate edge collapse: its cost, its endpoints, the collapse counter when it was computed and how often it was refused.</summary>
internal struct CollapseCandidate
{
    public float Cost;
    public int A;
    public int B;
    public int Stamp;
    public int Retries;
}

/// <summary>Decides whether a queued candidate is still current.</summary>
internal interface ICandidateFilter
{
    bool IsValid(in CollapseCandidate candidate);
}

/// <summary>
/// A monotone bucket queue of collapse candidates with lazy invalidation: buckets by the top 18 bits of the float cost
/// (relative resolution 2⁻¹⁰), a two-level bitmap to find the cheapest non-empty bucket, and entries in one pooled
/// array with a free list. Push and pop are O(1) and touch little memory, unlike a binary heap of millions of entries;
/// within a bucket the order is last in, first out, which is deterministic.
/// </summary>
internal sealed class CollapseQueue
{
    private const int Shift = 13;
    private const int BucketCount = 1 << 18;

    /// <summary>The number of cost buckets.</summary>
    public const int Buckets = BucketCount;

    private readonly int[] _head = new int[BucketCount];
    private readonly ulong[] _bits = new ulong[BucketCount / 64];
    private readonly ulong[] _summary = new ulong[BucketCount / 64 / 64];
    private CollapseCandidate[] _items;
    private int[] _next;
    private int _used;
    private int _free = -1;
    private int _lowestSummary; // no non-empty bucket lies in a summary word below this

    public CollapseQueue(int capacity)
    {
        _items = new CollapseCandidate[Math.Max(16, capacity)];
        _next = new int[_items.Length];
        Array.Fill(_head, -1);
    }

    public int Count { get; private set; }

    /// <summary>A cost four times higher, and at least in the next bucket: a refused candidate comes back after its peers.</summary>
    public static float Later(float cost)
    {
        float next = BitConverter.Int32BitsToSingle((BucketOf(cost) + 1) << Shift);
        return Math.Max(4 * cost, next);
    }

    /// <summary>The smallest cost of the bucket after <paramref name="bucket"/>: every cost in the bucket lies below it.</summary>
    public static float UpperBound(int bucket) => BitConverter.Int32BitsToSingle((bucket + 1) << Shift);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int BucketOf(float cost)
    {
        int bits = BitConverter.SingleToInt32Bits(cost);
        return bits <= 0 ? 0 : bits >> Shift; // non-negative floats order as their bits; +∞ lands in the last used bucket
    }

    public void Push(in CollapseCandidate item)
    {
        int index;
        if (_free >= 0)
        {
            index = _free;
            _free = _next[index];
        }
        else
        {
            if (_used == _items.Length)
            {
                Array.Resize(ref _items, _items.Length * 2);
                Array.Resize(ref _next, _items.Length);
            }

            index = _used++;
        }

        int bucket = BucketOf(item.Cost);
        _items[index] = item;
        _next[index] = _head[bucket];
        if (_head[bucket] < 0)
        {
            _bits[bucket >> 6] |= 1UL << bucket;
            _summary[bucket >> 12] |= 1UL << (bucket >> 6);
        }

        _head[bucket] = index;
        _lowestSummary = Math.Min(_lowestSummary, bucket >> 12);
        Count++;
    }

    /// <summary>Removes and returns a cheapest candidate (within the bucket resolution).</summary>
    public CollapseCandidate Pop()
    {
        int bucket = LowestBucket();
        int index = _head[bucket];
        _head[bucket] = _next[index];
        if (_head[bucket] < 0)
        {
            Clear(bucket);
        }

        _next[index] = _free;
        _free = index;
        Count--;
        return _items[index];
    }

    /// <summary>Drops every entry the filter rejects.</summary>
    public void Compact<TFilter>(ref TFilter filter)
        where TFilter : struct, ICandidateFilter
    {
        for (int word = 0; word < _bits.Length; word++)
        {
            ulong bits = _bits[word];
            while (bits != 0)
            {
                int bucket = (word << 6) + BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
                int previous = -1;
                for (int index = _head[bucket]; index >= 0;)
                {
                    int next = _next[index];
                    if (filter.IsValid(_items[index]))
                    {
                        previous = index;
                    }
                    else
                    {
                        if (previous < 0)
                        {
                            _head[bucket] = next;
                        }
                        else
                        {
                            _next[previous] = next;
                        }

                        _next[index] = _free;
                        _free = index;
                        Count--;
                    }

                    index = next;
                }

                if (_head[bucket] < 0)
                {
                    Clear(bucket);
                }
            }
        }
    }

    private int LowestBucket()
    {
        for (int s = _lowestSummary; s < _summary.Length; s++)
        {
            if (_summary[s] != 0)
            {
                _lowestSummary = s;
                int word = (s << 6) + BitOperations.TrailingZeroCount(_summary[s]);
                return (word << 6) + BitOperations.TrailingZeroCount(_bits[word]);
            }
        }

        throw new InvalidOperationException("The queue is empty.");
    }

    private void Clear(int bucket)
    {
        int word = bucket >> 6;
        _bits[word] &= ~(1UL << bucket);
        if (_bits[word] == 0)
        {
            _summary[word >> 6] &= ~(1UL << word);
        }
    }
}
