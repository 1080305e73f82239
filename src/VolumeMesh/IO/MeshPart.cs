using VolumeMesh.Meshing;

namespace VolumeMesh.IO;

/// <summary>One named, coloured part of a model written to a mesh file (a bone, an implant, one label of a label map).</summary>
/// <remarks>Formats that hold several parts (3MF, GLB/glTF) write each as a named object with its colour; formats that hold
/// one mesh (STL, PLY, OBJ) write one file per part (see <see cref="MeshFileWriter"/>).</remarks>
public sealed record MeshPart
{
    /// <summary>Creates a part.</summary>
    /// <param name="name">The part's name: non-empty; written into the file where the format has names.</param>
    /// <param name="mesh">The part's mesh, in LPS millimetres.</param>
    /// <param name="color">The part's colour; <see cref="PartColor.Bone"/> when null.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public MeshPart(string name, Mesh mesh, PartColor? color = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(mesh);
        Name = name;
        Mesh = mesh;
        Color = color ?? PartColor.Bone;
    }

    /// <summary>The part's name.</summary>
    public string Name { get; init; }

    /// <summary>The part's mesh, in LPS millimetres.</summary>
    public Mesh Mesh { get; init; }

    /// <summary>The part's colour.</summary>
    public PartColor Color { get; init; }
}
