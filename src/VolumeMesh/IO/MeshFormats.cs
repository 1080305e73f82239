namespace VolumeMesh.IO;

/// <summary>Maps file extensions to <see cref="MeshFormat"/>s and says which formats hold several parts.</summary>
public static class MeshFormats
{
    /// <summary>The extensions, lower case with the dot, in <see cref="MeshFormat"/> order.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".stl", ".3mf", ".glb", ".gltf", ".ply", ".obj"];

    /// <summary>The format a path's extension names (case ignored).</summary>
    /// <param name="path">The file path.</param>
    /// <param name="format">The format when the extension is known.</param>
    /// <returns>Whether the extension names a format.</returns>
    public static bool TryFromPath(string path, out MeshFormat format)
    {
        ArgumentNullException.ThrowIfNull(path);
        string extension = Path.GetExtension(path);
        for (int i = 0; i < Extensions.Count; i++)
        {
            if (string.Equals(extension, Extensions[i], StringComparison.OrdinalIgnoreCase))
            {
                format = (MeshFormat)i;
                return true;
            }
        }

        format = default;
        return false;
    }

    /// <summary>The extension of a format, lower case with the dot (e.g. <c>.3mf</c>).</summary>
    /// <param name="format">The format.</param>
    /// <returns>The extension.</returns>
    public static string Extension(MeshFormat format) => Extensions[(int)format];

    /// <summary>Whether one file of the format holds several named, coloured parts (3MF, GLB, glTF).</summary>
    /// <param name="format">The format.</param>
    /// <returns>True for 3MF, GLB and glTF; false for STL, PLY and OBJ, which write one file per part.</returns>
    public static bool HoldsParts(MeshFormat format) => format is MeshFormat.ThreeMf or MeshFormat.Glb or MeshFormat.Gltf;
}
