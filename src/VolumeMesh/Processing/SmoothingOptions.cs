namespace VolumeMesh.Processing;

/// <summary>The window that tapers the windowed-sinc filter's Chebyshev coefficients.</summary>
public enum SincWindow
{
    /// <summary>Hamming window: 0.54 + 0.46·cos(πn/(N+1)).</summary>
    Hamming,

    /// <summary>
    /// Nuttall's four-term window: lower side lobes but a wider transition, which at a given degree attenuates the
    /// lowest frequencies more (a sphere shrinks); use about twice the iterations of <see cref="Hamming"/>.
    /// </summary>
    Nuttall,
}

/// <summary>Options of <see cref="MeshSmoother.Taubin"/> (Taubin 1995, λ|μ smoothing).</summary>
/// <remarks>
/// Each iteration moves every vertex by λ times its umbrella vector (the mean of its neighbours minus itself), then by μ
/// times the new umbrella vector. With μ &lt; −λ the pair amplifies nothing and removes high frequencies without the
/// shrinkage of plain Laplacian smoothing; the pass-band frequency is 1/λ + 1/μ (0.1 for the defaults).
/// </remarks>
public sealed record TaubinSmoothingOptions
{
    /// <summary>Number of λ|μ pairs. Default 10.</summary>
    public int Iterations { get; init; } = 10;

    /// <summary>The positive (shrinking) factor λ, in (0, 1]. Default 0.5.</summary>
    public double Lambda { get; init; } = 0.5;

    /// <summary>The negative (inflating) factor μ; must satisfy μ &lt; −λ. Default −0.5263 (pass band 0.1 with λ = 0.5).</summary>
    public double Mu { get; init; } = -0.5263;

    /// <summary>Whether vertices on open or non-manifold edges stay where they are. Default true.</summary>
    public bool FixBoundary { get; init; } = true;

    /// <summary>
    /// Vertices that stay exactly where they are, one flag per vertex of the input mesh (true = locked); none when null.
    /// Used to keep the surface two label-map parts share identical on both.
    /// </summary>
    /// <remarks>The length must equal the mesh's vertex count, else the smoother throws an <see cref="ArgumentException"/>.</remarks>
    public IReadOnlyList<bool>? LockedVertices { get; init; }

    /// <summary>Threads: a positive count, or −1 (the default) or 0 for every core (<see cref="Execution.Parallelism"/>). The result does not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}

/// <summary>Options of <see cref="MeshSmoother.WindowedSinc"/> (Taubin, Zhang &amp; Golub 1996).</summary>
/// <remarks>
/// The filter is a polynomial of degree <see cref="Iterations"/> in the umbrella operator: the Chebyshev expansion of an
/// ideal low-pass filter (1 below the pass band, 0 above), tapered by a window and scaled so that a constant, and
/// hence a translation, passes unchanged. Frequencies are eigenvalues k ∈ [0, 2] of I − W (W: neighbour mean), mapped
/// to the Chebyshev variable 1 − k/2, as in VTK's vtkWindowedSincPolyDataFilter whose pass band has the same meaning.
/// </remarks>
public sealed record WindowedSincOptions
{
    /// <summary>Polynomial degree (one neighbour averaging each). Default 20.</summary>
    public int Iterations { get; init; } = 20;

    /// <summary>Pass band in (0, 2): lower smooths more. Default 0.1.</summary>
    public double PassBand { get; init; } = 0.1;

    /// <summary>The window. Default <see cref="SincWindow.Hamming"/> (with the default degree and pass band, a sphere's volume changes by well under 1%).</summary>
    public SincWindow Window { get; init; } = SincWindow.Hamming;

    /// <summary>Whether vertices on open or non-manifold edges stay where they are. Default true.</summary>
    public bool FixBoundary { get; init; } = true;

    /// <summary>
    /// Vertices that stay exactly where they are, one flag per vertex of the input mesh (true = locked); none when null.
    /// Used to keep the surface two label-map parts share identical on both.
    /// </summary>
    /// <remarks>The length must equal the mesh's vertex count, else the smoother throws an <see cref="ArgumentException"/>.</remarks>
    public IReadOnlyList<bool>? LockedVertices { get; init; }

    /// <summary>Threads: a positive count, or −1 (the default) or 0 for every core (<see cref="Execution.Parallelism"/>). The result does not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
