namespace VolumeMesh.Segmentation;

/// <summary>Options of <see cref="BoneSeparation"/>.</summary>
public sealed record SeparationOptions
{
    /// <summary>The default options.</summary>
    public static SeparationOptions Default { get; } = new();

    /// <summary>A seed outside the mask moves to the nearest inside voxel within this distance, in mm (default 3 mm);
    /// farther, the seed is refused.</summary>
    public double SeedSearchRadiusMm { get; init; } = 3;

    /// <summary>Threads for the distance transform; −1 (the default) uses every core. The result is identical for any value.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Receives the fraction of the flood done.</summary>
    public IProgress<double>? Progress { get; init; }
}
