namespace VolumeMesh.Segmentation;

/// <summary>Options of <see cref="Morphology"/>.</summary>
public sealed record MorphologyOptions
{
    /// <summary>The default options: all cores.</summary>
    public static MorphologyOptions Default { get; } = new();

    /// <summary>Threads to use; −1 (the default) uses every core. The result is identical for any value.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Receives the fraction of the work done, from 0 to 1.</summary>
    public IProgress<double>? Progress { get; init; }

    /// <summary>
    /// Window half-widths (radius ÷ spacing, in voxels) up to this use the vectorised min-plus scan along y and z; longer ones
    /// the parabola envelope, whose cost does not grow with the radius. Both give the same result; tests set it to force a path.
    /// </summary>
    internal int MaxMinPlusWindow { get; init; } = 24;
}
