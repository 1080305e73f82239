using System.Globalization;
using System.IO.Compression;
using System.Numerics;
using System.Text;
using System.Xml;
using VolumeMesh.Meshing;

namespace VolumeMesh.IO;

/// <summary>Writes parts as a 3MF package (3MF Consortium core specification 1.3): one named, coloured object per part.</summary>
/// <remarks>
/// <para>The package is an OPC zip with <c>[Content_Types].xml</c>, <c>_rels/.rels</c> (the start part relationship) and
/// <c>3D/3dmodel.model</c>. The model has <c>unit="millimeter"</c>; one <c>basematerials</c> group holds one
/// <c>base</c> per part (its name and <c>displaycolor</c> <c>#RRGGBBAA</c>); each part is an <c>object type="model"</c>
/// named like the part, whose <c>pid</c>/<c>pindex</c> select its material, holding the mesh's vertices and
/// triangles in order; the <c>build</c> has one item per object, without a transform. Positions are LPS millimetres
/// (z superior is the platform's up); triangles are counter-clockwise from outside, as 3MF requires.</para>
/// <para>The model XML is written by an <see cref="XmlWriter"/> straight into the deflate stream of the zip entry, so no
/// whole-file buffer is built; the package goes through <see cref="AtomicFile"/>, so a failure leaves no partial file.
/// 3MF forbids empty objects: a part without triangles raises <see cref="ArgumentException"/>.</para>
/// </remarks>
public static class ThreeMfWriter
{
    /// <summary>The 3MF core namespace.</summary>
    public const string CoreNamespace = "http://schemas.microsoft.com/3dmanufacturing/core/2015/02";

    /// <summary>The content type of the model part.</summary>
    public const string ModelContentType = "application/vnd.ms-package.3dmanufacturing-3dmodel+xml";

    /// <summary>The relationship type of the start part (the model).</summary>
    public const string StartPartRelationship = "http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel";

    private const string RelationshipContentType = "application/vnd.openxmlformats-package.relationships+xml";
    private const string RelationshipsNamespace = "http://schemas.openxmlformats.org/package/2006/relationships";
    private const string ContentTypesNamespace = "http://schemas.openxmlformats.org/package/2006/content-types";

    /// <summary>Writes parts to a 3MF file.</summary>
    /// <param name="parts">The parts, at least one, each with at least one triangle.</param>
    /// <param name="path">The file (replaced if it exists).</param>
    /// <param name="cancellationToken">Cancels the write; the target is then left as it was.</param>
    /// <exception cref="ArgumentException">No parts, or a part without triangles.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="OperationCanceledException">The write was cancelled.</exception>
    public static void Write(IReadOnlyList<MeshPart> parts, string path, CancellationToken cancellationToken = default)
    {
        Validate(parts);
        AtomicFile.Write(path, stream => Write(parts, stream, cancellationToken));
    }

