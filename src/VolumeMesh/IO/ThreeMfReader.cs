using System.Globalization;
using System.IO.Compression;
using System.Numerics;
using System.Xml;
using VolumeMesh.Meshing;

namespace VolumeMesh.IO;

/// <summary>Reads a 3MF package into one <see cref="MeshPart"/> per build item, in millimetres.</summary>
/// <remarks>
/// <para>Finds the model through the start-part relationship in <c>_rels/.rels</c>, reads it with a streaming
/// <see cref="XmlReader"/>: the unit (converted to millimetres), the base material groups, the mesh objects (vertices and
/// triangles in order, name, <c>pid</c>/<c>pindex</c>) and the build items (with their affine transform applied). A part
/// is named by its object's name (else <c>object N</c>) and coloured by its object's base material (else bone white).
/// Positions are taken as LPS, as <see cref="ThreeMfWriter"/> writes them.</para>
/// <para>Component objects (assemblies) raise <see cref="NotSupportedException"/>; a package that is not a 3MF model
/// raises <see cref="InvalidDataException"/> naming the file and what is wrong.</para>
/// </remarks>
public static class ThreeMfReader
{
    /// <summary>Reads a 3MF file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The file with one part per build item.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid 3MF package.</exception>
    /// <exception cref="NotSupportedException">The model uses component objects.</exception>
    public static MeshFile Read(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using FileStream stream = File.OpenRead(path);
        return Read(stream, path, cancellationToken);
    }

