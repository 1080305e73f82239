namespace VolumeMesh.Segmentation;

/// <summary>Options of <see cref="Threshold"/>.</summary>
public sealed record ThresholdOptions
{
    /// <summary>The default options: all cores, no progress.</summary>
    public static ThresholdOptions Default { get; } = new();

    /// <summary>Threads to use; −1 (the default) uses every core. The result is identical for any value.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Receives the fraction of slices done, from 0 to 1.</summary>
    public IProgress<double>? Progress { get; init; }
}
