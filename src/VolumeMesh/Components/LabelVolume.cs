using System.Numerics;
using System.Runtime.InteropServices;
using VolumeMesh.Geometry;
using VolumeMesh.Volumes;

namespace VolumeMesh.Components;

/// <summary>
/// The result of connected-component labelling: one <see cref="int"/> label per voxel (0 = background,
/// 1..<see cref="ComponentCount"/> = components), with the geometry of the labelled mask.
/// </summary>
/// <remarks>
/// Components are numbered consecutively in the order of their first voxel in memory order (x fastest, then y,
/// then z), so every backend produces the same labels. Layout as <see cref="Volume{T}"/>.
/// </remarks>
public sealed class LabelVolume
{
    private readonly RunTable? _runs;
    private ComponentStatistics[]? _statistics;

    /// <summary>Creates a label volume over existing labels.</summary>
    /// <param name="geometry">The geometry.</param>
    /// <param name="labels">One label per voxel, x fastest; 0 background, 1..<paramref name="componentCount"/> components.</param>
    /// <param name="componentCount">The number of components N; every label 1..N must occur.</param>
    /// <exception cref="ArgumentException">The label count does not match the geometry.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="componentCount"/> is negative.</exception>
    public LabelVolume(VolumeGeometry geometry, int[] labels, int componentCount)
        : this(geometry, labels, componentCount, null)
    {
    }

    internal LabelVolume(VolumeGeometry geometry, int[] labels, int componentCount, RunTable? runs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(componentCount);
        Volume = new Volume<int>(geometry, labels);
        ComponentCount = componentCount;
        _runs = runs;
    }

    /// <summary>The labels as an integer volume.</summary>
    public Volume<int> Volume { get; }

    /// <summary>The geometry.</summary>
    public VolumeGeometry Geometry => Volume.Geometry;

    /// <summary>The labels, x fastest.</summary>
    public int[] Labels => Volume.Voxels;

    /// <summary>The number of components N (labels run 1..N).</summary>
    public int ComponentCount { get; }

    /// <summary>The label of voxel (i, j, k).</summary>
    /// <param name="i">Index along a row.</param>
    /// <param name="j">Index along a column.</param>
    /// <param name="k">Slice index.</param>
    /// <returns>0 for background, else the component label.</returns>
    public int this[int i, int j, int k] => Volume[i, j, k];

    /// <summary>
    /// Statistics of every component, index <c>label − 1</c>: voxel count, volume in mm³, bounding box and centroid in patient mm.
    /// Computed on first use (from the runs when the CPU labeller produced this volume, else by one pass over the labels).
    /// </summary>
    /// <exception cref="InvalidOperationException">The labels are not numbered 1..N without gaps, or a label is outside 0..N.</exception>
    public IReadOnlyList<ComponentStatistics> Statistics => _statistics ??= ComputeStatistics();

    /// <summary>Creates a mask of the voxels whose label is in <paramref name="labels"/>.</summary>
    /// <param name="labels">Labels to include (each 1..N); 0 and duplicates are ignored.</param>
    /// <returns>A mask with 1 inside the chosen components.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A label is negative or larger than <see cref="ComponentCount"/>.</exception>
    public Mask CreateMask(IEnumerable<int> labels) => CreateMask(labels, Execution.Parallelism.AllCores);

