using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using System.Text.Json;
using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Tests.Support;

namespace VolumeMesh.Tests.IO;

/// <summary>The GLB as a glTF viewer sees it, read with a minimal GLB parser written here (not SharpGLTF), and the Khronos
/// glTF Validator's verdict.</summary>
public sealed class GltfTests
{
    [Fact]
    public void AxesAreARotationOfLpsAndTheRootNodeScalesToMetres()
    {
        using var folder = new TempFolder();
        Mesh mesh = MeshFormatRoundTripTests.Asymmetric();
        string path = folder.File("tetra.glb");
        MeshFileWriter.Write([new MeshPart("tetra", mesh)], path);

        Glb glb = Glb.Read(path);
        JsonElement root = glb.Json.RootElement;
        int sceneIndex = root.GetProperty("scene").GetInt32();
        int rootNode = root.GetProperty("scenes")[sceneIndex].GetProperty("nodes")[0].GetInt32();
        JsonElement rootJson = root.GetProperty("nodes")[rootNode];
        Assert.Equal(0.001f, Glb.Scale(rootJson));
        int child = rootJson.GetProperty("children")[0].GetInt32();
        Assert.Equal("tetra", root.GetProperty("nodes")[child].GetProperty("name").GetString());
        (Vector3[] positions, int[] indices) = glb.Primitive(root.GetProperty("nodes")[child].GetProperty("mesh").GetInt32());

        // glTF (X, Y, Z) = LPS (x, z, −y): left stays +X, superior becomes up (+Y), anterior becomes front (+Z).
        Assert.Equal(mesh.Indices, indices);
        for (int i = 0; i < positions.Length; i++)
        {
            Vector3 p = mesh.Vertices[i];
            Assert.Equal(new Vector3(p.X, p.Z, -p.Y), positions[i]);
        }

        // The apex that is most superior in the patient is the highest point; the vertex furthest posterior (largest LPS y)
        // is the one furthest back (smallest Z); the patient's left (+x) is +X.
        Assert.Equal(new Vector3(50, 95.5f, 30), positions[MaxBy(positions, p => p.Y)]);
        Assert.Equal(new Vector3(50, 80, 21), positions[MaxBy(positions, p => -p.Z)]);
        Assert.Equal(new Vector3(62, 80, 30), positions[MaxBy(positions, p => p.X)]);

        // Not mirrored: the signed volume in glTF's right-handed frame equals the LPS volume (positive).
        double volume = SignedVolume(positions, indices);
        Assert.True(volume > 0);
        Assert.Equal(MeshReport.Compute(mesh).VolumeMm3, volume, 6);

        JsonElement accessor = root.GetProperty("accessors")[root.GetProperty("meshes")[0].GetProperty("primitives")[0].GetProperty("attributes").GetProperty("POSITION").GetInt32()];
        Assert.Equal([50f, 80f, 21f], accessor.GetProperty("min").EnumerateArray().Select(e => e.GetSingle()));
        Assert.Equal([62f, 95.5f, 30f], accessor.GetProperty("max").EnumerateArray().Select(e => e.GetSingle()));
    }

    [Fact]
    public void PartsAreNamedNodesWithLinearBaseColours()
    {
        using var folder = new TempFolder();
        string path = folder.File("parts.glb");
        MeshFileWriter.Write(
            [new MeshPart("bone", MeshFormatRoundTripTests.Asymmetric(), PartColor.Bone), new MeshPart("glass", TestMeshes.Octahedron(Vector3.Zero, 2), new PartColor(0, 128, 255, 64))],
            path);

        JsonElement root = Glb.Read(path).Json.RootElement;
        JsonElement[] materials = [.. root.GetProperty("materials").EnumerateArray()];
        Assert.Equal(["bone", "glass"], materials.Select(m => m.GetProperty("name").GetString()));
        float[] bone = [.. materials[0].GetProperty("pbrMetallicRoughness").GetProperty("baseColorFactor").EnumerateArray().Select(e => e.GetSingle())];
        float[] glass = [.. materials[1].GetProperty("pbrMetallicRoughness").GetProperty("baseColorFactor").EnumerateArray().Select(e => e.GetSingle())];

        // IEC 61966-2-1 sRGB decoding, written out here independently of the writer.
        Assert.Equal(Math.Pow(((241 / 255.0) + 0.055) / 1.055, 2.4), bone[0], 5);
        Assert.Equal(Math.Pow(((145 / 255.0) + 0.055) / 1.055, 2.4), bone[2], 5);
        Assert.Equal(1, bone[3]);
        Assert.Equal(0, glass[0]);
        Assert.Equal(Math.Pow(((128 / 255.0) + 0.055) / 1.055, 2.4), glass[1], 5);
        Assert.Equal(64 / 255.0, glass[3], 5);
        Assert.Equal("BLEND", materials[1].GetProperty("alphaMode").GetString());
        Assert.Equal(0, materials[0].GetProperty("pbrMetallicRoughness").GetProperty("metallicFactor").GetSingle());
    }

