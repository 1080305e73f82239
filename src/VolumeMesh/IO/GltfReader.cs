using System.Numerics;
using SharpGLTF.Schema2;

namespace VolumeMesh.IO;

/// <summary>Reads glTF 2.0 (<c>.glb</c>, or <c>.gltf</c> with its buffers) into one <see cref="MeshPart"/> per mesh node, in
/// LPS millimetres, through SharpGLTF's Schema2 API.</summary>
/// <remarks>
/// <para>Walks the default scene; every node with a mesh becomes a part (all its triangle primitives together), named by
/// the node (else its mesh, else <c>node N</c>) and coloured by its first primitive's base colour (converted from linear
/// to sRGB). Positions go through the node's world matrix to metres, then to millimetres and from glTF axes to LPS as
/// <see cref="GltfAxes"/> states. When the world matrix is exactly the writer's 0.001 scale, the stored millimetre
/// values are used as they are, so files written by <see cref="GltfWriter"/> read back bit-exact.</para>
/// <para>A file SharpGLTF rejects, or a binary container whose header or chunk lengths disagree with the file (checked before
/// SharpGLTF allocates them), raises <see cref="InvalidDataException"/> naming the file.</para>
/// </remarks>
public static class GltfReader
{
    /// <summary>Reads a glTF file.</summary>
    /// <param name="path">The <c>.glb</c> or <c>.gltf</c> file.</param>
    /// <param name="cancellationToken">Cancels the read between parts.</param>
    /// <returns>The file with one part per mesh node.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not valid glTF.</exception>
    public static MeshFile Read(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"'{path}' does not exist.", path);
        }

        if (GlbContainer.IsGlb(path))
        {
            // Before SharpGLTF, which allocates each chunk's declared length before reading it (found by fuzzing).
            GlbContainer.Check(path);
        }

        ModelRoot model;
        try
        {
            model = ModelRoot.Load(path);
        }
        catch (Exception e) when (e is SharpGLTF.Validation.ModelException or System.Text.Json.JsonException or InvalidOperationException or ArgumentException
            or EndOfStreamException or FormatException or InvalidCastException or OverflowException or KeyNotFoundException
            or NotImplementedException)
        {
            // SharpGLTF documents none of its parse errors; these are the ones malformed files raise in it (NotImplementedException
            // for a JSON token of an unexpected type, found by fuzzing).
            throw new InvalidDataException($"{path}: not valid glTF: {e.Message}", e);
        }

        bool binary = string.Equals(Path.GetExtension(path), ".glb", StringComparison.OrdinalIgnoreCase);
        var parts = new List<MeshPart>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        Scene? scene = model.DefaultScene ?? (model.LogicalScenes.Count > 0 ? model.LogicalScenes[0] : null);
        if (scene is not null)
        {
            foreach (Node node in scene.VisualChildren)
            {
                Collect(node, parts, names, cancellationToken);
            }
        }

        return new MeshFile { Format = binary ? MeshFormat.Glb : MeshFormat.Gltf, Parts = parts, Description = $"glTF {model.Asset.Version} ({(binary ? "binary" : "JSON")}), generator '{model.Asset.Generator}', metres on glTF axes" };
    }

    private static void Collect(Node node, List<MeshPart> parts, HashSet<string> names, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (node.Mesh is SharpGLTF.Schema2.Mesh mesh)
        {
            parts.Add(Part(node, mesh, parts.Count, names));
        }

        foreach (Node child in node.VisualChildren)
        {
            Collect(child, parts, names, cancellationToken);
        }
    }

    private static MeshPart Part(Node node, SharpGLTF.Schema2.Mesh mesh, int number, HashSet<string> names)
    {
        Matrix4x4 world = node.WorldMatrix;
        bool writerScale = world == Matrix4x4.CreateScale(GltfAxes.MetresPerMillimetre);
        bool mirrored = world.GetDeterminant() < 0;
        var vertices = new List<Vector3>();
        var indices = new List<int>();
        PartColor? color = null;
        foreach (MeshPrimitive primitive in mesh.Primitives)
        {
            if (primitive.DrawPrimitiveType != PrimitiveType.TRIANGLES && primitive.DrawPrimitiveType != PrimitiveType.TRIANGLE_STRIP && primitive.DrawPrimitiveType != PrimitiveType.TRIANGLE_FAN)
            {
                continue;
            }

            Accessor? positions = primitive.GetVertexAccessor("POSITION");
            if (positions is null)
            {
                continue;
            }

            int offset = vertices.Count;
            foreach (Vector3 p in positions.AsVector3Array())
            {
                Vector3 millimetres = writerScale ? p : Vector3.Transform(p, world) * 1000f;
                vertices.Add(GltfAxes.ToLps(millimetres));
            }

            foreach ((int a, int b, int c) in primitive.GetTriangleIndices())
            {
                indices.Add(offset + a);
                indices.Add(offset + (mirrored ? c : b));
                indices.Add(offset + (mirrored ? b : c));
            }

            if (color is null && primitive.Material?.FindChannel("BaseColor") is MaterialChannel channel)
            {
                color = GltfWriter.SrgbColor(channel.Color);
            }
        }

        string name = node.Name ?? mesh.Name ?? $"node {number}";
        if (string.IsNullOrWhiteSpace(name))
        {
            name = $"node {number}";
        }

        string unique = name;
        for (int n = 2; !names.Add(unique); n++)
        {
            unique = $"{name} ({n})";
        }

        return new MeshPart(unique, new VolumeMesh.Meshing.Mesh([.. vertices], [.. indices]), color ?? PartColor.Bone);
    }
}
