using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using SharpGLTF.Schema2;
using VolumeMesh.Meshing;

namespace VolumeMesh.IO;

/// <summary>Writes parts as glTF 2.0, binary (<c>.glb</c>) or JSON with a <c>.bin</c> buffer beside it (<c>.gltf</c>), through
/// SharpGLTF's Schema2 API.</summary>
/// <remarks>
/// <para>The scene has one root node, named <c>VolumeMesh (mm to m)</c>, whose scale 0.001 converts the millimetre vertices
/// to metres as glTF requires; it holds one node per part, named like the part, with one mesh of one indexed triangle
/// primitive: <c>POSITION</c> (float, with min/max) and <c>NORMAL</c> (area-weighted unit normals) and 32-bit
/// indices, counter-clockwise from outside. Each part has its own material, named like the part: PBR metallic-roughness,
/// base colour the part's colour (converted from sRGB to the linear factor glTF stores), metallic 0, roughness 0.6,
/// blended when the colour is not opaque. Axes are glTF's: see <see cref="GltfAxes"/> (X = left, Y = superior, Z = anterior).</para>
/// <para>glTF states byte lengths before data, so the buffers (24 bytes per vertex, 12 per triangle) are built in memory
/// before writing. A <c>.glb</c> is written through <see cref="AtomicFile"/>; a <c>.gltf</c> and its <c>.bin</c> are
/// written to a temporary folder beside the target and moved into place (buffer first), so a failure leaves no partial
/// file. Parts without triangles become nodes without a mesh.</para>
/// </remarks>
public static class GltfWriter
{
    /// <summary>The name of the root node that scales millimetres to metres.</summary>
    public const string RootNodeName = "VolumeMesh (mm to m)";

