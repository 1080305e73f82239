namespace VolumeMesh.IO;

/// <summary>Options of <see cref="StlWriter"/>.</summary>
public sealed record StlWriteOptions
{
    /// <summary>The default options: binary, LPS.</summary>
    public static StlWriteOptions Default { get; } = new();

    /// <summary>The encoding; binary by default.</summary>
    public StlFormat Format { get; init; } = StlFormat.Binary;

    /// <summary>The coordinate system written; LPS (the mesh's own) by default. RAS negates x and y.</summary>
    /// <remarks>The header states it as <c>SPACE=LPS</c> or <c>SPACE=RAS</c>, the tag 3D Slicer writes and reads. Negating x
    /// and y is a rotation by 180° about z, not a mirror, so the triangle winding stays counter-clockwise from outside.</remarks>
    public CoordinateSpace Space { get; init; } = CoordinateSpace.Lps;
}
