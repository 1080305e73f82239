using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using VolumeMesh.Volumes;

namespace VolumeMesh.Components;

/// <summary>
/// Managed CPU connected-component labelling on runs: the foreground of each row is cut into runs along x
/// (vectorised), runs are joined with a union–find to the runs they touch in the neighbouring rows, in parallel
/// over z-slabs, then across slab boundaries; the root of every set is its first run, so numbering the roots in
/// run order numbers the components in the order of their first voxel.
/// </summary>
/// <remarks>
/// The run-based scheme follows He, Chao and Suzuki, "A run-based two-scan labeling algorithm" (IEEE TIP 2008),
/// extended to 3D as in cc3d; the union–find links the larger root under the smaller with path halving
/// (Tarjan 1975), which keeps every parent index at most its child's and lets one forward pass number the sets.
/// </remarks>
internal static class RunLabeler
{
    // (dj, dk, widened): a neighbouring row behind the current one, and whether runs touching only diagonally in x connect.
    private static readonly (int Dj, int Dk, bool Widened)[] s_six = [(-1, 0, false), (0, -1, false)];
    private static readonly (int Dj, int Dk, bool Widened)[] s_eighteen = [(-1, 0, true), (0, -1, true), (-1, -1, false), (1, -1, false)];
    private static readonly (int Dj, int Dk, bool Widened)[] s_twentySix = [(-1, 0, true), (0, -1, true), (-1, -1, true), (1, -1, true)];

    public static LabelVolume Label(Mask mask, ConnectedComponentsOptions options, int[]? destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(options);
        byte[] voxels = mask.Voxels;

        // A fresh array is zeroed by the runtime (often for free: new pages from the OS are zero), so only runs need writing.
        bool zeroed = destination is null;
        int[] labels = destination ?? new int[voxels.Length];
        if (labels.Length != voxels.Length)
        {
            throw new ArgumentException($"The destination holds {labels.Length} labels but the mask has {voxels.Length} voxels.", nameof(destination));
        }

        (RunTable runs, int components) = LabelRuns(mask, invert: false, options, cancellationToken);
        WriteLabels(runs, labels, zeroed, options, cancellationToken);
        options.Progress?.Report(1.0);
        return new LabelVolume(mask.Geometry, labels, components, runs);
    }

    /// <summary>Labels the runs of the foreground (or, with <paramref name="invert"/>, of the background) without writing a label volume.</summary>
    public static (RunTable Runs, int Components) LabelRuns(Mask mask, bool invert, ConnectedComponentsOptions options, CancellationToken cancellationToken) =>
        LabelRuns(new MaskRunSource(mask.Voxels, mask.Geometry.SizeX, invert), mask.Geometry.SizeX, mask.Geometry.SizeY, mask.Geometry.SizeZ, options, cancellationToken);

    /// <summary>Labels the runs a source yields, row by row, without any array of the whole volume.</summary>
    public static (RunTable Runs, int Components) LabelRuns<TSource>(
        TSource source, int sizeX, int sizeY, int sizeZ, ConnectedComponentsOptions options, CancellationToken cancellationToken)
        where TSource : struct, IRunSource
    {
        (int Dj, int Dk, bool Widened)[] neighbours = options.Connectivity switch
        {
            Connectivity.Six => s_six,
            Connectivity.Eighteen => s_eighteen,
            Connectivity.TwentySix => s_twentySix,
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Connectivity, "Connectivity must be 6, 18 or 26."),
        };

        int rows = sizeY * sizeZ;
        int threads = options.MaxDegreeOfParallelism > 0 ? options.MaxDegreeOfParallelism : Environment.ProcessorCount;
        int slabCount = Math.Clamp(threads * 4, 1, sizeZ);
        if (threads == 1)
        {
            slabCount = 1;
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken };
        IProgress<double>? progress = options.Progress;

        // Phase 1: runs of every row, into per-slab buffers; RowFirst holds slab-local run indices for now.
        var rowFirst = new int[rows + 1];
        var slabStarts = new int[slabCount][];
        var slabEnds = new int[slabCount][];
        var slabRuns = new int[slabCount];
        Parallel.For(0, slabCount, parallel, s =>
        {
            (int k0, int k1) = SlabRange(s, slabCount, sizeZ);
            // Exact-size arrays, not the shared pool: nothing stays parked after the run.
            int[] starts = new int[Math.Max(64, sizeX * sizeY / 8)];
            int[] ends = new int[starts.Length];
            byte[] scratch = new byte[sizeX];
            int count = 0;
            for (int k = k0; k < k1; k++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                for (int j = 0; j < sizeY; j++)
                {
                    int row = j + (sizeY * k);
                    rowFirst[row] = count;
                    if (starts.Length - count < (sizeX / 2) + 1)
                    {
                        Grow(ref starts, count);
                        Grow(ref ends, count);
                    }

                    count += source.ExtractRow(row, starts.AsSpan(count), ends.AsSpan(count), scratch);
                }
            }

            slabStarts[s] = starts;
            slabEnds[s] = ends;
            slabRuns[s] = count;
        });
        progress?.Report(0.3);

