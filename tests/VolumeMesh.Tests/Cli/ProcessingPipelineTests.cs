using System.Text.Json;
using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Tests.Support;

namespace VolumeMesh.Tests.Cli;

/// <summary>The mesh command's processing stages: shell removal, smoothing and decimation keep the model printable.</summary>
public sealed class ProcessingPipelineTests
{
    [Fact]
    public void SmoothedDecimatedModelStaysWatertightWithTheRequestedReduction()
    {
        using var folder = new TempFolder();
        string phantom = folder.File("ct.nrrd");
        Assert.Equal(0, CliRunner.Run("phantom", "-o", phantom, "--size", "24", "--matrix", "128").Code);
        string full = folder.File("full.stl"), small = folder.File("small.stl"), report = folder.File("small.json");
        Assert.Equal(0, CliRunner.Run("mesh", phantom, "-o", full, "--keep", "largest", "--fill-holes").Code);
        (int code, _, string stderr) = CliRunner.Run(
            "mesh", phantom, "-o", small, "--keep", "largest", "--fill-holes", "--smooth", "20", "--decimate", "0.9", "--report", report);
        Assert.True(code == 0, stderr);
        Assert.Contains("Decimated", stderr, StringComparison.Ordinal);

        MeshReport before = MeshReport.Compute(StlReader.Read(full).Mesh);
        MeshReport after = MeshReport.Compute(StlReader.Read(small).Mesh);
        Assert.True(after.IsWatertight, after.ToString());
        Assert.Equal(1, after.Shells);
        Assert.InRange(after.Triangles, before.Triangles / 10 - 2, before.Triangles / 10 + 2);
        Assert.InRange(after.VolumeMm3 / before.VolumeMm3, 0.97, 1.03);

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(report));
        JsonElement decimation = json.RootElement.GetProperty("decimation");
        Assert.Equal(before.Triangles, decimation.GetProperty("trianglesBefore").GetInt32());
        Assert.Equal(after.Triangles, decimation.GetProperty("trianglesAfter").GetInt32());
    }

    [Fact]
    public void MinShellVolumeDropsTheSpecksButKeepsTheBones()
    {
        using var folder = new TempFolder();
        string phantom = folder.File("ct.nrrd");
        Assert.Equal(0, CliRunner.Run("phantom", "-o", phantom, "--size", "24", "--matrix", "128").Code);
        string stl = folder.File("m.stl");

        // The phantom's bones and table enclose thousands of mm³; a one-voxel noise speck well under 10 mm³.
        (int code, _, string stderr) = CliRunner.Run("mesh", phantom, "-o", stl, "--min-shell-volume", "10");
        Assert.True(code == 0, stderr);
        MeshReport report = MeshReport.Compute(StlReader.Read(stl).Mesh);
        Assert.True(report.IsWatertight, report.ToString());
        Assert.Equal(3, report.Shells); // bone (with the bridge), marrow cavity wall, table
    }

    [Fact]
    public void BadProcessingOptionsNameThemselves()
    {
        using var folder = new TempFolder();
        string phantom = folder.File("ct.nrrd");
        Assert.Equal(0, CliRunner.Run("phantom", "-o", phantom, "--size", "4", "--matrix", "32").Code);
        foreach ((string option, string value) in new[] { ("--decimate", "1.5"), ("--max-error", "0"), ("--smooth", "-3"), ("--min-shell-volume", "-1") })
        {
            (int code, _, string stderr) = CliRunner.Run("mesh", phantom, "-o", folder.File("m.stl"), option, value);
            Assert.Equal(2, code);
            Assert.Contains(option, stderr, StringComparison.Ordinal);
        }
    }
}
