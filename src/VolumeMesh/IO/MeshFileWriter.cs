namespace VolumeMesh.IO;

/// <summary>Writes a model — one or several <see cref="MeshPart"/>s — in the format its file extension names:
/// <c>.stl .3mf .glb .gltf .ply .obj</c>.</summary>
/// <remarks>
/// <para>Every file is written through <see cref="AtomicFile"/> (or, for <c>.gltf</c> and its buffer, a temporary folder moved
/// into place): a failure never leaves a half-written file.</para>
/// <para>3MF, GLB and glTF hold every part in one file, each as a named object or node with its colour. STL, PLY and OBJ hold
/// one mesh: a single part is written to the path itself; several parts go to one file each, named
/// <c>&lt;stem&gt;_&lt;part name&gt;&lt;ext&gt;</c> beside the path (the part name with characters unsafe in file names replaced by
/// <c>_</c>).</para>
/// <para>Units and axes: STL, PLY, OBJ and 3MF are millimetres in LPS (STL, PLY and OBJ optionally RAS, see
/// <see cref="MeshWriteOptions.Space"/>); glTF is metres on glTF's axes (see <see cref="GltfAxes"/>).</para>
/// </remarks>
public static class MeshFileWriter
{
    /// <summary>The extensions this writer chooses a format by (lower case, with the dot).</summary>
    public static IReadOnlyList<string> Extensions => MeshFormats.Extensions;

    /// <summary>Whether the path's extension names a format this writer writes.</summary>
    /// <param name="path">The output path.</param>
    /// <returns>True when the extension (case ignored) is one of <see cref="Extensions"/>.</returns>
    public static bool IsSupported(string path) => MeshFormats.TryFromPath(path, out _);

    /// <summary>Writes the parts to <paramref name="path"/> in the format its extension names.</summary>
    /// <param name="parts">The parts, at least one; part names must differ (case ignored).</param>
    /// <param name="path">The output file.</param>
    /// <param name="options">Encoding, coordinate system and OBJ normals; the defaults when null. An <see cref="StlWriteOptions"/>
    /// converts implicitly.</param>
    /// <param name="cancellationToken">Cancels the write; files already in place before the call stay as they were.</param>
    /// <returns>The files written, in part order (for <c>.gltf</c>: the JSON file, then its buffer).</returns>
    /// <exception cref="ArgumentException">No parts, two parts with the same name, an extension no format has, or (3MF) a part
    /// without triangles.</exception>
    /// <exception cref="IOException">A file cannot be written (missing folder, full disk, …).</exception>
    /// <exception cref="UnauthorizedAccessException">The folder cannot be written.</exception>
    /// <exception cref="OperationCanceledException">The write was cancelled.</exception>
    public static IReadOnlyList<string> Write(IReadOnlyList<MeshPart> parts, string path, MeshWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (parts.Count == 0)
        {
            throw new ArgumentException("There is no part to write.", nameof(parts));
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (MeshPart part in parts)
        {
            if (!names.Add(part.Name))
            {
                throw new ArgumentException($"Two parts are named '{part.Name}'; part names must differ.", nameof(parts));
            }
        }

        if (!MeshFormats.TryFromPath(path, out MeshFormat format))
        {
            throw new ArgumentException($"'{path}': the format is chosen by the extension; supported: {string.Join(' ', Extensions)}.", nameof(path));
        }

        options ??= MeshWriteOptions.Default;
        try
        {
            return WriteFormat(format, parts, path, options, cancellationToken);
        }
        catch (IOException e) when (!e.Message.Contains(path, StringComparison.Ordinal))
        {
            // The file system names the temporary file; say which output could not be written.
            throw new IOException($"'{path}' cannot be written: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e) when (!e.Message.Contains(path, StringComparison.Ordinal))
        {
            throw new UnauthorizedAccessException($"'{path}' cannot be written: {e.Message}", e);
        }
    }

    private static IReadOnlyList<string> WriteFormat(MeshFormat format, IReadOnlyList<MeshPart> parts, string path, MeshWriteOptions options, CancellationToken cancellationToken)
    {
        switch (format)
        {
            case MeshFormat.ThreeMf:
                ThreeMfWriter.Write(parts, path, cancellationToken);
                return [path];
            case MeshFormat.Glb:
            case MeshFormat.Gltf:
                return GltfWriter.Write(parts, path, cancellationToken);
        }

        if (parts.Count == 1)
        {
            WriteOne(format, parts[0], path, options, cancellationToken);
            return [path];
        }

        var written = new List<string>(parts.Count);
        foreach (MeshPart part in parts)
        {
            string partPath = PartPath(path, part.Name);
            WriteOne(format, part, partPath, options, cancellationToken);
            written.Add(partPath);
        }

        return written;
    }

    private static void WriteOne(MeshFormat format, MeshPart part, string path, MeshWriteOptions options, CancellationToken cancellationToken)
    {
        switch (format)
        {
            case MeshFormat.Ply:
                PlyWriter.Write(part, path, options, cancellationToken);
                break;
            case MeshFormat.Obj:
                ObjWriter.Write(part, path, options, cancellationToken);
                break;
            default:
                StlWriter.Write(part.Mesh, path, options.ToStl(), cancellationToken);
                break;
        }
    }

    /// <summary>The file a part goes to when a one-mesh format writes several parts: <c>&lt;stem&gt;_&lt;name&gt;&lt;ext&gt;</c> beside <paramref name="path"/>.</summary>
    /// <param name="path">The output path given.</param>
    /// <param name="partName">The part's name.</param>
    /// <returns>The part's file path.</returns>
    public static string PartPath(string path, string partName)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(partName);
        string folder = Path.GetDirectoryName(path) ?? string.Empty;
        return Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(path)}_{SafeFileName(partName)}{Path.GetExtension(path)}");
    }

    /// <summary>A part name made safe as a file name: characters other than letters, digits, <c>-</c>, <c>_</c> and <c>.</c> become <c>_</c>.</summary>
    /// <param name="name">The part name.</param>
    /// <returns>The file-name-safe text.</returns>
    public static string SafeFileName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return string.Create(name.Length, name, static (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                char c = source[i];
                span[i] = char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_';
            }
        });
    }
}
