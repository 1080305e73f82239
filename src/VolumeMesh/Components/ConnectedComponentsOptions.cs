namespace VolumeMesh.Components;

/// <summary>Options of connected-component labelling.</summary>
public sealed record ConnectedComponentsOptions
{
    /// <summary>The default options: 26-connectivity, all cores.</summary>
    public static ConnectedComponentsOptions Default { get; } = new();

    /// <summary>Which neighbours are connected; 26 (face, edge and corner) by default.</summary>
    public Connectivity Connectivity { get; init; } = Connectivity.TwentySix;

    /// <summary>Threads to use; −1 (the default) uses every core. The labels are identical for any value.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Receives the fraction of the work done, from 0 to 1.</summary>
    public IProgress<double>? Progress { get; init; }
}
