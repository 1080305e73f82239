using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Tests.Support;

namespace VolumeMesh.Tests.IO;

public sealed class MeshFileWriterTests
{
    [Fact]
    public void OnePartGoesToThePathItself()
    {
        using var folder = new TempFolder();
        Mesh mesh = TestMeshes.RandomSoup(1, 100, 200);
        string path = folder.File("bone.stl");

        IReadOnlyList<string> written = MeshFileWriter.Write([new MeshPart("bone", mesh)], path);

        Assert.Equal([path], written);
        Assert.Equal(mesh.Indices, StlReader.Read(path).Mesh.Indices);
    }

    [Fact]
    public void SeveralPartsOfAOneMeshFormatGoToOneFileEachNamedByPart()
    {
        using var folder = new TempFolder();
        Mesh bone = TestMeshes.RandomSoup(2, 100, 200);
        Mesh implant = TestMeshes.RandomSoup(3, 50, 60);
        string path = folder.File("model.stl");

        IReadOnlyList<string> written = MeshFileWriter.Write([new MeshPart("bone", bone), new MeshPart("hip implant/left", implant, PartColor.Metal)], path);

        Assert.Equal([folder.File("model_bone.stl"), folder.File("model_hip_implant_left.stl")], written);
        Assert.False(File.Exists(path));
        Assert.Equal(bone.Vertices, StlReader.Read(written[0]).Mesh.Vertices);
        Assert.Equal(implant.Vertices, StlReader.Read(written[1]).Mesh.Vertices);
    }

    [Fact]
    public void BadRequestsAreRefusedBeforeAnythingIsWritten()
    {
        using var folder = new TempFolder();
        Mesh mesh = TestMeshes.RandomSoup(4, 10, 10);

        Assert.Throws<ArgumentException>(() => MeshFileWriter.Write([], folder.File("a.stl")));
        Assert.Throws<ArgumentException>(() => MeshFileWriter.Write([new MeshPart("a", mesh), new MeshPart("A", mesh)], folder.File("a.stl")));
        ArgumentException wrongExtension = Assert.Throws<ArgumentException>(() => MeshFileWriter.Write([new MeshPart("a", mesh)], folder.File("a.xyz")));
        Assert.Contains(".stl", wrongExtension.Message);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Theory]
    [InlineData("#F1D691", 241, 214, 145, 255)]
    [InlineData("aabbcc80", 0xAA, 0xBB, 0xCC, 0x80)]
    public void ColoursParseAndPrintAsHex(string text, byte r, byte g, byte b, byte a)
    {
        Assert.True(PartColor.TryParseHex(text, out PartColor color));
        Assert.Equal(new PartColor(r, g, b, a), color);
        Assert.True(PartColor.TryParseHex(color.ToHex(), out PartColor again));
        Assert.Equal(color, again);
        Assert.False(PartColor.TryParseHex("#12345", out _));
        Assert.False(PartColor.TryParseHex("#GGGGGG", out _));
    }
}