    /// <summary>Creates a mask of the voxels whose label is in <paramref name="labels"/>, on at most <paramref name="maxDegreeOfParallelism"/> threads.</summary>
    /// <param name="labels">Labels to include (each 1..N); 0 and duplicates are ignored.</param>
    /// <param name="maxDegreeOfParallelism">Threads (see <see cref="Execution.Parallelism"/>: −1 or 0 every core).</param>
    /// <returns>A mask with 1 inside the chosen components.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A label is negative or larger than <see cref="ComponentCount"/>, or the thread count is below −1.</exception>
    public Mask CreateMask(IEnumerable<int> labels, int maxDegreeOfParallelism)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ParallelOptions parallel = Execution.Parallelism.Options(maxDegreeOfParallelism);
        var keep = new bool[ComponentCount + 1];
        int kept = 0;
        foreach (int label in labels)
        {
            if ((uint)label > (uint)ComponentCount)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), label, $"Labels run from 1 to {ComponentCount}.");
            }

            if (label != 0 && !keep[label])
            {
                keep[label] = true;
                kept++;
            }
        }

        var voxels = new byte[Labels.Length];
        if (kept == 0)
        {
            return new Mask(Geometry, voxels);
        }

        if (_runs is not null)
        {
            FillFromRuns(_runs, keep, voxels, parallel);
        }
        else
        {
            FillFromLabels(Labels, keep, voxels, Geometry.SizeX * Geometry.SizeY, parallel);
        }

        return new Mask(Geometry, voxels);
    }

    internal RunTable? Runs => _runs;

    private static void FillFromRuns(RunTable runs, bool[] keep, byte[] voxels, ParallelOptions parallel)
    {
        Parallel.For(0, runs.SizeZ, parallel, k =>
        {
            for (int row = k * runs.SizeY; row < (k + 1) * runs.SizeY; row++)
            {
                int offset = row * runs.SizeX;
                for (int n = runs.RowFirst[row]; n < runs.RowFirst[row + 1]; n++)
                {
                    if (keep[runs.RunLabels[n]])
                    {
                        voxels.AsSpan(offset + runs.Starts[n], runs.Ends[n] - runs.Starts[n]).Fill(1);
                    }
                }
            }
        });
    }

    private static void FillFromLabels(int[] labels, bool[] keep, byte[] voxels, int sliceLength, ParallelOptions parallel)
    {
        int slices = labels.Length / sliceLength;
        Parallel.For(0, slices, parallel, k =>
        {
            ReadOnlySpan<int> source = labels.AsSpan(k * sliceLength, sliceLength);
            Span<byte> target = voxels.AsSpan(k * sliceLength, sliceLength);
            int x = 0;
            if (Vector.IsHardwareAccelerated)
            {
                ReadOnlySpan<Vector<int>> vectors = MemoryMarshal.Cast<int, Vector<int>>(source);
                for (int v = 0; v < vectors.Length; v++)
                {
                    if (vectors[v] == Vector<int>.Zero)
                    {
                        continue;
                    }

                    int baseIndex = v * Vector<int>.Count;
                    for (int n = 0; n < Vector<int>.Count; n++)
                    {
                        target[baseIndex + n] = keep[source[baseIndex + n]] ? (byte)1 : (byte)0;
                    }
                }

                x = vectors.Length * Vector<int>.Count;
            }

            for (; x < source.Length; x++)
            {
                target[x] = keep[source[x]] ? (byte)1 : (byte)0;
            }
        });
    }

    private ComponentStatistics[] ComputeStatistics()
    {
        var builder = new StatisticsBuilder(Geometry, ComponentCount);
        if (_runs is not null)
        {
            RunTable runs = _runs;
            for (int k = 0; k < runs.SizeZ; k++)
            {
                for (int j = 0; j < runs.SizeY; j++)
                {
                    int row = j + (runs.SizeY * k);
                    for (int n = runs.RowFirst[row]; n < runs.RowFirst[row + 1]; n++)
                    {
                        builder.AddRun(runs.RunLabels[n], runs.Starts[n], runs.Ends[n], j, k);
                    }
                }
            }

            return builder.Build();
        }

        int sizeX = Geometry.SizeX;
        int[] labels = Labels;
        for (int k = 0; k < Geometry.SizeZ; k++)
        {
            for (int j = 0; j < Geometry.SizeY; j++)
            {
                ReadOnlySpan<int> rowLabels = labels.AsSpan((int)Volume.IndexOf(0, j, k), sizeX);
                int x = 0;
                while (x < sizeX)
                {
                    int label = rowLabels[x];
                    if (label == 0)
                    {
                        int next = rowLabels[x..].IndexOfAnyExcept(0);
                        if (next < 0)
                        {
                            break;
                        }

                        x += next;
                        continue;
                    }

                    if ((uint)label > (uint)ComponentCount)
                    {
                        throw new InvalidOperationException(
                            $"Voxel ({x}, {j}, {k}) has label {label}, outside 0..{ComponentCount}.");
                    }

                    int end = rowLabels[x..].IndexOfAnyExcept(label);
                    end = end < 0 ? sizeX : x + end;
                    builder.AddRun(label, x, end, j, k);
                    x = end;
                }
            }
        }

        return builder.Build();
    }
}
