using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Tests.Support;

namespace VolumeMesh.Tests.IO;

/// <summary>PrusaSlicer (Debian prusa-slicer), a slicer users print with, reads our 3MF: every part manifold, nothing repaired.</summary>
public sealed partial class PrusaSlicerTests
{
    [SkippableFact]
    public void PrusaSlicerAcceptsTheTwoPartsOfThePhilipsSkull()
    {
        string prusa = RequirePrusa();
        Skip.If(RepoPaths.Root is null, "The repository root is not found.");
        string philips = Path.GetFullPath(Path.Combine(RepoPaths.Root!, "..", "shared", "data", "dicom", "philips-phantom", "S21570", "S2030"));
        Skip.IfNot(Directory.Exists(philips), $"shared data absent: {philips}");
        using var folder = new TempFolder();

        // The pipeline's print-ready skull: the two largest bone components (skull and the second piece), cavities filled,
        // 10% of the triangles; each becomes a named, coloured part of one 3MF.
        string stl = folder.File("skull.stl");
        (int code, _, string stderr) = CliRunner.Run("mesh", philips, "-o", stl, "--keep", "2", "--fill-holes", "--decimate", "0.9");
        Assert.True(code == 0, stderr);
        List<Mesh> shells = MeshShells.Split(StlReader.Read(stl).Mesh);
        Assert.Equal(2, shells.Count);
        MeshPart[] parts = [new("skull", shells[0], PartColor.Bone), new("second component", shells[1], new PartColor(200, 90, 90))];
        string path = folder.File("skull.3mf");
        MeshFileWriter.Write(parts, path);

        AssertPrusaAccepts(prusa, path, parts);
    }

    [SkippableFact]
    public void PrusaSlicerAcceptsSeveralSmallParts()
    {
        string prusa = RequirePrusa();
        using var folder = new TempFolder();
        MeshPart[] parts =
        [
            new("sphere", MarchingCubes.FromIso(VolumeMesh.Volumes.Phantoms.SphereDistanceField(30, 10), 0)),
            new("implant", TestMeshes.Octahedron(new Vector3(40, 0, 20), 5), PartColor.Metal),
        ];
        string path = folder.File("parts.3mf");
        MeshFileWriter.Write(parts, path);

        AssertPrusaAccepts(prusa, path, parts);
    }

    [SkippableFact]
    public void OurReaderReadsPrusaSlicersOwn3mfWithItsBuildTransform()
    {
        string prusa = RequirePrusa();
        using var folder = new TempFolder();
        Mesh sphere = MarchingCubes.FromIso(VolumeMesh.Volumes.Phantoms.SphereDistanceField(30, 10), 0);
        string stl = folder.File("sphere.stl");
        MeshFileWriter.Write([new MeshPart("sphere", sphere)], stl);
        string exported = folder.File("exported.3mf");

        var (code, output) = RepoPaths.Run(prusa, "--export-3mf", "-o", exported, stl);
        Assert.True(code == 0, output);

        // PrusaSlicer stores the mesh about its own origin and places it on the bed with the build item's transform.
        MeshPart part = Assert.Single(MeshFileReader.Read(exported).Parts);
        MeshReport theirs = MeshReport.Compute(part.Mesh);
        MeshReport ours = MeshReport.Compute(sphere);
        Assert.True(theirs.IsWatertight);
        Assert.Equal(ours.Triangles, theirs.Triangles);
        Assert.Equal(ours.VolumeMm3, theirs.VolumeMm3, ours.VolumeMm3 * 1e-5);
        Assert.Equal(0, theirs.BoundsMin.Z, 1e-4);
        Assert.Equal(ours.BoundsMax.Z - ours.BoundsMin.Z, theirs.BoundsMax.Z, 1e-3);
    }

    private static void AssertPrusaAccepts(string prusa, string path, MeshPart[] parts)
    {
        var (code, output) = RepoPaths.Run(prusa, "--info", path);
        Assert.True(code == 0, output);

        // One block per object: "[file]" then key = value lines.
        string[] blocks = output.Split("[" + Path.GetFileName(path) + "]", StringSplitOptions.None)[1..];
        Assert.True(blocks.Length == parts.Length, output);
        for (int i = 0; i < parts.Length; i++)
        {
            MeshReport report = MeshReport.Compute(parts[i].Mesh);
            Assert.True(report.IsWatertight);
            Assert.Equal("yes", Value(blocks[i], "manifold"));
            Assert.Equal(report.Triangles.ToString(CultureInfo.InvariantCulture), Value(blocks[i], "number_of_facets"));
            Assert.Equal(report.VolumeMm3, double.Parse(Value(blocks[i], "volume"), CultureInfo.InvariantCulture), report.VolumeMm3 * 1e-5);

            // PrusaSlicer lists what it repaired (open edges, reversed facets, fixed edges, …) only when it repaired something.
            Assert.False(RepairLine().IsMatch(blocks[i]), blocks[i]);
        }
    }

    private static string Value(string block, string key)
    {
        Match match = Regex.Match(block, "^" + key + @"\s*=\s*(\S+)", RegexOptions.Multiline);
        Assert.True(match.Success, $"'{key}' is missing from:\n{block}");
        return match.Groups[1].Value;
    }

    private static string RequirePrusa()
    {
        const string prusa = "/usr/bin/prusa-slicer";
        Skip.IfNot(File.Exists(prusa), "PrusaSlicer is not installed (Debian: apt-get install prusa-slicer); .ci/run installs it.");
        return prusa;
    }

    [GeneratedRegex(@"^(open_edges|degenerate_facets|edges_fixed|facets_removed|facets_added|facets_reversed|backwards_edges)\s*=", RegexOptions.Multiline)]
    private static partial Regex RepairLine();
}
