using System.Globalization;
using VolumeMesh.Geometry;

namespace VolumeMesh.Planning;

/// <summary>A sphere fitted to a surface: the rotation centre and radius of a femoral head or an acetabulum.</summary>
public sealed record SphereFit
{
    /// <summary>The centre, LPS mm.</summary>
    public required Vector3D CenterLps { get; init; }

    /// <summary>The radius, mm.</summary>
    public required double RadiusMm { get; init; }

    /// <summary>Root mean square of the vertices' distances to the sphere (|p − c| − r), mm.</summary>
    public required double RmsMm { get; init; }

    /// <summary>Largest absolute distance of a fitted vertex to the sphere, mm.</summary>
    public required double MaxResidualMm { get; init; }

    /// <summary>Vertices within the search radius.</summary>
    public required int VerticesInSearch { get; init; }

    /// <summary>Vertices of the final fit (those within the search radius less the outliers trimmed).</summary>
    public required int VerticesUsed { get; init; }

    /// <summary>Gauss–Newton iterations of the final fit.</summary>
    public required int Iterations { get; init; }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"centre {CenterLps} mm, radius {RadiusMm:F3} mm, RMS {RmsMm:F3} mm, max {MaxResidualMm:F3} mm, {VerticesUsed} of {VerticesInSearch} vertices");
}