        var slabBase = new int[slabCount + 1];
        for (int s = 0; s < slabCount; s++)
        {
            slabBase[s + 1] = checked(slabBase[s] + slabRuns[s]);
        }

        int runCount = slabBase[slabCount];
        rowFirst[rows] = runCount;
        var runStarts = GC.AllocateUninitializedArray<int>(runCount);
        var runEnds = GC.AllocateUninitializedArray<int>(runCount);
        var parent = GC.AllocateUninitializedArray<int>(runCount);

        // Phase 2: global run indices; then unions inside each slab (no slab touches another's runs).
        Parallel.For(0, slabCount, parallel, s =>
        {
            (int k0, int k1) = SlabRange(s, slabCount, sizeZ);
            int b = slabBase[s];
            for (int row = k0 * sizeY; row < k1 * sizeY; row++)
            {
                rowFirst[row] += b;
            }

            slabStarts[s].AsSpan(0, slabRuns[s]).CopyTo(runStarts.AsSpan(b));
            slabEnds[s].AsSpan(0, slabRuns[s]).CopyTo(runEnds.AsSpan(b));
            slabStarts[s] = null!;
            slabEnds[s] = null!;
            for (int n = b; n < b + slabRuns[s]; n++)
            {
                parent[n] = n;
            }
        });

        // The last row of a slab ends where the next slab's first row starts, so unions wait until every slab is shifted.
        Parallel.For(0, slabCount, parallel, s =>
        {
            (int k0, int k1) = SlabRange(s, slabCount, sizeZ);
            for (int k = k0; k < k1; k++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                for (int j = 0; j < sizeY; j++)
                {
                    int row = j + (sizeY * k);
                    if (rowFirst[row] == rowFirst[row + 1])
                    {
                        continue;
                    }

                    foreach ((int dj, int dk, bool widened) in neighbours)
                    {
                        int nj = j + dj;
                        int nk = k + dk;
                        if (nk < k0 || (uint)nj >= (uint)sizeY)
                        {
                            continue;
                        }

                        int other = nj + (sizeY * nk);
                        UnionRows(rowFirst[row], rowFirst[row + 1], rowFirst[other], rowFirst[other + 1], widened ? 1 : 0, runStarts, runEnds, parent);
                    }
                }
            }
        });
        progress?.Report(0.5);

        // Phase 3: join across slab boundaries (one slice pair per boundary, sequential).
        for (int s = 1; s < slabCount; s++)
        {
            int k = SlabRange(s, slabCount, sizeZ).Start;
            for (int j = 0; j < sizeY; j++)
            {
                int row = j + (sizeY * k);
                if (rowFirst[row] == rowFirst[row + 1])
                {
                    continue;
                }

                foreach ((int dj, int dk, bool widened) in neighbours)
                {
                    int nj = j + dj;
                    if (dk == 0 || (uint)nj >= (uint)sizeY)
                    {
                        continue;
                    }

                    int other = nj + (sizeY * (k - 1));
                    UnionRows(rowFirst[row], rowFirst[row + 1], rowFirst[other], rowFirst[other + 1], widened ? 1 : 0, runStarts, runEnds, parent);
                }
            }
        }

        // Phase 4: number the roots in run order; parent[n] < n for every non-root, so its label is already known.
        int components = 0;
        for (int n = 0; n < runCount; n++)
        {
            int p = parent[n];
            parent[n] = p == n ? ++components : parent[p];
        }

