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

/// <summary>A binary min-heap of collapse candidates in a flat array, with lazy invalidation (stale entries are skipped when popped).</summary>
internal sealed class CollapseHeap
{
    private CollapseCandidate[] _items;

    public CollapseHeap(int capacity) => _items = new CollapseCandidate[Math.Max(16, capacity)];

    public int Count { get; private set; }

    /// <summary>The backing array, for bulk filling before <see cref="Heapify"/>.</summary>
    public CollapseCandidate[] Items => _items;

    public void SetCountAndHeapify(int count)
    {
        Count = count;
        Heapify();
    }

    public void Push(in CollapseCandidate item)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        int i = Count++;
        CollapseCandidate[] items = _items;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (items[parent].Cost <= item.Cost)
            {
                break;
            }

            items[i] = items[parent];
            i = parent;
        }

        items[i] = item;
    }

    public CollapseCandidate Pop()
    {
        CollapseCandidate[] items = _items;
        CollapseCandidate top = items[0];
        int count = --Count;
        if (count > 0)
        {
            SiftDown(items, 0, items[count], count);
        }

        return top;
    }

    /// <summary>Keeps the entries the predicate accepts and restores the heap order in O(n).</summary>
    public void Compact<TFilter>(ref TFilter filter)
        where TFilter : struct, ICandidateFilter
    {
        int kept = 0;
        for (int i = 0; i < Count; i++)
        {
            if (filter.IsValid(_items[i]))
            {
                _items[kept++] = _items[i];
            }
        }

        Count = kept;
        Heapify();
    }

    private void Heapify()
    {
        for (int i = (Count >> 1) - 1; i >= 0; i--)
        {
            SiftDown(_items, i, _items[i], Count);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SiftDown(CollapseCandidate[] items, int i, CollapseCandidate item, int count)
    {
        while (true)
        {
            int child = (2 * i) + 1;
            if (child >= count)
            {
                break;
            }

            if (child + 1 < count && items[child + 1].Cost < items[child].Cost)
            {
                child++;
            }

            if (items[child].Cost >= item.Cost)
            {
                break;
            }

            items[i] = items[child];
            i = child;
        }

        items[i] = item;
    }
}

/// <summary>Decides whether a heap entry is still current.</summary>
internal interface ICandidateFilter
{
    bool IsValid(in CollapseCandidate candidate);
}
