using VolumeMesh.Components;
using VolumeMesh.Volumes;

namespace VolumeMesh.Segmentation;

/// <summary>
/// Fills enclosed cavities of a mask: background that is not connected to the border of the volume becomes foreground,
/// so marrow spaces do not turn into inner shells of a printed model.
/// </summary>
public static class HoleFilling
{
    /// <summary>Fills every enclosed cavity (up to <see cref="HoleFillingOptions.MaximumHoleVolumeMm3"/>).</summary>
    /// <param name="mask">The mask; it is not modified.</param>
    /// <param name="options">Connectivity and limits; <see cref="HoleFillingOptions.Default"/> when omitted.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A new mask: the input plus its filled cavities (1 inside).</returns>
    /// <remarks>
    /// The background is labelled (runs and union–find, <see cref="ConnectedComponents"/>) with the complement of the foreground
    /// connectivity; a background component is a cavity when its bounding box does not reach a face of the volume, that is,
    /// when none of its voxels lies on the border (outside the volume counts as outside, so border background is never a cavity).
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="mask"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The maximum hole volume is negative or NaN.</exception>
    /// <exception cref="OperationCanceledException">The operation was cancelled.</exception>
    public static Mask Fill(Mask mask, HoleFillingOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mask);
        options ??= HoleFillingOptions.Default;
        if (!(options.MaximumHoleVolumeMm3 >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaximumHoleVolumeMm3, "The maximum hole volume must be at least 0 mm³.");
        }

        var labelling = new ConnectedComponentsOptions
        {
            Connectivity = options.Connectivity.Complement(),
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
        };
        (RunTable runs, int components) = RunLabeler.LabelRuns(mask, invert: true, labelling, cancellationToken);
        options.Progress?.Report(0.6);

        var statistics = new StatisticsBuilder(mask.Geometry, components);
        for (int k = 0; k < runs.SizeZ; k++)
        {
            for (int j = 0; j < runs.SizeY; j++)
            {
                int row = j + (runs.SizeY * k);
                for (int n = runs.RowFirst[row]; n < runs.RowFirst[row + 1]; n++)
                {
                    statistics.AddRun(runs.RunLabels[n], runs.Starts[n], runs.Ends[n], j, k);
                }
            }
        }

        var fill = new bool[components + 1];
        foreach (ComponentStatistics background in statistics.Build())
        {
            fill[background.Label] = !background.TouchesBorder(mask.Geometry) && background.VolumeMm3 <= options.MaximumHoleVolumeMm3;
        }

        byte[] result = (byte[])mask.Voxels.Clone();
        Parallel.For(
            0,
            runs.SizeZ,
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism > 0 ? options.MaxDegreeOfParallelism : -1, CancellationToken = cancellationToken },
            k =>
            {
                for (int row = k * runs.SizeY; row < (k + 1) * runs.SizeY; row++)
                {
                    for (int n = runs.RowFirst[row]; n < runs.RowFirst[row + 1]; n++)
                    {
                        if (fill[runs.RunLabels[n]])
                        {
                            result.AsSpan((row * runs.SizeX) + runs.Starts[n], runs.Ends[n] - runs.Starts[n]).Fill(1);
                        }
                    }
                }
            });
        options.Progress?.Report(1.0);
        return new Mask(mask.Geometry, result);
    }
}
