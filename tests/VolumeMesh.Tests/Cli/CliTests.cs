using System.Numerics;
using System.Text.Json;
using VolumeMesh.Geometry;
using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Tests.Support;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Cli;

public sealed class CliTests
{
    [Fact]
    public void PhantomWritesTheCtPhantomAsReadableNrrd()
    {
        using var folder = new TempFolder();
        string path = folder.File(Path.Combine("new-folder", "ct.nrrd"));
        (int code, _, string stderr) = CliRunner.Run("phantom", "-o", path, "--size", "6", "--matrix", "32", "--seed", "3");
        Assert.True(code == 0, stderr);
        Assert.Contains("Wrote", stderr, StringComparison.Ordinal);

        NrrdVolume read = NrrdReader.Read(path);
        Assert.Equal(NrrdScalarType.Int16, read.ScalarType);
        Assert.Equal(Phantoms.CtPhantom(32, 6, 3).Voxels, read.AsInt16().Voxels);
        Assert.Equal(0.7, read.Geometry.SpacingX, 12);
    }

    [Theory]
    [InlineData("gyroid")]
    [InlineData("sphere")]
    [InlineData("noise")]
    public void PhantomWritesTheFloatKinds(string kind)
    {
        using var folder = new TempFolder();
        string path = folder.File(kind + ".nhdr");
        (int code, _, string stderr) = CliRunner.Run("phantom", "-o", path, "--kind", kind, "--size", "12", "--raw");
        Assert.True(code == 0, stderr);
        NrrdVolume read = NrrdReader.Read(path);
        Assert.Equal(NrrdScalarType.Float, read.ScalarType);
        Volume<float> expected = kind switch
        {
            "gyroid" => Phantoms.Gyroid(12),
            "sphere" => Phantoms.SphereDistanceField(12, 3.6, Phantoms.MirroredRotatedGeometry(12)),
            _ => Phantoms.Noise(12, 1),
        };
        Assert.Equal(expected.Voxels, read.AsFloat().Voxels);
        Assert.Equal(expected.Geometry.IsRightHanded, read.Geometry.IsRightHanded);
        Assert.True(File.Exists(folder.File(kind + ".raw")));
    }

    [Fact]
    public void ValidateReportsAWatertightMesh()
    {
        using var folder = new TempFolder();
        string path = folder.File("octa.stl");
        StlWriter.Write(TestMeshes.Octahedron(new Vector3(5, 6, 7), 3), path);

        (int code, string stdout, _) = CliRunner.Run("validate", path);
        Assert.Equal(0, code);
        Assert.Contains("8 triangles", stdout, StringComparison.Ordinal);
        Assert.Contains("space LPS", stdout, StringComparison.Ordinal);
        Assert.EndsWith("watertight", stdout.TrimEnd(), StringComparison.Ordinal);

        (code, stdout, _) = CliRunner.Run("validate", path, "--json");
        Assert.Equal(0, code);
        using JsonDocument json = JsonDocument.Parse(stdout);
        Assert.Equal(8, json.RootElement.GetProperty("triangles").GetInt32());
        Assert.True(json.RootElement.GetProperty("isWatertight").GetBoolean());
        Assert.Equal(2, json.RootElement.GetProperty("boundsMin")[0].GetDouble(), 6);
    }

    [Fact]
    public void ValidateConvertsRasFilesToLps()
    {
        using var folder = new TempFolder();
        string path = folder.File("ras.stl");
        StlWriter.Write(TestMeshes.Octahedron(new Vector3(5, 6, 7), 3), path, new StlWriteOptions { Space = CoordinateSpace.Ras });
        (int code, string stdout, _) = CliRunner.Run("validate", path, "--json");
        Assert.Equal(0, code);
        using JsonDocument json = JsonDocument.Parse(stdout);
        Assert.Equal(2, json.RootElement.GetProperty("boundsMin")[0].GetDouble(), 6);
        Assert.Equal(3, json.RootElement.GetProperty("boundsMin")[1].GetDouble(), 6);
    }

