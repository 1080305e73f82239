using VolumeMesh.Components;

namespace VolumeMesh.Segmentation;

/// <summary>Options of <see cref="HoleFilling"/>.</summary>
public sealed record HoleFillingOptions
{
    /// <summary>The default options: 26-connected foreground (6-connected background), every hole filled, all cores.</summary>
    public static HoleFillingOptions Default { get; } = new();

    /// <summary>
    /// The connectivity of the foreground; the background is labelled with its complement
    /// (<see cref="ConnectivityExtensions.Complement"/>), so a cavity is exactly what a closed foreground surface encloses.
    /// </summary>
    public Connectivity Connectivity { get; init; } = Connectivity.TwentySix;

    /// <summary>Only cavities up to this volume in mm³ are filled; every cavity by default.</summary>
    public double MaximumHoleVolumeMm3 { get; init; } = double.PositiveInfinity;

    /// <summary>Threads to use; −1 (the default) uses every core. The result is identical for any value.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Receives the fraction of the work done, from 0 to 1.</summary>
    public IProgress<double>? Progress { get; init; }
}