    /// <summary>Writes parts to a <c>.glb</c> or <c>.gltf</c> file (by extension).</summary>
    /// <param name="parts">The parts, at least one.</param>
    /// <param name="path">The file (replaced if it exists); for <c>.gltf</c>, the buffer goes to <c>&lt;stem&gt;.bin</c> beside it.</param>
    /// <param name="cancellationToken">Cancels the write; the targets are then left as they were.</param>
    /// <returns>The files written: the <c>.glb</c>, or the <c>.gltf</c> and its <c>.bin</c>.</returns>
    /// <exception cref="ArgumentException">No parts, or an extension other than <c>.glb</c> and <c>.gltf</c>.</exception>
    /// <exception cref="IOException">A file cannot be written.</exception>
    /// <exception cref="OperationCanceledException">The write was cancelled.</exception>
    public static IReadOnlyList<string> Write(IReadOnlyList<MeshPart> parts, string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        bool binary = string.Equals(Path.GetExtension(path), ".glb", StringComparison.OrdinalIgnoreCase);
        if (!binary && !string.Equals(Path.GetExtension(path), ".gltf", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"'{path}': a glTF file ends in .glb or .gltf.", nameof(path));
        }

        ModelRoot model = Build(parts, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (binary)
        {
            AtomicFile.Write(path, stream => model.WriteGLB(stream));
            return [path];
        }

        return WriteText(model, path);
    }

    /// <summary>Writes parts as GLB to a stream (left open).</summary>
    /// <param name="parts">The parts, at least one.</param>
    /// <param name="stream">The destination.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentException">No parts.</exception>
    /// <exception cref="OperationCanceledException">The write was cancelled.</exception>
    public static void WriteGlb(IReadOnlyList<MeshPart> parts, Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ModelRoot model = Build(parts, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        model.WriteGLB(stream);
    }

    private static IReadOnlyList<string> WriteText(ModelRoot model, string path)
    {
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath) ?? ".";
        string temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(temporary);
            model.SaveGLTF(Path.Combine(temporary, Path.GetFileName(fullPath)));
            var written = new List<string>();
            string[] files = Directory.GetFiles(temporary);
            Array.Sort(files, StringComparer.Ordinal);

            // Buffers first, the JSON that refers to them last: a reader never sees a .gltf without its buffer.
            foreach (string file in files)
            {
                if (!string.Equals(Path.GetFileName(file), Path.GetFileName(fullPath), StringComparison.Ordinal))
                {
                    string target = Path.Combine(folder, Path.GetFileName(file));
                    File.Move(file, target, overwrite: true);
                    written.Add(target);
                }
            }

            File.Move(Path.Combine(temporary, Path.GetFileName(fullPath)), fullPath, overwrite: true);
            written.Insert(0, fullPath);
            return written;
        }
        finally
        {
            try
            {
                if (Directory.Exists(temporary))
                {
                    Directory.Delete(temporary, recursive: true);
                }
            }
            catch (IOException)
            {
                // The original exception matters more than a leftover temporary folder.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private static ModelRoot Build(IReadOnlyList<MeshPart> parts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("There is no part to write.", nameof(parts));
        }

        ModelRoot model = ModelRoot.CreateModel();
        model.Asset.Generator = "VolumeMesh";
        Scene scene = model.UseScene("VolumeMesh");
        model.DefaultScene = scene;
        Node root = scene.CreateNode(RootNodeName);
        root.LocalMatrix = Matrix4x4.CreateScale(GltfAxes.MetresPerMillimetre);
        // One buffer for every part (a GLB holds one binary chunk): positions, normals and indices of each part in turn,
        // all 4-byte aligned since every element is 4 bytes.
        long total = 0;
        foreach (MeshPart part in parts)
        {
            total += (24L * part.Mesh.VertexCount) + (4L * part.Mesh.Indices.Length);
        }

        if (total > Array.MaxLength)
        {
            throw new ArgumentException($"The parts need a {total}-byte glTF buffer, more than one array holds.", nameof(parts));
        }

        byte[] data = new byte[total];
        SharpGLTF.Schema2.Buffer buffer = model.UseBuffer(data);
        int offset = 0;
        foreach (MeshPart part in parts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Node node = root.CreateNode(part.Name);
            if (part.Mesh.TriangleCount == 0)
            {
                continue;
            }

            Material material = model.CreateMaterial(part.Name);
            material.InitializePBRMetallicRoughness();
            MaterialChannel baseColor = material.FindChannel("BaseColor")!.Value;
            baseColor.Color = LinearColor(part.Color);
            material.FindChannel("MetallicRoughness")!.Value.SetFactor("MetallicFactor", 0f);
            material.FindChannel("MetallicRoughness")!.Value.SetFactor("RoughnessFactor", 0.6f);
            material.Alpha = part.Color.A == 255 ? AlphaMode.OPAQUE : AlphaMode.BLEND;
            material.DoubleSided = false;

            SharpGLTF.Schema2.Mesh mesh = model.CreateMesh(part.Name);
            MeshPrimitive primitive = mesh.CreatePrimitive();
            primitive.DrawPrimitiveType = PrimitiveType.TRIANGLES;
            primitive.Material = material;
            int vertexBytes = 12 * part.Mesh.VertexCount, indexBytes = 4 * part.Mesh.Indices.Length;
            Fill(part.Mesh, data.AsSpan(offset, vertexBytes), data.AsSpan(offset + vertexBytes, vertexBytes), data.AsSpan(offset + (2 * vertexBytes), indexBytes));
            var vec3 = new SharpGLTF.Memory.AttributeFormat(DimensionType.VEC3, EncodingType.FLOAT, false);

            Accessor position = model.CreateAccessor("POSITION");
            position.SetVertexData(model.UseBufferView(buffer, offset, vertexBytes, 0, BufferMode.ARRAY_BUFFER), 0, part.Mesh.VertexCount, vec3);
            position.UpdateBounds();
            primitive.SetVertexAccessor("POSITION", position);

            Accessor normal = model.CreateAccessor("NORMAL");
            normal.SetVertexData(model.UseBufferView(buffer, offset + vertexBytes, vertexBytes, 0, BufferMode.ARRAY_BUFFER), 0, part.Mesh.VertexCount, vec3);
            primitive.SetVertexAccessor("NORMAL", normal);

            Accessor index = model.CreateAccessor("indices");
            index.SetIndexData(model.UseBufferView(buffer, offset + (2 * vertexBytes), indexBytes, 0, BufferMode.ELEMENT_ARRAY_BUFFER), 0, part.Mesh.Indices.Length, IndexEncodingType.UNSIGNED_INT);
            primitive.SetIndexAccessor(index);
            offset += (2 * vertexBytes) + indexBytes;
            node.Mesh = mesh;
        }

        return model;
    }

    private static void Fill(VolumeMesh.Meshing.Mesh mesh, Span<byte> positions, Span<byte> normals, Span<byte> indices)
    {
        Vector3[] v = mesh.Vertices;
        Vector3[] vertexNormals = ArrayPool<Vector3>.Shared.Rent(v.Length);
        try
        {
            VertexNormals.Compute(mesh, vertexNormals.AsSpan(0, v.Length));
            for (int i = 0; i < v.Length; i++)
            {
                Put(positions.Slice(i * 12, 12), GltfAxes.FromLps(v[i]));
                Put(normals.Slice(i * 12, 12), GltfAxes.FromLps(vertexNormals[i]));
            }
        }
        finally
        {
            ArrayPool<Vector3>.Shared.Return(vertexNormals);
        }

        int[] idx = mesh.Indices;
        for (int i = 0; i < idx.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(indices.Slice(i * 4, 4), idx[i]);
        }
    }

    private static void Put(Span<byte> destination, Vector3 value)
    {
        BinaryPrimitives.WriteSingleLittleEndian(destination, value.X);
        BinaryPrimitives.WriteSingleLittleEndian(destination[4..], value.Y);
        BinaryPrimitives.WriteSingleLittleEndian(destination[8..], value.Z);
    }

    /// <summary>The glTF base colour factor: sRGB bytes converted to linear (IEC 61966-2-1), alpha as is.</summary>
    internal static Vector4 LinearColor(PartColor color) => new(ToLinear(color.R), ToLinear(color.G), ToLinear(color.B), color.A / 255f);

    /// <summary>A linear base colour factor back to sRGB bytes (rounded); the inverse of <see cref="LinearColor"/>.</summary>
    internal static PartColor SrgbColor(Vector4 linear) => new(ToSrgb(linear.X), ToSrgb(linear.Y), ToSrgb(linear.Z), (byte)Math.Clamp(Math.Round(linear.W * 255.0), 0, 255));

    private static float ToLinear(byte value)
    {
        double c = value / 255.0;
        return (float)(c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4));
    }

    private static byte ToSrgb(float value)
    {
        double c = Math.Clamp(value, 0, 1);
        double s = c <= 0.0031308 ? c * 12.92 : (1.055 * Math.Pow(c, 1 / 2.4)) - 0.055;
        return (byte)Math.Clamp(Math.Round(s * 255.0), 0, 255);
    }
}
