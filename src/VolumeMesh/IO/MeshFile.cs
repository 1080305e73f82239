namespace VolumeMesh.IO;

/// <summary>A mesh file as <see cref="MeshFileReader"/> read it: its format and its parts, in LPS millimetres.</summary>
public sealed record MeshFile
{
    /// <summary>The format, from the extension.</summary>
    public required MeshFormat Format { get; init; }

    /// <summary>The parts in file order: one for STL, PLY and OBJ; one per build item (3MF) or mesh node (glTF).</summary>
    /// <remarks>Meshes are converted to LPS millimetres whatever the file stores (RAS, metres, glTF axes, a 3MF unit).</remarks>
    public required IReadOnlyList<MeshPart> Parts { get; init; }

    /// <summary>What the file says about itself in one line: encoding, declared space or unit (for people, not parsing).</summary>
    public required string Description { get; init; }
}