    public static TheoryData<string> Extensions => [".glb", ".gltf"];

    [SkippableTheory]
    [MemberData(nameof(Extensions))]
    public void KhronosValidatorFindsNoErrorsOrWarnings(string extension)
    {
        string validator = RequireValidator();
        using var folder = new TempFolder();
        Mesh sphere = MarchingCubes.FromIso(VolumeMesh.Volumes.Phantoms.SphereDistanceField(20, 6), 0);
        string path = folder.File("model" + extension);
        MeshFileWriter.Write(
            [
                new MeshPart("sphere", sphere, PartColor.Bone),
                new MeshPart("implant", MeshFormatRoundTripTests.Asymmetric(), PartColor.Metal),
                new MeshPart("glass", TestMeshes.Octahedron(new Vector3(1, 2, 3), 2), new PartColor(0, 128, 255, 64)),
            ],
            path);

        var (code, output) = RepoPaths.Run("node", validator, path);

        Assert.True(code == 0, output);
        using JsonDocument report = JsonDocument.Parse(output);
        JsonElement issues = report.RootElement.GetProperty("issues");
        Assert.True(issues.GetProperty("numErrors").GetInt32() == 0, output);
        Assert.True(issues.GetProperty("numWarnings").GetInt32() == 0, output);
        JsonElement info = report.RootElement.GetProperty("info");
        Assert.Equal(sphere.TriangleCount + 4 + 8, info.GetProperty("totalTriangleCount").GetInt32());
        Assert.Equal(3, info.GetProperty("drawCallCount").GetInt32());
        Assert.Equal(3, info.GetProperty("materialCount").GetInt32());
    }

    private static string RequireValidator()
    {
        Skip.If(RepoPaths.Root is null, "The repository root is not found.");
        string folder = Path.Combine(RepoPaths.Root!, "tests", "tools", "gltf-validator");
        Skip.IfNot(Directory.Exists(Path.Combine(folder, "node_modules", "gltf-validator")),
            $"The Khronos glTF Validator is not installed: run 'npm ci' in {folder} (.ci/run does).");
        try
        {
            Skip.If(RepoPaths.Run("node", "--version").ExitCode != 0, "node does not run.");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Skip.If(true, "node is not installed (Debian: apt-get install nodejs npm).");
        }

        return Path.Combine(folder, "validate.js");
    }

    private static int MaxBy(Vector3[] points, Func<Vector3, float> key)
    {
        int best = 0;
        for (int i = 1; i < points.Length; i++)
        {
            if (key(points[i]) > key(points[best]))
            {
                best = i;
            }
        }

        return best;
    }

    private static double SignedVolume(Vector3[] v, int[] t)
    {
        double sum = 0;
        for (int i = 0; i < t.Length; i += 3)
        {
            Vector3 a = v[t[i]], b = v[t[i + 1]], c = v[t[i + 2]];
            sum += Vector3.Dot(a, Vector3.Cross(b, c));
        }

        return sum / 6;
    }

    /// <summary>A GLB container: its JSON chunk and binary chunk (glTF 2.0 §4.4), read without SharpGLTF.</summary>
    private sealed class Glb
    {
        private Glb(JsonDocument json, byte[] binary)
        {
            Json = json;
            Binary = binary;
        }

