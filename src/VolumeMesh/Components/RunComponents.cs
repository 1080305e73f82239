using System.Numerics;
using VolumeMesh.Geometry;
using VolumeMesh.Segmentation;
using VolumeMesh.Volumes;

namespace VolumeMesh.Components;

/// <summary>
/// Connected components held as labelled runs, with no label per voxel: the memory is a few integers per run instead of
/// four bytes per voxel. Labels, statistics and selection equal <see cref="ConnectedComponents.Label(Mask, ConnectedComponentsOptions?, CancellationToken)"/>
/// and <see cref="ComponentSelector"/> on the same mask.
/// </summary>
internal sealed class RunComponents
{
    private RunComponents(VolumeGeometry geometry, RunTable runs, int componentCount)
    {
        Geometry = geometry;
        Runs = runs;
        ComponentCount = componentCount;
        Statistics = runs.Statistics(geometry, componentCount);
    }

    /// <summary>The geometry.</summary>
    public VolumeGeometry Geometry { get; }

    /// <summary>The labelled runs.</summary>
    public RunTable Runs { get; }

    /// <summary>The number of components N.</summary>
    public int ComponentCount { get; }

    /// <summary>Statistics of every component, index label − 1.</summary>
    public ComponentStatistics[] Statistics { get; }

    /// <summary>Labels the voxels of a volume inside a range (classified as <see cref="Threshold.Apply{T}"/> does) straight
    /// from the volume, without a mask of it.</summary>
    public static RunComponents FromThreshold<T>(Volume<T> volume, HuRange range, ConnectedComponentsOptions options, CancellationToken cancellationToken)
        where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(options);
        (RunTable runs, int components) = RunLabeler.LabelRuns(
            new ThresholdRunSource<T>(volume.Voxels, volume.SizeX, range), volume.SizeX, volume.SizeY, volume.SizeZ, options, cancellationToken);
        var result = new RunComponents(volume.Geometry, runs, components);
        options.Progress?.Report(1.0);
        return result;
    }

    /// <summary>Labels the set voxels of a packed mask.</summary>
    public static RunComponents FromBits(BitMask mask, ConnectedComponentsOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(options);
        (RunTable runs, int components) = RunLabeler.LabelRuns(
            new BitMaskRunSource(mask, invert: false), mask.SizeX, mask.SizeY, mask.SizeZ, options, cancellationToken);
        var result = new RunComponents(mask.Geometry, runs, components);
        options.Progress?.Report(1.0);
        return result;
    }

    /// <summary>The label of voxel (i, j, k); 0 for background.</summary>
    public int this[int i, int j, int k] => Runs.LabelAt(i, j, k);

    /// <summary>The labels a selection keeps, as <see cref="ComponentSelector.SelectLabels(LabelVolume, ComponentSelection)"/>.</summary>
    public IReadOnlyList<int> Select(ComponentSelection selection) => ComponentSelector.SelectLabels(Statistics, Geometry, Runs.LabelAt, selection);

    /// <summary>A packed mask of the components whose labels are given.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A label is negative or larger than <see cref="ComponentCount"/>.</exception>
    public BitMask CreateBitMask(IReadOnlyList<int> labels, int maxDegreeOfParallelism, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var keep = new bool[ComponentCount + 1];
        foreach (int label in labels)
        {
            if ((uint)label > (uint)ComponentCount)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), label, $"Labels run from 1 to {ComponentCount}.");
            }

            keep[label] = label != 0;
        }

        var mask = new BitMask(Geometry);
        Runs.SetRuns(mask, keep, maxDegreeOfParallelism, cancellationToken);
        return mask;
    }
}
