using System.Buffers.Binary;
using System.Numerics;
using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Tests.Support;

namespace VolumeMesh.Tests.IO;

/// <summary>Our PLY and OBJ read back by Debian's python3-meshio (an independent reader) to the same geometry.</summary>
public sealed class MeshioTests
{
    public static TheoryData<string, bool, bool> Variants => new()
    {
        { ".ply", false, false },
        { ".ply", true, false },
        { ".obj", false, false },
        { ".obj", false, true },
    };

    [SkippableTheory]
    [MemberData(nameof(Variants))]
    public void MeshioReadsTheSameGeometry(string extension, bool ascii, bool normals)
    {
        string python = RequireMeshio();
        using var folder = new TempFolder();
        Mesh mesh = TestMeshes.RandomSoup(31, 500, 900);
        string path = folder.File("soup" + extension);
        MeshFileWriter.Write([new MeshPart("soup", mesh)], path, new MeshWriteOptions { Ascii = ascii, ObjNormals = normals });

        string dump = folder.File("dump.bin");
        var (code, output) = RepoPaths.Run(python, Path.Combine(RepoPaths.Root!, "tests", "tools", "meshio_dump.py"), path, dump);

        Assert.True(code == 0, output);
        byte[] data = File.ReadAllBytes(dump);
        int points = BinaryPrimitives.ReadInt32LittleEndian(data);
        int triangles = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(4));
        Assert.Equal(mesh.VertexCount, points);
        Assert.Equal(mesh.TriangleCount, triangles);
        var vertices = new Vector3[points];
        for (int i = 0; i < points; i++)
        {
            ReadOnlySpan<byte> p = data.AsSpan(8 + (12 * i), 12);
            vertices[i] = new Vector3(BinaryPrimitives.ReadSingleLittleEndian(p), BinaryPrimitives.ReadSingleLittleEndian(p[4..]), BinaryPrimitives.ReadSingleLittleEndian(p[8..]));
        }

        var indices = new int[triangles * 3];
        for (int i = 0; i < indices.Length; i++)
        {
            indices[i] = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(8 + (12 * points) + (4 * i)));
        }

        Assert.Equal(mesh.Vertices, vertices);
        Assert.Equal(mesh.Indices, indices);
    }

    [SkippableTheory]
    [InlineData("meshio.ply", "binary")]
    [InlineData("meshio.ply", "ascii")]
    [InlineData("meshio.obj", "ascii")]
    public void OurReadersReadWhatMeshioWrites(string name, string encoding)
    {
        string python = RequireMeshio();
        using var folder = new TempFolder();
        Mesh mesh = TestMeshes.RandomSoup(41, 300, 500);
        string ours = folder.File("ours.ply");
        MeshFileWriter.Write([new MeshPart("soup", mesh)], ours);
        string theirs = folder.File(name);

        var (code, output) = RepoPaths.Run(python, Path.Combine(RepoPaths.Root!, "tests", "tools", "meshio_dump.py"), ours, folder.File("dump.bin"), theirs, encoding);

        Assert.True(code == 0, output);
        Assert.DoesNotContain("VolumeMesh", File.ReadAllText(theirs)[..Math.Min(2000, (int)new FileInfo(theirs).Length)], StringComparison.Ordinal);
        MeshPart part = Assert.Single(MeshFileReader.Read(theirs).Parts);
        Assert.Equal(mesh.Vertices, part.Mesh.Vertices);
        Assert.Equal(mesh.Indices, part.Mesh.Indices);
    }

    private static string RequireMeshio()
    {
        Skip.If(RepoPaths.Root is null, "The repository root is not found.");
        string? python = RepoPaths.PythonWithNumpy;
        Skip.If(python is null, "No python3 with numpy (Debian: apt-get install python3-numpy python3-meshio).");
        Skip.If(RepoPaths.Run(python!, "-c", "import meshio").ExitCode != 0, "meshio is not installed (Debian: apt-get install python3-meshio); .ci/run installs it.");
        return python!;
    }
}
