using VolumeMesh.Components;
using VolumeMesh.Volumes;

namespace VolumeMesh.Segmentation;

/// <summary>
/// <see cref="HoleFilling"/> on a packed mask, in place: the background is labelled as runs straight from the bits, and the
/// cavities are set bit-range by bit-range. The result equals <see cref="HoleFilling.Fill"/> on the same mask.
/// </summary>
internal static class PackedHoleFilling
{
    /// <summary>Fills the enclosed cavities of <paramref name="mask"/> (the mask is modified).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The maximum hole volume is negative or NaN.</exception>
    /// <exception cref="OperationCanceledException">The operation was cancelled.</exception>
    public static void FillInPlace(BitMask mask, HoleFillingOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.MaximumHoleVolumeMm3 >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaximumHoleVolumeMm3, "The maximum hole volume must be at least 0 mm³.");
        }

        var labelling = new ConnectedComponentsOptions
        {
            Connectivity = options.Connectivity.Complement(),
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
        };
        (RunTable runs, int components) = RunLabeler.LabelRuns(
            new BitMaskRunSource(mask, invert: true), mask.SizeX, mask.SizeY, mask.SizeZ, labelling, cancellationToken);
        options.Progress?.Report(0.6);

        var fill = new bool[components + 1];
        foreach (ComponentStatistics background in runs.Statistics(mask.Geometry, components))
        {
            fill[background.Label] = !background.TouchesBorder(mask.Geometry) && background.VolumeMm3 <= options.MaximumHoleVolumeMm3;
        }

        runs.SetRuns(mask, fill, options.MaxDegreeOfParallelism, cancellationToken);
        options.Progress?.Report(1.0);
    }
}
