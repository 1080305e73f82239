using System.Text.Json;
using VolumeMesh.Geometry;
using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Tests.Support;

namespace VolumeMesh.Tests.Cli;

/// <summary>The mesh command's component stages on the CT phantom: two bones joined by a bridge, a marrow cavity, a table.</summary>
public sealed class ComponentPipelineTests
{
    [Fact]
    public void KeepLargestWithFilledHolesGivesOneSolidShell()
    {
        using var folder = new TempFolder();
        string phantom = Phantom(folder, slices: 24);
        string stl = folder.File("bone.stl"), report = folder.File("bone.json");
        (int code, _, string stderr) = CliRunner.Run("mesh", phantom, "-o", stl, "--keep", "largest", "--fill-holes", "--report", report);
        Assert.True(code == 0, stderr);
        Assert.Contains("kept 1 of", stderr, StringComparison.Ordinal);

        MeshReport mesh = MeshReport.Compute(StlReader.Read(stl).Mesh);
        Assert.True(mesh.IsWatertight, mesh.ToString());
        Assert.Equal(1, mesh.Shells);

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(report));
        Assert.Equal(1, json.RootElement.GetProperty("componentsKept").GetInt32());
        Assert.True(json.RootElement.GetProperty("componentsFound").GetInt32() >= 2);

        // Without filling, the marrow cavity's wall is a second shell inside the first.
        Assert.Equal(0, CliRunner.Run("mesh", phantom, "-o", stl, "--keep", "largest").Code);
        Assert.Equal(2, MeshReport.Compute(StlReader.Read(stl).Mesh).Shells);
    }

    [Fact]
    public void SeedSelectsTheTable()
    {
        using var folder = new TempFolder();
        string phantom = Phantom(folder);
        NrrdVolume volume = NrrdReader.Read(phantom);

        // The table lies at rows 430..439 of 512 (scaled to the 128 matrix), mid-width.
        Vector3D seed = volume.Geometry.IndexToPatient(64, Math.Round(434 * 128 / 512.0), 3);
        string stl = folder.File("table.stl");
        (int code, _, string stderr) = CliRunner.Run("mesh", phantom, "-o", stl, "--seed", FormattableString.Invariant($"{seed.X},{seed.Y},{seed.Z}"));
        Assert.True(code == 0, stderr);
        MeshReport mesh = MeshReport.Compute(StlReader.Read(stl).Mesh);
        Assert.Equal(1, mesh.Shells);

        // A slab: as wide as the table (x 40..471 of 512, scaled) and thin.
        Assert.InRange(mesh.BoundsMax.X - mesh.BoundsMin.X, 100 * 0.7, 110 * 0.7);
        Assert.InRange(mesh.BoundsMax.Y - mesh.BoundsMin.Y, 1 * 0.7, 4 * 0.7);
    }

    [Fact]
    public void BadComponentOptionsAreRejectedWithTheirName()
    {
        using var folder = new TempFolder();
        string phantom = Phantom(folder);
        (int code, _, string stderr) = CliRunner.Run("mesh", phantom, "-o", folder.File("m.stl"), "--keep", "most");
        Assert.Equal(2, code);
        Assert.Contains("--keep", stderr, StringComparison.Ordinal);
        (code, _, stderr) = CliRunner.Run("mesh", phantom, "-o", folder.File("m.stl"), "--seed", "1,2");
        Assert.Equal(2, code);
        Assert.Contains("--seed", stderr, StringComparison.Ordinal);
        (code, _, stderr) = CliRunner.Run("mesh", phantom, "-o", folder.File("m.stl"), "--close", "-1");
        Assert.Equal(2, code);
        Assert.Contains("--close", stderr, StringComparison.Ordinal);

        // A seed in air names the point.
        (code, _, stderr) = CliRunner.Run("mesh", phantom, "-o", folder.File("m.stl"), "--seed", "0.5,0.5,0.5");
        Assert.Equal(2, code);
        Assert.Contains("0.5", stderr, StringComparison.Ordinal);
    }

    private static string Phantom(TempFolder folder, int slices = 8)
    {
        // With 24 slices the marrow cavity lies wholly inside; with fewer it reaches the volume's top and bottom.
        string path = folder.File("ct.nrrd");
        Assert.Equal(0, CliRunner.Run("phantom", "-o", path, "--size", slices.ToString(System.Globalization.CultureInfo.InvariantCulture), "--matrix", "128").Code);
        return path;
    }
}
