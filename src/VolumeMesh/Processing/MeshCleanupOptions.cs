namespace VolumeMesh.Processing;

/// <summary>Options of <see cref="MeshCleanup.Clean"/>.</summary>
public sealed record MeshCleanupOptions
{
    /// <summary>Vertices closer than this (mm) are merged; 0 merges only identical positions. Default 0.</summary>
    public double WeldToleranceMm { get; init; }

    /// <summary>Shells with fewer triangles are removed. Default 0 (none).</summary>
    public int MinShellTriangles { get; init; }

    /// <summary>Shells enclosing less than this volume (mm³, absolute value of the signed volume) are removed. Default 0 (none).</summary>
    public double MinShellVolumeMm3 { get; init; }
}

/// <summary>What <see cref="MeshCleanup.Clean"/> removed.</summary>
public sealed record MeshCleanupResult
{
    /// <summary>The cleaned mesh.</summary>
    public required VolumeMesh.Meshing.Mesh Mesh { get; init; }

    /// <summary>Vertices merged into another by welding.</summary>
    public int WeldedVertices { get; init; }

    /// <summary>Triangles removed because a corner repeats or the area is zero.</summary>
    public int DegenerateTriangles { get; init; }

    /// <summary>Triangles removed because an earlier triangle has the same three vertices.</summary>
    public int DuplicateTriangles { get; init; }

    /// <summary>Shells removed for being too small.</summary>
    public int RemovedShells { get; init; }

    /// <summary>Triangles of the removed shells.</summary>
    public int RemovedShellTriangles { get; init; }
}
