using System.Globalization;
using System.Text.Json;
using VolumeMesh.Geometry;
using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Planning;
using VolumeMesh.Tests.Planning;
using VolumeMesh.Tests.Support;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Cli;

/// <summary>The planning options of <c>mesh</c> and the <c>fit-sphere</c> / <c>fit-cup</c> commands, end to end.</summary>
public sealed class PlanningCliTests
{
    private static string Sample => Path.Combine(RepoPaths.Root!, "samples", "ge-head-tilt-jpegll");

    [Fact]
    public void SeparateTrajectoryAndLandmarkWriteOneClosedFilePerPartAndTheReport()
    {
        using var folder = new TempFolder();
        string ct = folder.File("ct.nrrd");

        // 128² phantom: bone 1 (cortex, spongy, marrow) at x 40.25 mm joined by a bridge to bone 2 at x 60.4 mm, y 43.75, z 19.5.
        NrrdWriter.Write(Phantoms.CtPhantom(128, 40, 3), ct);
        string output = folder.File("plan.stl");
        string report = folder.File("plan.json");
        var (code, stdout, stderr) = CliRunner.Run(
            "mesh", ct, "-o", output, "--fill-holes", "--separate", "31.25,43.75,19.5; 60.375,43.75,19.5",
            "--trajectory", "40.25,0,0:40.25,43.75,19.5:3", "--landmark", "centre:40.25,43.75,19.5", "--report", report, "--json");

        Assert.True(code == 0, stderr);
        string[] names = ["bone-1", "bone-2", "trajectory", "landmark-centre"];
        foreach (string name in names)
        {
            string file = MeshFileWriter.PartPath(output, name);
            Assert.True(File.Exists(file), $"{file} missing; {stderr}");
            MeshReport part = MeshReport.Compute(StlReader.Read(file).ToLps());
            Assert.True(part.IsWatertight, $"{name}: {part}");
            Assert.True(part.VolumeMm3 > 0, name);
        }

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(report));
        Assert.Equal(names, json.RootElement.GetProperty("parts").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        JsonElement trajectory = json.RootElement.GetProperty("trajectories")[0];
        double expectedAxial = Math.Asin(19.5 / Math.Sqrt((43.75 * 43.75) + (19.5 * 19.5))) * 180 / Math.PI;
        Assert.Equal(expectedAxial, trajectory.GetProperty("angleToAxialPlaneDegrees").GetDouble(), 6);
        Assert.Equal(0, trajectory.GetProperty("angleToSagittalPlaneDegrees").GetDouble(), 9);
        Assert.Equal(3, trajectory.GetProperty("diameterMm").GetDouble());
        using JsonDocument printed = JsonDocument.Parse(stdout);
        Assert.Equal(4, printed.RootElement.GetProperty("parts").GetArrayLength());
    }

    [Fact]
    public void FitSphereAndFitCupReadAMeshFileAndPrintJson()
    {
        using var folder = new TempFolder();
        var centre = new Vector3D(-20.5, 33.25, 110.75);
        var axis = new Vector3D(0.6, -0.2, -0.7746).Normalized();
        var geometry = PlanningFields.ObliqueGrid(80, 0.8, centre);
        Mesh cup = MarchingCubes.FromIso(PlanningFields.Sample(geometry, p =>
        {
            Vector3D d = p - centre;
            return Math.Min(Math.Min(27 - d.Length, d.Length - 24), -Vector3D.Dot(d, axis));
        }), 0);
        string path = folder.File("cup.stl");
        StlWriter.Write(cup, path);
        string seed = string.Create(CultureInfo.InvariantCulture, $"{centre.X},{centre.Y},{centre.Z}");

        var (code, stdout, stderr) = CliRunner.Run("fit-cup", path, "--seed", seed, "--radius", "25.5", "--json");
        Assert.True(code == 0, stderr);
        using JsonDocument json = JsonDocument.Parse(stdout);
        (double inclination, double anteversion) = CupFit.RadiographicAngles(axis);
        Assert.Equal(inclination, json.RootElement.GetProperty("inclinationDegrees").GetDouble(), 0.5);
        Assert.Equal(anteversion, json.RootElement.GetProperty("anteversionDegrees").GetDouble(), 0.5);
        Assert.Equal(24, json.RootElement.GetProperty("sphere").GetProperty("radiusMm").GetDouble(), 0.12);

        (code, stdout, stderr) = CliRunner.Run("fit-sphere", path, "--seed", seed, "--radius", "25.5", "--json");
        Assert.True(code == 0, stderr);
        using JsonDocument sphere = JsonDocument.Parse(stdout);
        JsonElement c = sphere.RootElement.GetProperty("center");
        Assert.True((new Vector3D(c[0].GetDouble(), c[1].GetDouble(), c[2].GetDouble()) - centre).Length < 0.08);

        (code, _, stderr) = CliRunner.Run("fit-sphere", folder.File("missing.stl"), "--seed", seed, "--radius", "25");
        Assert.Equal(3, code); // an input that cannot be read, as for every command
        Assert.Contains("does not exist", stderr);
        (code, _, stderr) = CliRunner.Run("fit-cup", path, "--seed", "1,2", "--radius", "25");
        Assert.Equal(2, code);
        Assert.Contains("--seed", stderr);
    }

