namespace VolumeMesh.IO;

/// <summary>Options of <see cref="MeshFileWriter"/>: text or binary encoding, coordinate system, OBJ normals.</summary>
/// <remarks>An <see cref="StlWriteOptions"/> converts implicitly (same encoding and space), so callers written for the
/// STL-only writer keep working.</remarks>
public sealed record MeshWriteOptions
{
    /// <summary>The default options: binary STL and PLY, LPS, OBJ without normals.</summary>
    public static MeshWriteOptions Default { get; } = new();

    /// <summary>Whether STL and PLY are written as text (ASCII) instead of binary; other formats ignore it.</summary>
    public bool Ascii { get; init; }

    /// <summary>The patient coordinate system STL, PLY and OBJ positions are written in; LPS by default.</summary>
    /// <remarks>RAS negates x and y (a rotation by 180° about z, not a mirror). The file states it (<c>SPACE=LPS</c> or
    /// <c>SPACE=RAS</c> in the STL header, a PLY comment, an OBJ comment). 3MF is always LPS millimetres (z superior is the
    /// build platform's up); glTF has its own fixed axes (see <see cref="GltfWriter"/>).</remarks>
    public CoordinateSpace Space { get; init; } = CoordinateSpace.Lps;

    /// <summary>Whether OBJ files carry per-vertex normals (<c>vn</c>, area-weighted); false by default.</summary>
    public bool ObjNormals { get; init; }

    /// <summary>The options as the STL writer takes them.</summary>
    /// <returns>The encoding and space of these options.</returns>
    public StlWriteOptions ToStl() => new() { Format = Ascii ? StlFormat.Ascii : StlFormat.Binary, Space = Space };

    /// <summary>Converts STL options (encoding and coordinate system) to mesh-file options.</summary>
    /// <param name="options">The STL options; null gives null.</param>
    /// <returns>The equivalent options.</returns>
    public static implicit operator MeshWriteOptions?(StlWriteOptions? options) =>
        options is null ? null : new MeshWriteOptions { Ascii = options.Format == StlFormat.Ascii, Space = options.Space };
}