    /// <summary>Writes parts as a 3MF package to a stream (left open).</summary>
    /// <param name="parts">The parts, at least one, each with at least one triangle.</param>
    /// <param name="stream">The destination (written sequentially).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentException">No parts, or a part without triangles.</exception>
    /// <exception cref="OperationCanceledException">The write was cancelled.</exception>
    public static void Write(IReadOnlyList<MeshPart> parts, Stream stream, CancellationToken cancellationToken = default)
    {
        Validate(parts);
        ArgumentNullException.ThrowIfNull(stream);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8);
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false, CloseOutput = false };

        using (Stream entry = zip.CreateEntry("[Content_Types].xml", CompressionLevel.Fastest).Open())
        using (XmlWriter xml = XmlWriter.Create(entry, settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("Types", ContentTypesNamespace);
            xml.WriteStartElement("Default", ContentTypesNamespace);
            xml.WriteAttributeString("Extension", "rels");
            xml.WriteAttributeString("ContentType", RelationshipContentType);
            xml.WriteEndElement();
            xml.WriteStartElement("Default", ContentTypesNamespace);
            xml.WriteAttributeString("Extension", "model");
            xml.WriteAttributeString("ContentType", ModelContentType);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        using (Stream entry = zip.CreateEntry("_rels/.rels", CompressionLevel.Fastest).Open())
        using (XmlWriter xml = XmlWriter.Create(entry, settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("Relationships", RelationshipsNamespace);
            xml.WriteStartElement("Relationship", RelationshipsNamespace);
            xml.WriteAttributeString("Target", "/3D/3dmodel.model");
            xml.WriteAttributeString("Id", "rel0");
            xml.WriteAttributeString("Type", StartPartRelationship);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        using (Stream entry = zip.CreateEntry("3D/3dmodel.model", CompressionLevel.Fastest).Open())
        using (XmlWriter xml = XmlWriter.Create(entry, settings))
        {
            WriteModel(parts, xml, cancellationToken);
        }
    }

    private static void WriteModel(IReadOnlyList<MeshPart> parts, XmlWriter xml, CancellationToken cancellationToken)
    {
        xml.WriteStartDocument();
        xml.WriteStartElement("model", CoreNamespace);
        xml.WriteAttributeString("unit", "millimeter");
        xml.WriteAttributeString("xml", "lang", null, "en-US");
        xml.WriteStartElement("metadata", CoreNamespace);
        xml.WriteAttributeString("name", "Application");
        xml.WriteString("VolumeMesh");
        xml.WriteEndElement();
        xml.WriteStartElement("resources", CoreNamespace);

        // Resource ids: 1 is the material group, objects are 2, 3, …
        xml.WriteStartElement("basematerials", CoreNamespace);
        xml.WriteAttributeString("id", "1");
        foreach (MeshPart part in parts)
        {
            xml.WriteStartElement("base", CoreNamespace);
            xml.WriteAttributeString("name", part.Name);
            xml.WriteAttributeString("displaycolor", Rgba(part.Color));
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        for (int p = 0; p < parts.Count; p++)
        {
            MeshPart part = parts[p];
            xml.WriteStartElement("object", CoreNamespace);
            xml.WriteAttributeString("id", (p + 2).ToString(CultureInfo.InvariantCulture));
            xml.WriteAttributeString("type", "model");
            xml.WriteAttributeString("name", part.Name);
            xml.WriteAttributeString("pid", "1");
            xml.WriteAttributeString("pindex", p.ToString(CultureInfo.InvariantCulture));
            xml.WriteStartElement("mesh", CoreNamespace);
            WriteMesh(part.Mesh, xml, cancellationToken);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteStartElement("build", CoreNamespace);
        for (int p = 0; p < parts.Count; p++)
        {
            xml.WriteStartElement("item", CoreNamespace);
            xml.WriteAttributeString("objectid", (p + 2).ToString(CultureInfo.InvariantCulture));
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static void WriteMesh(Mesh mesh, XmlWriter xml, CancellationToken cancellationToken)
    {
        // The many small elements are formatted into a reused character chunk and handed to the XmlWriter as raw markup:
        // numbers and fixed names need no escaping, and this is several times faster than one WriteAttributeString per
        // coordinate. The chunk is flushed when nearly full, so nothing grows with the mesh.
        var chunk = new RawChunk(xml);
        xml.WriteStartElement("vertices", CoreNamespace);
        Vector3[] v = mesh.Vertices;
        for (int i = 0; i < v.Length; i++)
        {
            if ((i & 8191) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            chunk.Append("<vertex x=\"");
            chunk.Append(v[i].X);
            chunk.Append("\" y=\"");
            chunk.Append(v[i].Y);
            chunk.Append("\" z=\"");
            chunk.Append(v[i].Z);
            chunk.Append("\"/>");
        }

        chunk.Flush();
        xml.WriteEndElement();
        xml.WriteStartElement("triangles", CoreNamespace);
        int[] idx = mesh.Indices;
        for (int i = 0; i < idx.Length; i += 3)
        {
            if ((i & 8191) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            chunk.Append("<triangle v1=\"");
            chunk.Append(idx[i]);
            chunk.Append("\" v2=\"");
            chunk.Append(idx[i + 1]);
            chunk.Append("\" v3=\"");
            chunk.Append(idx[i + 2]);
            chunk.Append("\"/>");
        }

        chunk.Flush();
        xml.WriteEndElement();
    }

    /// <summary>The 3MF <c>sRGBColor</c> notation with alpha, <c>#RRGGBBAA</c>.</summary>
    private static string Rgba(PartColor c) => string.Create(CultureInfo.InvariantCulture, $"#{c.R:X2}{c.G:X2}{c.B:X2}{c.A:X2}");

    private static void Validate(IReadOnlyList<MeshPart> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("There is no part to write.", nameof(parts));
        }

        foreach (MeshPart part in parts)
        {
            if (part.Mesh.TriangleCount == 0)
            {
                throw new ArgumentException($"Part '{part.Name}' has no triangles; a 3MF object needs at least one.", nameof(parts));
            }
        }
    }
}
