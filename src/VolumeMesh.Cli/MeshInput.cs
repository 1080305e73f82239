using VolumeMesh.IO;
using VolumeMesh.Meshing;

namespace VolumeMesh.Cli;

/// <summary>Reads the mesh a command works on (<c>fit-sphere</c>, <c>fit-cup</c>) through <see cref="MeshFileReader"/>:
/// every format it reads (STL, 3MF, GLB, glTF, PLY, OBJ), in LPS millimetres.</summary>
/// <remarks>A file of one part gives that part. A file of several parts (3MF, GLB, glTF) needs <c>--part NAME</c>: the
/// parts of a model often touch (a femoral head in its acetabulum), and vertices of a neighbouring part near the seed would
/// pull the fit, so the parts are never merged.</remarks>
internal static class MeshInput
{
    /// <summary>Reads one part of a mesh file.</summary>
    /// <param name="path">The mesh file.</param>
    /// <param name="partName">The part to use (case ignored); required when the file holds several, optional otherwise.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The part's mesh, in LPS millimetres, and its name.</returns>
    /// <exception cref="InputFormatException">The file is missing or of an unknown format.</exception>
    /// <exception cref="UserInputException">The file holds several parts and none was named, or the part named is not there.</exception>
    /// <exception cref="NothingToMeshException">The file holds no part.</exception>
    public static (Mesh Mesh, string Name) Read(string path, string? partName, CancellationToken cancellationToken)
    {
        MeshFile file = ReadAll(path, cancellationToken);
        if (partName is null)
        {
            return file.Parts.Count == 1
                ? (file.Parts[0].Mesh, file.Parts[0].Name)
                : throw new UserInputException($"mesh '{path}' holds {file.Parts.Count} parts ({Names(file)}); choose one with --part NAME.");
        }

        foreach (MeshPart part in file.Parts)
        {
            if (string.Equals(part.Name, partName, StringComparison.OrdinalIgnoreCase))
            {
                return (part.Mesh, part.Name);
            }
        }

        throw new UserInputException($"--part '{partName}': mesh '{path}' has no such part; its parts: {Names(file)}.");
    }

    /// <summary>Reads every part of a mesh file (what <c>validate</c> checks, and <see cref="Read"/> chooses from).</summary>
    /// <param name="path">The mesh file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The file's parts, at least one.</returns>
    /// <exception cref="InputFormatException">The file is missing or of an unknown format.</exception>
    /// <exception cref="NothingToMeshException">The file holds no part.</exception>
    public static MeshFile ReadAll(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new InputFormatException($"mesh '{path}' does not exist.");
        }

        if (!MeshFileReader.IsSupported(path))
        {
            throw new InputFormatException($"mesh '{path}': unknown mesh format '{Path.GetExtension(path)}' (supported: {string.Join(' ', MeshFormats.Extensions)}).");
        }

        MeshFile file = MeshFileReader.Read(path, cancellationToken);
        return file.Parts.Count > 0 ? file : throw new NothingToMeshException($"mesh '{path}' holds no mesh.");
    }

    private static string Names(MeshFile file)
    {
        var names = new string[file.Parts.Count];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = "'" + file.Parts[i].Name + "'";
        }

        return string.Join(", ", names);
    }
}
