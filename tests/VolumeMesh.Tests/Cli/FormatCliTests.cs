using System.Numerics;
using System.Text.Json;
using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Tests.IO;
using VolumeMesh.Tests.Support;

namespace VolumeMesh.Tests.Cli;

/// <summary>The CLI writes every format (<c>mesh -o</c>, <c>combine -o</c>) and <c>validate</c> reports every part.</summary>
public sealed class FormatCliTests
{
    [Theory]
    [InlineData(".3mf")]
    [InlineData(".glb")]
    [InlineData(".gltf")]
    [InlineData(".ply")]
    [InlineData(".obj")]
    public void MeshWritesEveryFormatWithTheSameMeshAsStl(string extension)
    {
        using var folder = new TempFolder();
        string input = folder.File("sphere.nrrd");
        Assert.Equal(0, CliRunner.Run("phantom", "-o", input, "--kind", "sphere", "--size", "20").Code);
        string stl = folder.File("sphere.stl");
        string other = folder.File("sphere" + extension);

        (int code, _, string stderr) = CliRunner.Run("mesh", input, "-o", stl, "--iso", "0");
        Assert.True(code == 0, stderr);
        (code, _, stderr) = CliRunner.Run("mesh", input, "-o", other, "--iso", "0", "--obj-normals");
        Assert.True(code == 0, stderr);

        // STL welds corners by position, so compare the reports (counts, volume, area, bounds), which must be equal.
        Mesh fromStl = MeshFileReader.Read(stl).Parts[0].Mesh;
        MeshPart part = Assert.Single(MeshFileReader.Read(other).Parts);
        Assert.Equal("sphere", part.Name);
        Assert.Equal(MeshReportJson.Serialize(MeshReport.Compute(fromStl)), MeshReportJson.Serialize(MeshReport.Compute(part.Mesh)));
        Assert.True(MeshReport.Compute(part.Mesh).IsWatertight);
        if (extension == ".obj")
        {
            Assert.Equal(part.Mesh.VertexCount, File.ReadLines(other).Count(l => l.StartsWith("vn ", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public void CombineWritesNamedColouredPartsAndValidateReportsEach()
    {
        using var folder = new TempFolder();
        Mesh bone = MeshFormatRoundTripTests.Asymmetric();
        Mesh implant = TestMeshes.Octahedron(new Vector3(-40, 12.5f, 7), 6);
        MeshFileWriter.Write([new MeshPart("b", bone)], folder.File("bone.stl"));
        MeshFileWriter.Write([new MeshPart("i", implant)], folder.File("implant.ply"), new MeshWriteOptions { Space = CoordinateSpace.Ras });
        string output = folder.File("model.3mf");

        (int code, string stdout, string stderr) = CliRunner.Run("combine", folder.File("bone.stl") + ":femur", folder.File("implant.ply") + ":stem:#AAB0BA", "-o", output);

        Assert.True(code == 0, stderr);
        Assert.Equal(output, stdout.Trim());
        MeshFile file = MeshFileReader.Read(output);
        Assert.Equal(["femur", "stem"], file.Parts.Select(p => p.Name));
        Assert.Equal([PartColor.Bone, new PartColor(0xAA, 0xB0, 0xBA)], file.Parts.Select(p => p.Color));
        Assert.Equal(bone.Vertices, file.Parts[0].Mesh.Vertices);
        Assert.Equal(implant.Vertices, file.Parts[1].Mesh.Vertices); // the RAS PLY came back to LPS

        (code, stdout, stderr) = CliRunner.Run("validate", output, "--json");
        Assert.True(code == 0, stderr);
        using JsonDocument json = JsonDocument.Parse(stdout);
        JsonElement[] parts = [.. json.RootElement.EnumerateArray()];
        Assert.Equal(["femur", "stem"], parts.Select(p => p.GetProperty("name").GetString()));
        Assert.Equal("#AAB0BA", parts[1].GetProperty("color").GetString());
        Assert.Equal(MeshReportJson.Serialize(MeshReport.Compute(implant), indented: false), parts[1].GetProperty("report").GetRawText());
    }

    [Fact]
    public void ValidateFailsWhenOnePartIsOpen()
    {
        using var folder = new TempFolder();
        Mesh closed = TestMeshes.Octahedron(Vector3.Zero, 2);
        Mesh open = new(closed.Vertices, closed.Indices[..^3]);
        string path = folder.File("model.glb");
        MeshFileWriter.Write([new MeshPart("closed", closed), new MeshPart("open", open)], path);

        (int code, string stdout, _) = CliRunner.Run("validate", path);

        Assert.Equal(1, code);
        Assert.Contains("part 'closed' (#F1D691): watertight", stdout, StringComparison.Ordinal);
        Assert.Contains("part 'open' (#F1D691): NOT watertight", stdout, StringComparison.Ordinal);
        Assert.EndsWith("NOT watertight", stdout.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void CombineRejectsBadInputInOneLine()
    {
        using var folder = new TempFolder();
        MeshFileWriter.Write([new MeshPart("b", MeshFormatRoundTripTests.Asymmetric())], folder.File("a.stl"));

        (int code, _, string stderr) = CliRunner.Run("combine", folder.File("a.stl") + ":x:#12345", "-o", folder.File("m.3mf"));
        Assert.Equal(2, code);
        Assert.Contains("is not a colour", stderr, StringComparison.Ordinal);

        (code, _, stderr) = CliRunner.Run("combine", folder.File("a.stl"), folder.File("a.stl"), "-o", folder.File("m.3mf"));
        Assert.Equal(2, code);
        Assert.Contains("two parts are named 'a'", stderr, StringComparison.Ordinal);

        (code, _, stderr) = CliRunner.Run("combine", folder.File("a.stl"), "-o", folder.File("m.vtk"));
        Assert.Equal(2, code);
        Assert.Contains("supported: .stl .3mf .glb .gltf .ply .obj", stderr, StringComparison.Ordinal);
        Assert.Equal([folder.File("a.stl")], Directory.GetFileSystemEntries(folder.Path));
    }
}
