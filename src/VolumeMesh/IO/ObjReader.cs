using System.Globalization;
using System.Numerics;
using System.Text;
using VolumeMesh.Meshing;

namespace VolumeMesh.IO;

/// <summary>Reads Wavefront OBJ geometry (<c>v</c> and <c>f</c>) into one <see cref="MeshPart"/> in LPS millimetres.</summary>
/// <remarks>
/// <para>Face corners may be <c>v</c>, <c>v/vt</c>, <c>v//vn</c> or <c>v/vt/vn</c>, 1-based or negative (relative);
/// polygons are split into a fan. Normals, texture coordinates, groups and materials are ignored; every face belongs to
/// the one part, named by the first <c>o</c> line (else the file name). A <c>SPACE=RAS</c> comment converts positions to
/// LPS; a <c># color #RRGGBB</c> comment (as <see cref="ObjWriter"/> writes it) gives the colour.</para>
/// <para>Malformed input raises <see cref="InvalidDataException"/> naming the file and the line.</para>
/// </remarks>
public static class ObjReader
{
    /// <summary>Reads an OBJ file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The file with its one part.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not valid OBJ geometry.</exception>
    public static MeshFile Read(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        return Read(reader, path, cancellationToken);
    }

    /// <summary>Reads OBJ text.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="name">The file name used in error messages and as the part name when the file names none.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The file with its one part.</returns>
    /// <exception cref="InvalidDataException">The text is not valid OBJ geometry.</exception>
    public static MeshFile Read(TextReader reader, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(name);
        var vertices = new List<Vector3>();
        var indices = new List<int>();
        var corners = new List<int>(8);
        string? partName = null;
        PartColor color = PartColor.Bone;
        CoordinateSpace? space = null;
        int line = 0;
        string? text;
        while ((text = reader.ReadLine()) is not null)
        {
            line++;
            if ((line & 65535) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            ReadOnlySpan<char> rest = text.AsSpan().Trim();
            if (rest.IsEmpty)
            {
                continue;
            }

            if (rest[0] == '#')
            {
                ReadOnlySpan<char> comment = rest[1..].Trim();
                space ??= MeshText.SpaceOf(comment.ToString());
                if (comment.StartsWith("color ") && PartColor.TryParseHex(comment[6..].ToString(), out PartColor parsed))
                {
                    color = parsed;
                }

                continue;
            }

            ReadOnlySpan<char> keyword = Next(ref rest);
            if (keyword.SequenceEqual("v"))
            {
                var p = new Vector3(Number(ref rest, name, line), Number(ref rest, name, line), Number(ref rest, name, line));
                if (!float.IsFinite(p.X) || !float.IsFinite(p.Y) || !float.IsFinite(p.Z))
                {
                    throw new InvalidDataException($"{name}: line {line}: a vertex has a non-finite coordinate.");
                }

                vertices.Add(p);
            }
            else if (keyword.SequenceEqual("f"))
            {
                corners.Clear();
                while (!rest.IsEmpty)
                {
                    ReadOnlySpan<char> corner = Next(ref rest);
                    int slash = corner.IndexOf('/');
                    ReadOnlySpan<char> vertex = slash < 0 ? corner : corner[..slash];
                    if (!int.TryParse(vertex, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int index) || index == 0)
                    {
                        throw new InvalidDataException($"{name}: line {line}: '{corner}' is not a face corner.");
                    }

                    int resolved = index > 0 ? index - 1 : vertices.Count + index;
                    if ((uint)resolved >= (uint)vertices.Count)
                    {
                        throw new InvalidDataException($"{name}: line {line}: corner {index} refers to no vertex defined before it ({vertices.Count} so far).");
                    }

                    corners.Add(resolved);
                }

                if (corners.Count < 3)
                {
                    throw new InvalidDataException($"{name}: line {line}: a face has {corners.Count} corners; at least 3 are needed.");
                }

                for (int c = 2; c < corners.Count; c++)
                {
                    indices.Add(corners[0]);
                    indices.Add(corners[c - 1]);
                    indices.Add(corners[c]);
                }
            }
            else if (keyword.SequenceEqual("o") && partName is null && !rest.IsEmpty)
            {
                partName = rest.ToString();
            }
        }

        Vector3[] positions = [.. vertices];
        if (space == CoordinateSpace.Ras)
        {
            for (int i = 0; i < positions.Length; i++)
            {
                positions[i] = MeshText.ToSpace(positions[i], CoordinateSpace.Ras);
            }
        }

        var part = new MeshPart(partName ?? Path.GetFileNameWithoutExtension(name), new Mesh(positions, [.. indices]), color);
        return new MeshFile { Format = MeshFormat.Obj, Parts = [part], Description = $"OBJ, space {(space?.ToString().ToUpperInvariant() ?? "not stated (LPS assumed)")}" };
    }

    private static ReadOnlySpan<char> Next(ref ReadOnlySpan<char> rest)
    {
        rest = rest.TrimStart();
        int end = rest.IndexOfAny(' ', '\t');
        ReadOnlySpan<char> token = end < 0 ? rest : rest[..end];
        rest = end < 0 ? [] : rest[end..].TrimStart();
        return token;
    }

    private static float Number(ref ReadOnlySpan<char> rest, string name, int line)
    {
        ReadOnlySpan<char> token = Next(ref rest);
        return float.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out float value)
            ? value
            : throw new InvalidDataException($"{name}: line {line}: expected a number, found '{token}'.");
    }
}