    [Fact]
    public void BadPlanningArgumentsAndAMissingImplantAreUsageErrors()
    {
        using var folder = new TempFolder();
        string ct = folder.File("ct.nrrd");
        NrrdWriter.Write(Phantoms.CtPhantom(64, 12, 1), ct);
        (string[] Args, string Message)[] cases =
        [
            (["--crop", "0,0,0:1,1"], "--crop"),
            (["--separate", "1,2"], "--separate"),
            (["--trajectory", "0,0,0:0,0,0"], "--trajectory"),
            (["--landmark", "nopoint"], "--landmark"),
            (["--implant-margin", "2"], "--implant"),
            (["--implant"], "No metal"),
            (["--separate", "500,500,500"], "Seed 1"),
        ];
        foreach ((string[] args, string message) in cases)
        {
            var (code, _, stderr) = CliRunner.Run(["mesh", ct, "-o", folder.File("x.stl"), .. args]);
            Assert.True(code == 2, $"{string.Join(' ', args)}: exit {code}, {stderr}");
            Assert.Contains(message, stderr);
        }
    }

    [SkippableFact]
    public void ACroppedRealSeriesIsOneClosedManifoldPartThatPrusaSlicerAcceptsWithoutRepair()
    {
        Skip.If(RepoPaths.Root is null, "repository root not found");
        string? slicer = FindOnPath("prusa-slicer");
        using var folder = new TempFolder();
        string output = folder.File("crop.stl");

        // The tilted, unevenly spaced head CT, cut to a box through the skull: the cuts must be capped.
        var (code, _, stderr) = CliRunner.Run("mesh", Sample, "-o", output, "--crop", "-60,-80,20:60,60,90", "--keep", "largest");

        Assert.True(code == 0, stderr);
        Assert.Equal([output], Directory.GetFiles(folder.Path, "*.stl"));
        MeshReport report = MeshReport.Compute(StlReader.Read(output).ToLps());
        Assert.True(report.IsWatertight, report.ToString());
        Assert.InRange(report.BoundsMin.X, -61, -59);
        Assert.InRange(report.BoundsMax.X, 59, 61);
        Assert.InRange(report.BoundsMin.Y, -81, -79);

        Skip.If(slicer is null, "prusa-slicer is not installed (Debian package prusa-slicer); the PrusaSlicer check is skipped.");
        (int exit, string info) = RepoPaths.Run(slicer!, "--info", output);
        Assert.True(exit == 0, info);
        Assert.Contains("manifold = yes", info);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"number_of_facets = {report.Triangles}"), info);
        foreach (string repair in new[] { "open_edges", "edges_fixed", "degenerate_facets", "facets_removed", "facets_added", "facets_reversed", "backwards_edges" })
        {
            foreach (string line in info.Split('\n').Where(l => l.StartsWith(repair, StringComparison.Ordinal)))
            {
                Assert.True(line.Trim().EndsWith("= 0", StringComparison.Ordinal), $"PrusaSlicer repaired the mesh: {line}");
            }
        }
    }

    private static string? FindOnPath(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            string candidate = Path.Combine(dir, name);
            if (dir.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
