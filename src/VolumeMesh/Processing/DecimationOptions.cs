namespace VolumeMesh.Processing;

/// <summary>Options of <see cref="MeshDecimator.Decimate"/>: when to stop, and which collapses are allowed.</summary>
/// <remarks>
/// Decimation stops at whichever of <see cref="TargetTriangleCount"/>, <see cref="ReductionRatio"/> and
/// <see cref="MaxErrorMm"/> is reached first; at least one of them must be set. Lengths are millimetres.
/// </remarks>
public sealed record DecimationOptions
{
    /// <summary>Stop when no more than this many triangles remain; null for no count target.</summary>
    public int? TargetTriangleCount { get; init; }

    /// <summary>
    /// The fraction of the triangles to remove, in [0, 1): 0.9 keeps 10% (the "reduction" of VTK and 3D Slicer); null for no ratio target.
    /// </summary>
    public double? ReductionRatio { get; init; }

    /// <summary>
    /// The largest allowed geometric error in mm, or null for none. When set, every collapse is checked against the
    /// original surface (see <see cref="MeshDecimator"/> for exactly what is guaranteed); decimation then stops when no
    /// further collapse keeps the error within this bound.
    /// </summary>
    public double? MaxErrorMm { get; init; }

    /// <summary>Whether boundary (open) edges and their vertices stay exactly where they are.</summary>
    public bool LockBoundary { get; init; }

    /// <summary>
    /// Vertices that must stay exactly where they are, one flag per vertex of the input mesh (true = locked); none when
    /// null. An edge between two locked vertices is never collapsed; an edge from a locked to a free vertex collapses into
    /// the locked one. Used to keep the surface two label-map parts share identical on both (see
    /// <see cref="Labels.LabelMapMesher"/>).
    /// </summary>
    /// <remarks>The length must equal the mesh's vertex count, else <see cref="MeshDecimator.Decimate"/> throws an <see cref="ArgumentException"/>.</remarks>
    public IReadOnlyList<bool>? LockedVertices { get; init; }

    /// <summary>Whether each interior collapse places its vertex so that the enclosed volume does not change (Lindstrom &amp; Turk 1998). Default true.</summary>
    public bool PreserveVolume { get; init; } = true;

    /// <summary>
    /// The smallest triangle quality a collapse may create, unless the triangle was already worse: 4√3·area / (sum of
    /// squared edge lengths), 1 for an equilateral triangle, 0 for a degenerate one. Default 0.1 (a triangle of about
    /// 5° smallest angle); 0 disables the guard.
    /// </summary>
    public double MinTriangleQuality { get; init; } = 0.1;

    /// <summary>The largest rotation of a triangle's normal in one collapse, in degrees, in (0, 180]. Default 60; a flip (more than 90°) is always refused.</summary>
    public double MaxNormalChangeDegrees { get; init; } = 60;

    /// <summary>Weight of the boundary-preserving planes (Garland &amp; Heckbert 1997 §6) relative to the face planes, used when the boundary is not locked. Default 100.</summary>
    public double BoundaryWeight { get; init; } = 100;

    /// <summary>Threads: a positive count, or −1 (the default) or 0 for every core (<see cref="Execution.Parallelism"/>). The result does not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
