namespace VolumeMesh.IO;

/// <summary>Reads any mesh file <see cref="MeshFileWriter"/> writes — STL, 3MF, GLB, glTF, PLY, OBJ, chosen by the
/// extension — into its parts in LPS millimetres.</summary>
public static class MeshFileReader
{
    /// <summary>Whether the path's extension names a format this reader reads.</summary>
    /// <param name="path">The file path.</param>
    /// <returns>True for <c>.stl .3mf .glb .gltf .ply .obj</c> (case ignored).</returns>
    public static bool IsSupported(string path) => MeshFormats.TryFromPath(path, out _);

    /// <summary>Reads a mesh file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The format and the parts (one for STL, PLY and OBJ; one per build item or mesh node for 3MF and glTF).</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="NotSupportedException">The extension names no supported format, or the file uses a feature not read.</exception>
    /// <exception cref="InvalidDataException">The file is malformed.</exception>
    public static MeshFile Read(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!MeshFormats.TryFromPath(path, out MeshFormat format))
        {
            throw new NotSupportedException($"'{path}': unknown mesh format '{Path.GetExtension(path)}' (supported: {string.Join(' ', MeshFormats.Extensions)}).");
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"'{path}' does not exist.", path);
        }

        switch (format)
        {
            case MeshFormat.Stl:
                StlFile stl = StlReader.Read(path, cancellationToken);
                return new MeshFile
                {
                    Format = MeshFormat.Stl,
                    Parts = [new MeshPart(Path.GetFileNameWithoutExtension(path) is { Length: > 0 } stem ? stem : "mesh", stl.ToLps())],
                    Description = $"{stl.Format} STL, space {stl.Space?.ToString().ToUpperInvariant() ?? "not stated (LPS assumed)"}",
                };
            case MeshFormat.ThreeMf:
                return ThreeMfReader.Read(path, cancellationToken);
            case MeshFormat.Glb:
            case MeshFormat.Gltf:
                return GltfReader.Read(path, cancellationToken);
            case MeshFormat.Ply:
                return PlyReader.Read(path, cancellationToken);
            default:
                return ObjReader.Read(path, cancellationToken);
        }
    }
}
