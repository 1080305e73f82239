using System.Runtime.CompilerServices;
using ILGPU;

// ILGPU compiles kernels in a dynamic assembly that must see the internal parameter types (harmless if also set elsewhere).
[assembly: InternalsVisibleTo("ILGPURuntime")]

namespace VolumeMesh.Compute.Kernels;

/// <summary>The shape of one labelling launch.</summary>
/// <param name="SizeX">Voxels along x.</param>
/// <param name="SizeY">Voxels along y.</param>
/// <param name="SizeZ">Voxels along z.</param>
/// <param name="Threads">Threads launched; grid-stride loops step by this.</param>
/// <param name="MaxOffsetComponents">1, 2 or 3 for 6-, 18- or 26-connectivity.</param>
/// <param name="Chunks">Threads of the order-preserving kernels; each walks one contiguous chunk of voxels. Kept to a few
/// thousand, because one thread then scans their counts.</param>
internal readonly record struct ComponentsLaunch(int SizeX, int SizeY, int SizeZ, int Threads, int MaxOffsetComponents, int Chunks)
{
    public int Count => SizeX * SizeY * SizeZ;

    /// <summary>Voxels per chunk in the order-preserving kernels.</summary>
    public int Chunk => (Count + Chunks - 1) / Chunks;
}

/// <summary>
/// ILGPU kernels of connected-component labelling: a union–find over voxel indices on the device. Every foreground
/// voxel joins its backward neighbours by hooking the larger root under the smaller with an atomic compare-and-swap
/// (as in Playne and Hawick, "A new algorithm for parallel connected-component labelling on GPUs", IEEE TPDS 2018),
/// so the root of a component is its first voxel in memory order; the roots are then numbered by an order-preserving
/// count and scan, which gives the same labels as the managed CPU path.
/// </summary>
/// <remarks>Parent values: −1 background, else a voxel index not above the voxel's own. Kernels walk the volume
/// with grid-stride loops so that few threads can be launched (the CPU accelerator costs about 1 µs per thread).</remarks>
internal static class ComponentsKernels
{
    public static void Init(Index1D index, ComponentsLaunch launch, ArrayView<byte> mask, ArrayView<int> parent)
    {
        for (int v = index; v < launch.Count; v += launch.Threads)
        {
            parent[v] = mask[v] != 0 ? v : -1;
        }
    }

    public static void Merge(Index1D index, ComponentsLaunch launch, ArrayView<int> parent)
    {
        int sliceLength = launch.SizeX * launch.SizeY;
        for (int v = index; v < launch.Count; v += launch.Threads)
        {
            if (parent[v] < 0)
            {
                continue;
            }

            int x = v % launch.SizeX;
            int y = (v / launch.SizeX) % launch.SizeY;
            int z = v / sliceLength;

            // The 13 neighbours before v in memory order: dz = −1 (9 of them), then dz = 0 with dy = −1 (3), then (−1, 0, 0).
            for (int dz = -1; dz <= 0; dz++)
            {
                if (z + dz < 0)
                {
                    continue;
                }

                for (int dy = -1; dy <= 1; dy++)
                {
                    if ((dz == 0 && dy > 0) || y + dy < 0 || y + dy >= launch.SizeY)
                    {
                        continue;
                    }

                    for (int dx = -1; dx <= 1; dx++)
                    {
                        if (dz == 0 && dy == 0 && dx >= 0)
                        {
                            continue;
                        }

                        int components = (dx != 0 ? 1 : 0) + (dy != 0 ? 1 : 0) + (dz != 0 ? 1 : 0);
                        if (components > launch.MaxOffsetComponents || x + dx < 0 || x + dx >= launch.SizeX)
                        {
                            continue;
                        }

                        int n = v + dx + (launch.SizeX * dy) + (sliceLength * dz);
                        if (parent[n] >= 0)
                        {
                            Union(parent, v, n);
                        }
                    }
                }
            }
        }
    }

    public static void Compress(Index1D index, ComponentsLaunch launch, ArrayView<int> parent)
    {
        for (int v = index; v < launch.Count; v += launch.Threads)
        {
            if (parent[v] >= 0)
            {
                parent[v] = Find(parent, v);
            }
        }
    }

    /// <summary>Counts the roots in each thread's contiguous chunk.</summary>
    public static void CountRoots(Index1D index, ComponentsLaunch launch, ArrayView<int> parent, ArrayView<int> counts)
    {
        int start = index * launch.Chunk;
        int end = start + launch.Chunk < launch.Count ? start + launch.Chunk : launch.Count;
        int roots = 0;
        for (int v = start; v < end; v++)
        {
            if (parent[v] == v)
            {
                roots++;
            }
        }

        counts[index] = roots;
    }

    /// <summary>Exclusive scan of the per-chunk counts by one thread; the total goes to counts[chunks].</summary>
    public static void ScanCounts(Index1D index, int chunks, ArrayView<int> counts)
    {
        if (index != 0)
        {
            return;
        }

        int sum = 0;
        for (int t = 0; t < chunks; t++)
        {
            int c = counts[t];
            counts[t] = sum;
            sum += c;
        }

        counts[chunks] = sum;
    }

    /// <summary>Numbers the roots 1..N in memory order (chunk by chunk).</summary>
    public static void LabelRoots(Index1D index, ComponentsLaunch launch, ArrayView<int> parent, ArrayView<int> counts, ArrayView<int> labels)
    {
        int start = index * launch.Chunk;
        int end = start + launch.Chunk < launch.Count ? start + launch.Chunk : launch.Count;
        int label = counts[index];
        for (int v = start; v < end; v++)
        {
            if (parent[v] == v)
            {
                labels[v] = ++label;
            }
        }
    }

    /// <summary>Gives every other voxel its root's label (0 for background).</summary>
    public static void LabelAll(Index1D index, ComponentsLaunch launch, ArrayView<int> parent, ArrayView<int> labels)
    {
        for (int v = index; v < launch.Count; v += launch.Threads)
        {
            int p = parent[v];
            if (p < 0)
            {
                labels[v] = 0;
            }
            else if (p != v)
            {
                labels[v] = labels[p];
            }
        }
    }

    private static int Find(ArrayView<int> parent, int v)
    {
        int p = parent[v];
        while (p != v)
        {
            v = p;
            p = parent[v];
        }

        return v;
    }

    private static void Union(ArrayView<int> parent, int a, int b)
    {
        while (true)
        {
            a = Find(parent, a);
            b = Find(parent, b);
            if (a == b)
            {
                return;
            }

            if (a > b)
            {
                int t = a;
                a = b;
                b = t;
            }

            // Hook the larger root b under a, unless another thread hooked b first. The value the compare-and-swap
            // returns is b's current parent (atomics are coherent where plain loads may be stale), and it is smaller
            // than b, so retrying from it always makes progress.
            int old = Atomic.CompareExchange(ref parent[b], b, a);
            if (old == b)
            {
                return;
            }

            b = old;
        }
    }
}