    /// <summary>Reads a 3MF package from a seekable stream.</summary>
    /// <param name="stream">The package.</param>
    /// <param name="name">The file name used in error messages.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The file with one part per build item.</returns>
    /// <exception cref="InvalidDataException">The stream is not a valid 3MF package.</exception>
    /// <exception cref="NotSupportedException">The model uses component objects.</exception>
    public static MeshFile Read(Stream stream, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            string modelPath = StartPart(zip, name);
            ZipArchiveEntry entry = zip.GetEntry(modelPath) ?? throw new InvalidDataException($"{name}: the model part '{modelPath}' is missing from the package.");
            using Stream model = entry.Open();
            return ReadModel(model, name, cancellationToken);
        }
        catch (XmlException e)
        {
            throw new InvalidDataException($"{name}: malformed XML: {e.Message}", e);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(name, StringComparison.Ordinal))
        {
            // The zip layer's own errors (no central directory, corrupt deflate data) do not name the file.
            throw new InvalidDataException($"{name}: not a readable 3MF package: {e.Message}", e);
        }
    }

    private static string StartPart(ZipArchive zip, string name)
    {
        ZipArchiveEntry? rels = zip.GetEntry("_rels/.rels");
        if (rels is null)
        {
            throw new InvalidDataException($"{name}: not a 3MF package (no _rels/.rels).");
        }

        using Stream stream = rels.Open();
        using var xml = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "Relationship" && xml.GetAttribute("Type") == ThreeMfWriter.StartPartRelationship)
            {
                string target = xml.GetAttribute("Target") ?? string.Empty;
                return target.TrimStart('/');
            }
        }

        throw new InvalidDataException($"{name}: _rels/.rels has no 3D model relationship.");
    }

    private static MeshFile ReadModel(Stream stream, string name, CancellationToken cancellationToken)
    {
        using var xml = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, IgnoreWhitespace = true, IgnoreComments = true });
        var materials = new Dictionary<int, List<(string Name, PartColor Color)>>();
        var objects = new Dictionary<int, (string? Name, int Pid, int PIndex, Mesh Mesh)>();
        var parts = new List<MeshPart>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        string unit = "millimeter";
        float scale = 1;
        List<(string Name, PartColor Color)>? group = null;
        (int Id, string? Name, int Pid, int PIndex)? current = null;
        var vertices = new List<Vector3>();
        var indices = new List<int>();
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.EndElement && xml.LocalName == "object" && current is { } ended)
            {
                objects[ended.Id] = (ended.Name, ended.Pid, ended.PIndex, MeshOf(vertices, indices, ended.Id, name));
                current = null;
                continue;
            }

            // Only core elements: extensions (slices, beam lattices, production) reuse names such as 'vertex'.
            if (xml.NodeType != XmlNodeType.Element || xml.NamespaceURI != ThreeMfWriter.CoreNamespace)
            {
                continue;
            }

            switch (xml.LocalName)
            {
                case "model":
                    unit = xml.GetAttribute("unit") ?? "millimeter";
                    scale = unit switch
                    {
                        "micron" => 0.001f,
                        "millimeter" => 1f,
                        "centimeter" => 10f,
                        "inch" => 25.4f,
                        "foot" => 304.8f,
                        "meter" => 1000f,
                        _ => throw new InvalidDataException($"{name}: unknown unit '{unit}'."),
                    };
                    break;
                case "basematerials":
                    group = [];
                    materials[Int(xml, "id", name)] = group;
                    break;
                case "base" when group is not null:
                    PartColor.TryParseHex(xml.GetAttribute("displaycolor"), out PartColor color);
                    group.Add((xml.GetAttribute("name") ?? string.Empty, color));
                    break;
                case "object":
                    current = (Int(xml, "id", name), xml.GetAttribute("name"), OptionalInt(xml, "pid", name), OptionalInt(xml, "pindex", name));
                    vertices.Clear();
                    indices.Clear();
                    break;
                case "components":
                    throw new NotSupportedException($"{name}: component objects (assemblies) are not supported; only mesh objects are read.");
                case "vertex":
                    if ((vertices.Count & 65535) == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    vertices.Add(new Vector3(Float(xml, "x", name), Float(xml, "y", name), Float(xml, "z", name)));
                    break;
                case "triangle":
                    indices.Add(Int(xml, "v1", name));
                    indices.Add(Int(xml, "v2", name));
                    indices.Add(Int(xml, "v3", name));
                    break;
                case "item":
                    int objectId = Int(xml, "objectid", name);
                    if (!objects.TryGetValue(objectId, out var item))
                    {
                        throw new InvalidDataException($"{name}: build item refers to object {objectId}, which is no mesh object of the model.");
                    }

                    Mesh mesh = Transform(item.Mesh, xml.GetAttribute("transform"), scale, name);
                    PartColor partColor = item.Pid >= 0 && materials.TryGetValue(item.Pid, out var bases) && item.PIndex >= 0 && item.PIndex < bases.Count
                        ? bases[item.PIndex].Color
                        : PartColor.Bone;
                    string partName = string.IsNullOrWhiteSpace(item.Name) ? $"object {objectId}" : item.Name;
                    for (int n = 2; !names.Add(partName); n++)
                    {
                        partName = $"{item.Name} ({n})";
                    }

                    parts.Add(new MeshPart(partName, mesh, partColor));
                    break;
            }
        }

        if (parts.Count == 0)
        {
            throw new InvalidDataException($"{name}: the 3MF build has no items.");
        }

        return new MeshFile { Format = MeshFormat.ThreeMf, Parts = parts, Description = $"3MF, unit {unit}" };
    }

    private static Mesh MeshOf(List<Vector3> vertices, List<int> indices, int objectId, string name)
    {
        foreach (int index in indices)
        {
            if ((uint)index >= (uint)vertices.Count)
            {
                throw new InvalidDataException($"{name}: object {objectId} has a triangle on vertex {index}, but only {vertices.Count} vertices.");
            }
        }

        return new Mesh([.. vertices], [.. indices]);
    }

    private static Mesh Transform(Mesh mesh, string? transform, float scale, string name)
    {
        Vector3[] v = mesh.Vertices;
        var result = new Vector3[v.Length];
        if (string.IsNullOrWhiteSpace(transform))
        {
            for (int i = 0; i < v.Length; i++)
            {
                result[i] = scale == 1 ? v[i] : v[i] * scale;
            }

            return new Mesh(result, mesh.Indices);
        }

        string[] words = transform.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var m = new float[12];
        if (words.Length != 12)
        {
            throw new InvalidDataException($"{name}: build item transform '{transform}' does not have 12 numbers.");
        }

        for (int i = 0; i < 12; i++)
        {
            if (!float.TryParse(words[i], NumberStyles.Float, CultureInfo.InvariantCulture, out m[i]))
            {
                throw new InvalidDataException($"{name}: build item transform '{transform}' has a non-number '{words[i]}'.");
            }
        }

        // 3MF matrices multiply row vectors: p' = [x y z 1] · M with M's rows (m00 m01 m02) … (m30 m31 m32).
        var matrix = new Matrix4x4(m[0], m[1], m[2], 0, m[3], m[4], m[5], 0, m[6], m[7], m[8], 0, m[9], m[10], m[11], 1);
        for (int i = 0; i < v.Length; i++)
        {
            result[i] = Vector3.Transform(v[i], matrix) * scale;
        }

        return new Mesh(result, mesh.Indices);
    }

    private static int Int(XmlReader xml, string attribute, string name)
    {
        string? text = xml.GetAttribute(attribute);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new InvalidDataException($"{name}: <{xml.LocalName}> has {(text is null ? "no" : $"the invalid")} '{attribute}' attribute{(text is null ? string.Empty : $" '{text}'")}.");
    }

    private static int OptionalInt(XmlReader xml, string attribute, string name) => xml.GetAttribute(attribute) is null ? -1 : Int(xml, attribute, name);

    private static float Float(XmlReader xml, string attribute, string name)
    {
        string? text = xml.GetAttribute(attribute);
        return float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) && float.IsFinite(value)
            ? value
            : throw new InvalidDataException($"{name}: <vertex> has {(text is null ? "no" : "an invalid")} '{attribute}' coordinate{(text is null ? string.Empty : $" '{text}'")}.");
    }
}
