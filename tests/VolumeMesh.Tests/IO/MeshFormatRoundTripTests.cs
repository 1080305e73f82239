using System.Numerics;
using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Tests.Support;

namespace VolumeMesh.Tests.IO;

/// <summary>Every format written by <see cref="MeshFileWriter"/> reads back through <see cref="MeshFileReader"/> and
/// <c>volumemesh validate</c> to the same geometry, names, colours and mesh report.</summary>
public sealed class MeshFormatRoundTripTests
{
    public static TheoryData<string, bool, CoordinateSpace, bool> Variants => new()
    {
        { ".stl", false, CoordinateSpace.Lps, false },
        { ".stl", true, CoordinateSpace.Ras, false },
        { ".3mf", false, CoordinateSpace.Lps, false },
        { ".glb", false, CoordinateSpace.Lps, false },
        { ".gltf", false, CoordinateSpace.Lps, false },
        { ".ply", false, CoordinateSpace.Lps, false },
        { ".ply", true, CoordinateSpace.Ras, false },
        { ".obj", false, CoordinateSpace.Lps, false },
        { ".obj", false, CoordinateSpace.Ras, true },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void OnePartReadsBackBitExact(string extension, bool ascii, CoordinateSpace space, bool normals)
    {
        using var folder = new TempFolder();
        // Random float coordinates test the number formatting; distinct positions keep STL's welding out of the way.
        Mesh mesh = TestMeshes.RandomSoup(11, 300, 500);
        string path = folder.File("soup" + extension);

        MeshFileWriter.Write([new MeshPart("soup", mesh, new PartColor(10, 200, 30))], path, new MeshWriteOptions { Ascii = ascii, Space = space, ObjNormals = normals });
        MeshFile file = MeshFileReader.Read(path);

        MeshPart part = Assert.Single(file.Parts);
        Assert.Equal(mesh.Vertices, part.Mesh.Vertices);
        Assert.Equal(mesh.Indices, part.Mesh.Indices);
        Assert.Equal("soup", part.Name);
        if (extension != ".stl")
        {
            Assert.Equal(new PartColor(10, 200, 30), part.Color);
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void ValidateGivesTheReportOfTheMeshWritten(string extension, bool ascii, CoordinateSpace space, bool normals)
    {
        using var folder = new TempFolder();
        Mesh mesh = Asymmetric();
        string path = folder.File("model" + extension);
        MeshFileWriter.Write([new MeshPart("model", mesh)], path, new MeshWriteOptions { Ascii = ascii, Space = space, ObjNormals = normals });

        (int code, string stdout, string stderr) = CliRunner.Run("validate", path, "--json");

        Assert.True(code == 0, stderr);
        Assert.Equal(MeshReportJson.Serialize(MeshReport.Compute(mesh)), stdout.Trim());
    }

    [Theory]
    [InlineData(".3mf")]
    [InlineData(".glb")]
    [InlineData(".gltf")]
    public void SeveralPartsGoIntoOneFileWithNamesAndColours(string extension)
    {
        using var folder = new TempFolder();
        MeshPart[] parts =
        [
            new("bone", Asymmetric(), PartColor.Bone),
            new("hip implant", TestMeshes.Octahedron(new Vector3(-40, 12.5f, 7), 6), PartColor.Metal),
            new("cement", TestMeshes.Octahedron(new Vector3(3, 4, 5), 1.5f), new PartColor(200, 40, 40, 128)),
        ];
        string path = folder.File("model" + extension);

        IReadOnlyList<string> written = MeshFileWriter.Write(parts, path);
        MeshFile file = MeshFileReader.Read(path);

        Assert.Equal(path, written[0]);
        Assert.Equal(extension == ".gltf" ? 2 : 1, written.Count);
        Assert.Equal(parts.Length, file.Parts.Count);
        for (int i = 0; i < parts.Length; i++)
        {
            Assert.Equal(parts[i].Name, file.Parts[i].Name);
            Assert.Equal(parts[i].Color, file.Parts[i].Color);
            Assert.Equal(parts[i].Mesh.Vertices, file.Parts[i].Mesh.Vertices);
            Assert.Equal(parts[i].Mesh.Indices, file.Parts[i].Mesh.Indices);
        }

        // Only the model (and a .gltf's buffer) is left: no temporary file or folder.
        Assert.Equal(written.Order(StringComparer.Ordinal), Directory.GetFileSystemEntries(folder.Path).Order(StringComparer.Ordinal));

        (int code, string stdout, string stderr) = CliRunner.Run("validate", path);
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("3 parts", stdout, StringComparison.Ordinal);
        Assert.Contains("part 'hip implant' (#AAB0BA): watertight", stdout, StringComparison.Ordinal);
        Assert.Contains("part 'cement' (#C8282880): watertight", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".stl")]
    [InlineData(".ply")]
    [InlineData(".obj")]
    public void SeveralPartsOfOneMeshFormatsGoToOneFileEach(string extension)
    {
        using var folder = new TempFolder();
        Mesh bone = Asymmetric();
        Mesh implant = TestMeshes.Octahedron(new Vector3(-40, 12.5f, 7), 6);
        string path = folder.File("model" + extension);

        IReadOnlyList<string> written = MeshFileWriter.Write([new MeshPart("bone", bone), new MeshPart("implant", implant, PartColor.Metal)], path);

        Assert.Equal([folder.File("model_bone" + extension), folder.File("model_implant" + extension)], written);
        Assert.False(File.Exists(path));
        Assert.Equal(implant.Vertices, MeshFileReader.Read(written[1]).Parts[0].Mesh.Vertices);
        Assert.Equal(bone.Indices, MeshFileReader.Read(written[0]).Parts[0].Mesh.Indices);
    }

    [Fact]
    public void ThreeMfRefusesAnEmptyPartBeforeWriting()
    {
        using var folder = new TempFolder();
        ArgumentException error = Assert.Throws<ArgumentException>(() =>
            MeshFileWriter.Write([new MeshPart("bone", Asymmetric()), new MeshPart("nothing", Mesh.Empty)], folder.File("m.3mf")));
        Assert.Contains("'nothing'", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void StlOptionsStillSelectEncodingAndSpace()
    {
        using var folder = new TempFolder();
        string path = folder.File("m.stl");
        MeshFileWriter.Write([new MeshPart("m", Asymmetric())], path, new StlWriteOptions { Format = StlFormat.Ascii, Space = CoordinateSpace.Ras });
        StlFile file = StlReader.Read(path);
        Assert.Equal(StlFormat.Ascii, file.Format);
        Assert.Equal(CoordinateSpace.Ras, file.Space);
    }

    [Fact]
    public void MalformedFilesRaiseInvalidDataNamingTheFile()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("bad.ply"), "ply\nformat ascii 1.0\nelement vertex 2\nproperty float x\nproperty float y\nproperty float z\nend_header\n1 2 3\n");
        File.WriteAllText(folder.File("bad.obj"), "v 1 2 3\nf 1 2 7\n");
        File.WriteAllBytes(folder.File("bad.3mf"), [0x50, 0x4B, 3, 4, 1, 2, 3]);
        File.WriteAllBytes(folder.File("bad.glb"), [0x67, 0x6C, 0x54, 0x46, 2, 0, 0, 0, 99, 0, 0, 0]);
        foreach (string name in new[] { "bad.ply", "bad.obj", "bad.3mf", "bad.glb" })
        {
            InvalidDataException error = Assert.Throws<InvalidDataException>(() => MeshFileReader.Read(folder.File(name)));
            Assert.Contains(name, error.Message, StringComparison.Ordinal);
            (int code, _, string stderr) = CliRunner.Run("validate", folder.File(name));
            Assert.Equal(3, code); // input unreadable
            Assert.Contains(name, stderr, StringComparison.Ordinal);
        }
    }

    /// <summary>A closed tetrahedron with no symmetry, counter-clockwise from outside (positive volume).</summary>
    internal static Mesh Asymmetric()
    {
        // Vertices in first-use order, as STL's reader numbers them.
        Vector3[] v = [new(50, -30, 80), new(50, -21, 80), new(62, -30, 80), new(50, -30, 95.5f)];
        int[] t = [0, 1, 2, 0, 2, 3, 0, 3, 1, 2, 1, 3];
        var mesh = new Mesh(v, t);
        return mesh;
    }
}
