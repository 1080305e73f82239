using VolumeMesh.IO;
using VolumeMesh.Meshing;

namespace VolumeMesh.Cli;

/// <summary>Reads the mesh files the tool accepts as input (those <c>validate</c> reads: STL, binary or ASCII), in LPS.</summary>
internal static class MeshInput
{
    /// <exception cref="UserInputException">The file is missing or of an unknown format.</exception>
    public static Mesh Read(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new UserInputException($"mesh '{path}' does not exist.");
        }

        if (!string.Equals(Path.GetExtension(path), ".stl", StringComparison.OrdinalIgnoreCase))
        {
            throw new UserInputException($"mesh '{path}': unknown mesh format '{Path.GetExtension(path)}' (supported: .stl).");
        }

        return StlReader.Read(path, cancellationToken).ToLps();
    }
}