        public JsonDocument Json { get; }

        public byte[] Binary { get; }

        public static Glb Read(string path)
        {
            byte[] data = File.ReadAllBytes(path);
            Assert.Equal(0x46546C67u, BinaryPrimitives.ReadUInt32LittleEndian(data)); // "glTF"
            Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(4)));
            Assert.Equal((uint)data.Length, BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(8)));
            int jsonLength = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(12));
            Assert.Equal(0x4E4F534Au, BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(16))); // "JSON"
            JsonDocument json = JsonDocument.Parse(Encoding.UTF8.GetString(data, 20, jsonLength).TrimEnd(' ', '\0'));
            int binStart = 20 + jsonLength;
            int binLength = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(binStart));
            Assert.Equal(0x004E4942u, BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(binStart + 4))); // "BIN\0"
            return new Glb(json, data.AsSpan(binStart + 8, binLength).ToArray());
        }

        public static float Scale(JsonElement node)
        {
            if (node.TryGetProperty("scale", out JsonElement scale))
            {
                float[] s = [.. scale.EnumerateArray().Select(e => e.GetSingle())];
                Assert.Equal(s[0], s[1]);
                Assert.Equal(s[0], s[2]);
                Assert.False(node.TryGetProperty("rotation", out _));
                return s[0];
            }

            float[] m = [.. node.GetProperty("matrix").EnumerateArray().Select(e => e.GetSingle())];
            Assert.Equal([m[0], 0, 0, 0, 0, m[0], 0, 0, 0, 0, m[0], 0, 0, 0, 0, 1], m);
            return m[0];
        }

        public (Vector3[] Positions, int[] Indices) Primitive(int mesh)
        {
            JsonElement root = Json.RootElement;
            JsonElement primitive = root.GetProperty("meshes")[mesh].GetProperty("primitives")[0];
            Assert.Equal(4, primitive.TryGetProperty("mode", out JsonElement mode) ? mode.GetInt32() : 4); // TRIANGLES
            JsonElement position = root.GetProperty("accessors")[primitive.GetProperty("attributes").GetProperty("POSITION").GetInt32()];
            Assert.Equal(5126, position.GetProperty("componentType").GetInt32()); // FLOAT
            Assert.Equal("VEC3", position.GetProperty("type").GetString());
            ReadOnlySpan<byte> p = View(position, 12);
            var positions = new Vector3[position.GetProperty("count").GetInt32()];
            for (int i = 0; i < positions.Length; i++)
            {
                positions[i] = new Vector3(
                    BinaryPrimitives.ReadSingleLittleEndian(p[(12 * i)..]), BinaryPrimitives.ReadSingleLittleEndian(p[((12 * i) + 4)..]), BinaryPrimitives.ReadSingleLittleEndian(p[((12 * i) + 8)..]));
            }

            JsonElement index = root.GetProperty("accessors")[primitive.GetProperty("indices").GetInt32()];
            Assert.Equal(5125, index.GetProperty("componentType").GetInt32()); // UNSIGNED_INT
            ReadOnlySpan<byte> q = View(index, 4);
            var indices = new int[index.GetProperty("count").GetInt32()];
            for (int i = 0; i < indices.Length; i++)
            {
                indices[i] = BinaryPrimitives.ReadInt32LittleEndian(q[(4 * i)..]);
            }

            return (positions, indices);
        }

        private ReadOnlySpan<byte> View(JsonElement accessor, int elementSize)
        {
            JsonElement view = Json.RootElement.GetProperty("bufferViews")[accessor.GetProperty("bufferView").GetInt32()];
            Assert.Equal(0, view.GetProperty("buffer").GetInt32());
            int offset = (view.TryGetProperty("byteOffset", out JsonElement o) ? o.GetInt32() : 0) + (accessor.TryGetProperty("byteOffset", out JsonElement a) ? a.GetInt32() : 0);
            Assert.True(!view.TryGetProperty("byteStride", out JsonElement stride) || stride.GetInt32() == elementSize);
            return Binary.AsSpan(offset, accessor.GetProperty("count").GetInt32() * elementSize);
        }
    }
}
