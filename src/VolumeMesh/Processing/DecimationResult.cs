using VolumeMesh.Meshing;

namespace VolumeMesh.Processing;

/// <summary>Why decimation stopped.</summary>
public enum DecimationStopReason
{
    /// <summary>The triangle count reached the target given by <see cref="DecimationOptions.TargetTriangleCount"/> or <see cref="DecimationOptions.ReductionRatio"/>.</summary>
    TargetReached,

    /// <summary>No remaining collapse keeps the topology, the triangle quality and the error bound; the target was not reached.</summary>
    NoValidCollapse,
}

/// <summary>The outcome of <see cref="MeshDecimator.Decimate"/>.</summary>
public sealed record DecimationResult
{
    /// <summary>The decimated mesh (unreferenced vertices removed, triangles in the order of the input triangles they descend from).</summary>
    public required Mesh Mesh { get; init; }

    /// <summary>Triangles of the input (degenerate triangles with a repeated corner are dropped and not counted).</summary>
    public int TrianglesBefore { get; init; }

    /// <summary>Triangles of the output.</summary>
    public int TrianglesAfter { get; init; }

    /// <summary>Edge collapses performed.</summary>
    public int Collapses { get; init; }

    /// <summary>
    /// The largest, over all collapses, root of the area-weighted mean squared distance (mm) from the new vertex to the
    /// planes of the original triangles merged into it: the quadric error, not a Hausdorff distance.
    /// </summary>
    public double MaxQuadricErrorMm { get; init; }

    /// <summary>
    /// When <see cref="DecimationOptions.MaxErrorMm"/> is set: an upper bound (mm) of the distance from any point of the
    /// input to the output surface, kept while decimating (at most MaxErrorMm); null otherwise.
    /// </summary>
    public double? MeasuredErrorMm { get; init; }

    /// <summary>Why decimation stopped.</summary>
    public DecimationStopReason StopReason { get; init; }

    /// <summary>With an error bound: the triangle count at which the exact checks took over from the mapping bound; null when they did not.</summary>
    internal int? ExactFromTriangles { get; init; }

    /// <summary>Pieces of split input triangles attached when the exact checks took over.</summary>
    internal int AttachedPieces { get; init; }

    /// <summary>Vertices locked around input pieces no fan was proved to cover when the exact checks took over.</summary>
    internal int LockedVertices { get; init; }
}