        progress?.Report(0.6);
        return (new RunTable(sizeX, sizeY, sizeZ, rowFirst, runStarts, runEnds, parent), components);
    }

    private static void WriteLabels(RunTable runs, int[] labels, bool zeroed, ConnectedComponentsOptions options, CancellationToken cancellationToken)
    {
        int threads = options.MaxDegreeOfParallelism > 0 ? options.MaxDegreeOfParallelism : Environment.ProcessorCount;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken };
        int sizeX = runs.SizeX;
        int sizeY = runs.SizeY;
        int sizeZ = runs.SizeZ;
        int[] rowFirst = runs.RowFirst;
        int[] runStarts = runs.Starts;
        int[] runEnds = runs.Ends;
        int[] runLabels = runs.RunLabels;
        int slabCount = Math.Clamp(threads * 4, 1, sizeZ);

        // Phase 5: write the runs (and, into a caller's array, the background between them), in parallel over slabs.
        Parallel.For(0, slabCount, parallel, s =>
        {
            (int k0, int k1) = SlabRange(s, slabCount, sizeZ);
            for (int row = k0 * sizeY; row < k1 * sizeY; row++)
            {
                Span<int> target = labels.AsSpan(row * sizeX, sizeX);
                int x = 0;
                for (int n = rowFirst[row]; n < rowFirst[row + 1]; n++)
                {
                    int start = runStarts[n];
                    int end = runEnds[n];
                    if (!zeroed)
                    {
                        target[x..start].Clear();
                    }

                    target[start..end].Fill(runLabels[n]);
                    x = end;
                }

                if (!zeroed)
                {
                    target[x..].Clear();
                }
            }
        });
    }

    internal static (int Start, int End) SlabRange(int slab, int slabCount, int sizeZ) =>
        ((int)((long)slab * sizeZ / slabCount), (int)((long)(slab + 1) * sizeZ / slabCount));

    /// <summary>Finds the runs [start, end) of non-zero bytes (zero bytes with <paramref name="invert"/>) in a row; returns how many.</summary>
    internal static int ExtractRuns(ReadOnlySpan<byte> row, bool invert, Span<int> starts, Span<int> ends)
    {
        int count = 0;
        int x = 0;
        bool inRun = false;
        int runStart = 0;
        ref byte origin = ref MemoryMarshal.GetReference(row);
        uint flip = invert ? 0u : uint.MaxValue;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; x + 32 <= row.Length; x += 32)
            {
                Vector256<byte> v = Vector256.LoadUnsafe(ref origin, (nuint)x);
                uint inside = flip ^ Vector256.Equals(v, Vector256<byte>.Zero).ExtractMostSignificantBits();
                if (inside == (inRun ? uint.MaxValue : 0u))
                {
                    continue;
                }

                // A set bit marks where inside differs from the voxel before it: a run starts or ends there.
                uint changes = inside ^ ((inside << 1) | (inRun ? 1u : 0u));
                while (changes != 0)
                {
                    int bit = BitOperations.TrailingZeroCount(changes);
                    changes &= changes - 1;
                    if (inRun)
                    {
                        starts[count] = runStart;
                        ends[count] = x + bit;
                        count++;
                    }
                    else
                    {
                        runStart = x + bit;
                    }

                    inRun = !inRun;
                }
            }
        }

        for (; x < row.Length; x++)
        {
            bool inside = (Unsafe.Add(ref origin, x) != 0) != invert;
            if (inside == inRun)
            {
                continue;
            }

            if (inRun)
            {
                starts[count] = runStart;
                ends[count] = x;
                count++;
            }
            else
            {
                runStart = x;
            }

            inRun = inside;
        }

        if (inRun)
        {
            starts[count] = runStart;
            ends[count] = row.Length;
            count++;
        }

        return count;
    }

    /// <summary>Joins every run of [a0, a1) with the runs of [b0, b1) it touches (overlap widened by <paramref name="widen"/> voxels).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UnionRows(int a0, int a1, int b0, int b1, int widen, int[] starts, int[] ends, int[] parent)
    {
        int a = a0;
        int b = b0;
        int rootA = -1; // the root of run a's set, once found; a run usually touches several runs of the other row
        while (a < a1 && b < b1)
        {
            int aEnd = ends[a];
            int bEnd = ends[b];
            if (starts[a] < bEnd + widen && starts[b] < aEnd + widen)
            {
                if (rootA < 0)
                {
                    rootA = Find(a, parent);
                }

                int rootB = Find(b, parent);
                if (rootB < rootA)
                {
                    parent[rootA] = rootB;
                    rootA = rootB;
                }
                else if (rootA < rootB)
                {
                    parent[rootB] = rootA;
                }
            }

            // The run that ends first cannot touch any later run of the other row.
            if (aEnd <= bEnd)
            {
                a++;
                rootA = -1;
            }
            else
            {
                b++;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Find(int n, int[] parent)
    {
        while (true)
        {
            int p = parent[n];
            if (p == n)
            {
                return n;
            }

            int g = parent[p];
            if (g != p)
            {
                parent[n] = g; // path halving
            }

            n = g;
        }
    }

    private static void Grow(ref int[] buffer, int used)
    {
        int[] larger = new int[checked(buffer.Length * 2)];
        buffer.AsSpan(0, used).CopyTo(larger);
        buffer = larger;
    }
}
