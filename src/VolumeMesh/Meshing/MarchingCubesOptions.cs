namespace VolumeMesh.Meshing;

/// <summary>Options of the managed CPU marching-cubes engine.</summary>
public sealed record MarchingCubesOptions
{
    /// <summary>The default options: all cores.</summary>
    public static MarchingCubesOptions Default { get; } = new();

    /// <summary>Threads to use; −1 (the default) or 0 uses every core. The output is identical for any value.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Receives the fraction of slices done, from 0 to 1.</summary>
    public IProgress<double>? Progress { get; init; }
}