    [Fact]
    public void ValidateFailsAnOpenMeshWithExitCode1()
    {
        using var folder = new TempFolder();
        Mesh closed = TestMeshes.Octahedron(Vector3.Zero, 1);
        string path = folder.File("open.stl");
        StlWriter.Write(new Mesh(closed.Vertices, closed.Indices[..^3]), path);
        (int code, string stdout, _) = CliRunner.Run("validate", path);
        Assert.Equal(1, code);
        Assert.Contains("boundary 3", stdout, StringComparison.Ordinal);
        Assert.Contains("NOT watertight", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateRejectsBadInputWithExitCode3()
    {
        using var folder = new TempFolder();
        string path = folder.File("cut.stl");
        StlWriter.Write(TestMeshes.Octahedron(Vector3.Zero, 1), path);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^10]);
        (int code, string stdout, string stderr) = CliRunner.Run("validate", path);
        Assert.Equal(3, code);
        Assert.Empty(stdout);
        AssertOneLineError(stderr, "cut.stl");
        Assert.Contains("truncated", stderr, StringComparison.Ordinal);

        (code, _, stderr) = CliRunner.Run("validate", folder.File("missing.stl"));
        Assert.Equal(3, code);
        AssertOneLineError(stderr, "missing.stl");
    }

    [Fact]
    public void HelpListsTheCommandsAndNoCommandIsAnError()
    {
        (int code, string stdout, _) = CliRunner.Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("volumemesh [command] [options]", stdout, StringComparison.Ordinal);
        foreach (string command in new[] { "mesh <input>", "validate <mesh>", "phantom" })
        {
            Assert.Contains(command, stdout, StringComparison.Ordinal);
        }

        (code, stdout, _) = CliRunner.Run("mesh", "--help");
        Assert.Equal(0, code);
        foreach (string option in new[] { "--threshold", "--preset", "--iso", "--ascii", "--space", "--report", "--json", "--threads", "-o, --output" })
        {
            Assert.Contains(option, stdout, StringComparison.Ordinal);
        }

        (code, _, string stderr) = CliRunner.Run();
        Assert.Equal(2, code);
        Assert.Contains("volumemesh: error:", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "frobnicate" }, "frobnicate")]
    [InlineData(new[] { "mesh", "in.nrrd" }, "--output")]
    [InlineData(new[] { "mesh", "in.nrrd", "-o", "x.stl", "--space", "xyz" }, "xyz")]
    [InlineData(new[] { "mesh", "in.nrrd", "-o", "x.stl", "--iso", "abc" }, "abc")]
    [InlineData(new[] { "phantom", "-o", "x.nrrd", "--kind", "cube" }, "cube")]
    public void ParseErrorsGiveExitCode2(string[] args, string expected)
    {
        (int code, string stdout, string stderr) = CliRunner.Run(args);
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--threshold", "300", "LO:HI")]
    [InlineData("--threshold", "300:200", "LO:HI")]
    [InlineData("--preset", "bones", "presets: bone, cortical-bone")]
    [InlineData("--threads", "0", "--threads")]
    public void BadMeshOptionsGiveExitCode2(string option, string value, string expected)
    {
        using var folder = new TempFolder();
        string input = WritePhantom(folder);
        (int code, _, string stderr) = CliRunner.Run("mesh", input, "-o", folder.File("out.stl"), option, value);
        Assert.Equal(2, code);
        AssertOneLineError(stderr, expected);
        Assert.False(File.Exists(folder.File("out.stl")));
    }

    [Fact]
    public void MeshRejectsConflictingInsideOptionsUnknownInputAndOutput()
    {
        using var folder = new TempFolder();
        string input = WritePhantom(folder);
        (int code, _, string stderr) = CliRunner.Run("mesh", input, "-o", folder.File("out.stl"), "--preset", "bone", "--iso", "300");
        Assert.Equal(2, code);
        AssertOneLineError(stderr, "only one of --threshold, --preset and --iso");

        (code, _, stderr) = CliRunner.Run("mesh", folder.File("absent.nrrd"), "-o", folder.File("out.stl"));
        Assert.Equal(3, code);
        AssertOneLineError(stderr, "absent.nrrd");

        // Longer than a DICOM preamble and without the DICM marker, so no input kind claims it.
        File.WriteAllText(folder.File("scan.vtk"), "# vtk DataFile Version 3.0\n" + new string('#', 200) + "\n");
        (code, _, stderr) = CliRunner.Run("mesh", folder.File("scan.vtk"), "-o", folder.File("out.stl"));
        Assert.Equal(3, code);
        AssertOneLineError(stderr, "unknown volume format '.vtk'");

        (code, _, stderr) = CliRunner.Run("mesh", input, "-o", folder.File("out.vtk"));
        Assert.Equal(2, code);
        AssertOneLineError(stderr, "supported: .stl .3mf .glb .gltf .ply .obj");

        File.WriteAllText(folder.File("bad.nrrd"), "NRRD0004\ntype: short\ndimension: 3\nencoding: raw\n\n");
        (code, _, stderr) = CliRunner.Run("mesh", folder.File("bad.nrrd"), "-o", folder.File("out.stl"));
        Assert.Equal(3, code);
        AssertOneLineError(stderr, "'sizes'");
    }

    [Fact]
    public void PhantomMeshWritesAWatertightModelAndReport()
    {
        using var folder = new TempFolder();
        string phantom = folder.File(Path.Combine("out", "phantom.nrrd"));
        string model = folder.File(Path.Combine("out", "model.stl"));
        string report = folder.File(Path.Combine("out", "report.json"));
        Assert.Equal(0, CliRunner.Run("phantom", "-o", phantom, "--size", "24", "--matrix", "128").Code);

        (int code, string stdout, string stderr) = CliRunner.Run("mesh", phantom, "-o", model, "--preset", "bone", "--report", report);
        Assert.True(code == 0, stderr);
        Assert.Empty(stdout);
        Assert.Contains("Watertight", stderr, StringComparison.Ordinal);

        StlFile stl = StlReader.Read(model);
        Assert.Equal(CoordinateSpace.Lps, stl.Space);
        MeshReport fromFile = MeshReport.Compute(stl.Mesh);
        Assert.True(fromFile.IsWatertight);
        MeshReport written = MeshReportJson.Deserialize(File.ReadAllText(report));
        Assert.Equal(fromFile.Triangles, written.Triangles);
        Assert.Equal(fromFile.Vertices, written.Vertices);
        Assert.Equal(fromFile.Shells, written.Shells);
        Assert.Equal(3, written.Shells); // bones joined by the bridge, the wall of the marrow cavity inside, and the table

        Assert.Equal(0, CliRunner.Run("validate", model).Code);
    }

    [Fact]
    public void MeshOptionsChangeTheOutputAsDocumented()
    {
        using var folder = new TempFolder();
        string input = WritePhantom(folder);
        string lps = folder.File("lps.stl"), ras = folder.File("ras.stl"), ascii = folder.File("ascii.stl"), one = folder.File("one.stl");
        (int code, string stdout, _) = CliRunner.Run("mesh", input, "-o", lps, "--threshold", "226:3071", "--json");
        Assert.Equal(0, code);
        using JsonDocument json = JsonDocument.Parse(stdout);
        Assert.True(json.RootElement.GetProperty("isWatertight").GetBoolean());

        Assert.Equal(0, CliRunner.Run("mesh", input, "-o", ras, "--space", "ras").Code);
        Assert.Equal(0, CliRunner.Run("mesh", input, "-o", ascii, "--ascii").Code);
        Assert.Equal(0, CliRunner.Run("mesh", input, "-o", one, "--threads", "1").Code);

        Mesh a = StlReader.Read(lps).Mesh;
        StlFile r = StlReader.Read(ras);
        Assert.Equal(CoordinateSpace.Ras, r.Space);
        Assert.Equal(a.Vertices, r.ToLps().Vertices);
        Assert.Equal(StlFormat.Ascii, StlReader.Read(ascii).Format);
        Assert.Equal(a.Vertices, StlReader.Read(ascii).Mesh.Vertices);
        Assert.Equal(File.ReadAllBytes(lps), File.ReadAllBytes(one));
        Assert.Equal(json.RootElement.GetProperty("triangles").GetInt32(), a.TriangleCount);
    }

    [Fact]
    public void EmptyRangeIsNothingToMeshAndWritesNothing()
    {
        using var folder = new TempFolder();
        string input = WritePhantom(folder);
        (int code, _, string stderr) = CliRunner.Run("mesh", input, "-o", folder.File("empty.stl"), "--threshold", "5000:6000", "--report", folder.File("r.json"));
        Assert.Equal(4, code);
        AssertOneLineError(stderr, "no voxel of");
        Assert.False(File.Exists(folder.File("empty.stl")));
        Assert.False(File.Exists(folder.File("r.json")));
    }

    private static string WritePhantom(TempFolder folder)
    {
        string path = folder.File("in.nrrd");
        if (!File.Exists(path))
        {
            NrrdWriter.Write(Phantoms.CtPhantom(32, 12, 1), path);
        }

        return path;
    }

    private static void AssertOneLineError(string stderr, string expected)
    {
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string last = lines[^1];
        Assert.StartsWith("volumemesh: error: ", last, StringComparison.Ordinal);
        Assert.Contains(expected, last, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }
}
