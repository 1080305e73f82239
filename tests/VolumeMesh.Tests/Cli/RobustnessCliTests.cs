using System.Globalization;
using System.Numerics;
using System.Text.Json;
using VolumeMesh.Dicom;
using VolumeMesh.Geometry;
using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Tests.Planning;
using VolumeMesh.Tests.Support;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Cli;

/// <summary>Issue 11, the rest: pixel layouts the loader cannot turn into HU, damage found only when a slice is decoded,
/// <c>--require-watertight</c>, batch formats, and mesh input of every format for the fit commands. Every run goes through
/// the tool's entry point with its arguments, exit code and printed lines.</summary>
public sealed class RobustnessCliTests
{
    private static string Sample => Path.Combine(RepoPaths.Root!, "samples", "ge-head-tilt-jpegll");

    [Fact]
    public void FloatAndDoubleFloatPixelDataAreRefusedNamingThePixelElement()
    {
        using var folder = new TempFolder();

        // The control: the same tiny slices with integer Pixel Data mesh (so the refusal below is about the pixels).
        string integer = folder.File("int16");
        string floats = folder.File("float32");
        Directory.CreateDirectory(integer);
        Directory.CreateDirectory(floats);
        for (int k = 0; k < 4; k++)
        {
            TinyDicom.WriteSlice(Path.Combine(integer, $"{k}.dcm"), TinyDicom.Pixels.Int16, 12, k, 1000);
            TinyDicom.WriteSlice(Path.Combine(floats, $"{k}.dcm"), TinyDicom.Pixels.Float32, 12, k, 1000.5);
        }

        (int code, _, string stderr) = CliRunner.Run("mesh", integer, "-o", folder.File("int16.stl"), "--threshold", "500:2000", "--device", "cpu");
        Assert.True(code == 0, stderr);
        MeshReport control = MeshReport.Compute(StlReader.Read(folder.File("int16.stl")).Mesh);
        Assert.True(control.IsWatertight, control.ToString());
        File.Delete(folder.File("int16.stl"));

        AssertFails(3, folder, "Float Pixel Data (7FE0,0008)", "mesh", floats, "-o", folder.File("out.stl"), "--device", "cpu");
        AssertFails(3, folder, "Float Pixel Data (7FE0,0008)", "convert", floats, "-o", folder.File("out.nrrd"));
        AssertFails(3, folder, "Float Pixel Data (7FE0,0008)", "info", floats);

        string single = folder.File("map.dcm");
        TinyDicom.WriteSlice(single, TinyDicom.Pixels.Float64, 12, 0, 0.25);
        AssertFails(3, folder, "Double Float Pixel Data (7FE0,0009)", "mesh", single, "-o", folder.File("out.stl"), "--device", "cpu");
    }

    [Fact]
    public void AColourSliceIsRefusedNamingItsPhotometricInterpretation()
    {
        // Generated here, so the refusal is tested without the shared data (ExitCodeTests has the shared RGB RLE file).
        using var folder = new TempFolder();
        string rgb = folder.File("rgb");
        Directory.CreateDirectory(rgb);
        for (int k = 0; k < 3; k++)
        {
            TinyDicom.WriteSlice(Path.Combine(rgb, $"{k}.dcm"), TinyDicom.Pixels.Rgb8, 12, k, 200);
        }

        AssertFails(3, folder, "photometric interpretation RGB", "mesh", rgb, "-o", folder.File("out.stl"), "--device", "cpu");
    }

    [Fact]
    public void DamageFoundOnlyWhenDecodingIsExit3NamingTheFileOrASkippedSliceWithSkipBadSlices()
    {
        using var folder = new TempFolder();
        string series = CopySample(folder, "series");

        // Slice 08 keeps an intact DICOM header and an intact encapsulation; its JPEG stream loses its SOI marker, which
        // only the decoder sees (the scan reads headers, and 'info' calls the series sound).
        string damaged = Path.Combine(series, "08.dcm");
        byte[] bytes = File.ReadAllBytes(damaged);
        int soi = JpegStart(bytes);
        bytes[soi] = 0;
        bytes[soi + 1] = 0;
        File.WriteAllBytes(damaged, bytes);

        string output = folder.File("skull.stl");
        AssertFails(3, folder, damaged, "mesh", series, "-o", output, "--device", "cpu");
        (int code, _, string stderr) = CliRunner.Run("mesh", series, "-o", output, "--device", "cpu");
        Assert.Contains("--skip-bad-slices", LastLine(stderr), StringComparison.Ordinal);
        Assert.Contains("JPEG", LastLine(stderr), StringComparison.Ordinal);
        AssertFails(3, folder, damaged, "convert", series, "-o", folder.File("ct.nrrd"));

        (code, string stdout, stderr) = CliRunner.Run("mesh", series, "-o", output, "--device", "cpu", "--skip-bad-slices", "--json");
        Assert.True(code == 0, stderr);
        Assert.Contains("warning: skipped bad slice " + damaged, stderr, StringComparison.Ordinal);
        Assert.Contains("warning: Missing slice(s): a gap of", stderr, StringComparison.Ordinal); // the gap is reported
        Assert.Contains("512×512×27", stderr, StringComparison.Ordinal); // 28 slices less the damaged one
        MeshReport report = MeshReport.Compute(StlReader.Read(output).Mesh);
        Assert.True(report.IsWatertight, report.ToString());
        using JsonDocument json = JsonDocument.Parse(stdout);
        Assert.Equal(report.Triangles, json.RootElement.GetProperty("triangles").GetInt32());
    }

    [Fact]
    public void ACompressedSliceCutShortIsFoundWhenLoadingAndSkippedWithSkipBadSlices()
    {
        // An interrupted copy of an encapsulated (JPEG) slice: its Pixel Data has no length to check while scanning, so
        // the cut is found when the file is read whole. The committed sample makes this run in a fresh clone.
        using var folder = new TempFolder();
        string series = CopySample(folder, "series");
        string cut = Path.Combine(series, "10.dcm");
        byte[] bytes = File.ReadAllBytes(cut);
        File.WriteAllBytes(cut, bytes[..((JpegStart(bytes) + bytes.Length) / 2)]);

        string output = folder.File("skull.stl");
        AssertFails(3, folder, cut, "mesh", series, "-o", output, "--device", "cpu");
        (int code, _, string stderr) = CliRunner.Run("mesh", series, "-o", output, "--device", "cpu", "--skip-bad-slices");
        Assert.True(code == 0, stderr);
        Assert.Contains("warning: skipped bad slice " + cut, stderr, StringComparison.Ordinal);
        Assert.Contains("512×512×27", stderr, StringComparison.Ordinal);
        Assert.True(MeshReport.Compute(StlReader.Read(output).Mesh).IsWatertight);
    }

    [Fact]
    public void JsonOfADicomRunNamesTheSeriesItMeshed()
    {
        using var folder = new TempFolder();
        (int code, string stdout, string stderr) = CliRunner.Run("mesh", Sample, "-o", folder.File("m.stl"), "--device", "cpu", "--json", "--quiet");
        Assert.True(code == 0, stderr);
        using JsonDocument json = JsonDocument.Parse(stdout);

        // The UID as the file's own header states it, read without the scanner.
        string? uid = DicomFile.ReadHeader(Path.Combine(Sample, "01.dcm")).Dataset.GetString(DicomTags.SeriesInstanceUid);
        Assert.False(string.IsNullOrEmpty(uid));
        Assert.Equal(uid, json.RootElement.GetProperty("seriesInstanceUid").GetString());
        Assert.Equal(Sample, json.RootElement.GetProperty("input").GetString());
        foreach (JsonElement stage in json.RootElement.GetProperty("stages").EnumerateArray())
        {
            Assert.False(string.IsNullOrEmpty(stage.GetProperty("device").GetString()));
            Assert.True(stage.GetProperty("seconds").GetDouble() >= 0);
        }
    }

    [Fact]
    public void RequireWatertightPassesAClosedMeshAndRefusesAnOpenInputWithCode6WritingNothing()
    {
        using var folder = new TempFolder();
        string ct = folder.File("ct.nrrd");
        NrrdWriter.Write(Phantoms.CtPhantom(32, 12, 1), ct);

        // From a volume the product makes closed meshes only: marching cubes caps regions touching the volume's border
        // and --crop caps the cut, so the open case cannot be reached through 'mesh'; the closed case exits 0.
        (int code, _, string stderr) = CliRunner.Run("mesh", ct, "-o", folder.File("closed.stl"), "--device", "cpu", "--require-watertight");
        Assert.True(code == 0, stderr);
        Assert.True(MeshReport.Compute(StlReader.Read(folder.File("closed.stl")).Mesh).IsWatertight);

        // The route that meets open meshes takes mesh input: 'combine'. An octahedron without one face is open.
        Mesh closed = TestMeshes.Octahedron(new Vector3(10, 20, 30), 5);
        int[] triangles = new int[closed.TriangleCount * 3 - 3];
        closed.Indices.AsSpan(3).CopyTo(triangles);
        var open = new Mesh((Vector3[])closed.Vertices.Clone(), triangles);
        Assert.Equal(3, MeshReport.Compute(open).BoundaryEdges);
        StlWriter.Write(closed, folder.File("octahedron.stl"));
        StlWriter.Write(open, folder.File("open.stl"));

        AssertFails(6, folder, "part 'open' is not closed and manifold", "combine", folder.File("octahedron.stl"), folder.File("open.stl"), "-o", folder.File("model.3mf"), "--require-watertight");
        (code, _, stderr) = CliRunner.Run("combine", folder.File("octahedron.stl"), "-o", folder.File("model.3mf"), "--require-watertight");
        Assert.True(code == 0, stderr);
        Assert.True(MeshReport.Compute(MeshFileReader.Read(folder.File("model.3mf")).Parts[0].Mesh).IsWatertight);

        // Without the option the open model is written, and 'validate' says what is wrong with exit code 1.
        (code, _, stderr) = CliRunner.Run("combine", folder.File("open.stl"), "-o", folder.File("open.ply"));
        Assert.True(code == 0, stderr);
        (code, string stdout, _) = CliRunner.Run("validate", folder.File("open.ply"));
        Assert.Equal(1, code);
        Assert.Contains("NOT watertight", stdout, StringComparison.Ordinal);

        // Routes whose parts are written by the planning or label pipelines refuse the option rather than ignore it.
        AssertFails(2, folder, "--require-watertight applies to one mesh or a batch", "mesh", ct, "-o", folder.File("p.3mf"), "--require-watertight", "--crop=-50,-50,-50:50,50,50");
    }

    [Fact]
    public void ABatchWritesEveryMeshFormatByFormatAndEachHoldsTheSameMeshAsTheStlBatch()
    {
        using var folder = new TempFolder();
        string studies = folder.File("studies");
        Directory.CreateDirectory(studies);
        NrrdWriter.Write(Phantoms.CtPhantom(32, 12, 1), Path.Combine(studies, "ann.nrrd"));
        NrrdWriter.Write(Phantoms.CtPhantom(28, 10, 2), Path.Combine(studies, "ben.nrrd"));

        var reference = new Dictionary<string, MeshReport>(StringComparer.Ordinal);
        foreach (string format in new[] { "stl", "3mf", "glb", "gltf", "ply", "obj" })
        {
            string output = folder.File("out-" + format);
            (int code, string stdout, string stderr) = CliRunner.Run(
                "mesh", "--batch", studies, "-o", output, "--format", format, "--device", "cpu", "--json", "--quiet");
            Assert.True(code == 0, stderr);
            using JsonDocument summary = JsonDocument.Parse(stdout);
            foreach (JsonElement row in summary.RootElement.GetProperty("studies").EnumerateArray())
            {
                string name = row.GetProperty("name").GetString()!;
                string path = Path.Combine(output, name + "." + format);
                Assert.Equal(path, row.GetProperty("output").GetString());
                MeshFile file = MeshFileReader.Read(path);
                Assert.Single(file.Parts);
                MeshReport report = MeshReport.Compute(file.Parts[0].Mesh);
                Assert.True(report.IsWatertight, $"{path}: {report}");
                if (format == "stl")
                {
                    reference[name] = report;
                    continue;
                }

                MeshReport stl = reference[name];
                Assert.Equal(stl.Triangles, report.Triangles);
                Assert.Equal(stl.VolumeMm3, report.VolumeMm3, stl.VolumeMm3 * 1e-5);
                Assert.Equal(stl.BoundsMin.X, report.BoundsMin.X, 1e-3);
                Assert.Equal(stl.BoundsMax.Z, report.BoundsMax.Z, 1e-3);
            }
        }

        Assert.Equal(2, reference.Count);
        AssertFails(2, folder, "--format applies to a batch", "mesh", Path.Combine(studies, "ann.nrrd"), "-o", folder.File("x.stl"), "--format", "ply");
        (int bad, _, string error) = CliRunner.Run("mesh", "--batch", studies, "-o", folder.File("y"), "--format", "vtk");
        Assert.Equal(2, bad);
        Assert.Contains("vtk", error, StringComparison.Ordinal);
    }

    [Fact]
    public void FitSphereReadsEveryMeshFormatAndNeedsPartWhenAFileHoldsSeveral()
    {
        using var folder = new TempFolder();
        var centre = new Vector3D(-20.5, 33.25, 110.75);
        VolumeGeometry grid = PlanningFields.ObliqueGrid(80, 0.8, centre);
        Mesh head = MarchingCubes.FromIso(PlanningFields.Sample(grid, p => 24 - (p - centre).Length), 0);
        Mesh shell = MarchingCubes.FromIso(PlanningFields.Sample(grid, p => 26 - (p - centre).Length), 0);
        string seed = string.Create(CultureInfo.InvariantCulture, $"{centre.X + 1},{centre.Y - 1},{centre.Z + 0.5}");

        // One part: every format gives the same fit.
        foreach (string extension in new[] { ".stl", ".3mf", ".glb", ".gltf", ".ply", ".obj" })
        {
            string path = folder.File("head" + extension);
            MeshFileWriter.Write([new MeshPart("head", head)], path);
            (Vector3D fitted, double radius) = FitSphere(path, seed);
            Assert.True((fitted - centre).Length < 0.08, $"{extension}: centre {fitted}");
            Assert.Equal(24, radius, 0.12);
        }

        // Two concentric parts (a head in its socket): merging them would mix two radii, so a part must be named.
        string model = folder.File("hip.3mf");
        MeshFileWriter.Write([new MeshPart("head", head), new MeshPart("socket", shell)], model);
        AssertFails(2, folder, "holds 2 parts ('head', 'socket'); choose one with --part NAME", "fit-sphere", model, "--seed", seed, "--radius", "27");
        Assert.Equal(24, FitSphere(model, seed, "head").Radius, 0.12);
        Assert.Equal(26, FitSphere(model, seed, "Socket").Radius, 0.12);
        AssertFails(2, folder, "--part 'femur'", "fit-cup", model, "--seed", seed, "--radius", "27", "--part", "femur");

        AssertFails(3, folder, "does not exist", "fit-sphere", folder.File("missing.ply"), "--seed", seed, "--radius", "27");
        File.WriteAllText(folder.File("head.vtk"), "# vtk");
        AssertFails(3, folder, "unknown mesh format '.vtk'", "fit-cup", folder.File("head.vtk"), "--seed", seed, "--radius", "27");
    }

    private static (Vector3D Centre, double Radius) FitSphere(string path, string seed, string? part = null)
    {
        string[] args = part is null
            ? ["fit-sphere", path, "--seed", seed, "--radius", "27", "--json"]
            : ["fit-sphere", path, "--seed", seed, "--radius", "27", "--json", "--part", part];
        (int code, string stdout, string stderr) = CliRunner.Run(args);
        Assert.True(code == 0, $"{path}: {stderr}");
        using JsonDocument json = JsonDocument.Parse(stdout);
        JsonElement c = json.RootElement.GetProperty("center");
        return (new Vector3D(c[0].GetDouble(), c[1].GetDouble(), c[2].GetDouble()), json.RootElement.GetProperty("radiusMm").GetDouble());
    }

    private static string CopySample(TempFolder folder, string name)
    {
        string series = folder.File(name);
        Directory.CreateDirectory(series);
        foreach (string file in Directory.GetFiles(Sample, "*.dcm"))
        {
            File.Copy(file, Path.Combine(series, Path.GetFileName(file)));
        }

        return series;
    }

    /// <summary>The offset of the JPEG stream's SOI marker (FF D8) in the first fragment after the Pixel Data tag.</summary>
    private static int JpegStart(byte[] file)
    {
        int tag = file.AsSpan().LastIndexOf(new byte[] { 0xE0, 0x7F, 0x10, 0x00 });
        Assert.True(tag > 0, "no Pixel Data (7FE0,0010) tag");
        int soi = file.AsSpan(tag).IndexOf(new byte[] { 0xFF, 0xD8, 0xFF });
        Assert.True(soi > 0, "no JPEG SOI after the Pixel Data tag");
        return tag + soi;
    }

    private static string LastLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].TrimEnd('\r');

    /// <summary>The run fails with <paramref name="expected"/>, prints exactly one error line containing
    /// <paramref name="text"/> (no stack trace), and leaves the folder as it was (no partial output).</summary>
    private static void AssertFails(int expected, TempFolder folder, string text, params string[] args)
    {
        string[] before = Directory.GetFileSystemEntries(folder.Path, "*", SearchOption.AllDirectories);
        Array.Sort(before, StringComparer.Ordinal);
        (int code, _, string stderr) = CliRunner.Run(args);
        Assert.True(code == expected, $"exit code {code}, expected {expected}: {stderr}");
        string[] errors = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("volumemesh:", StringComparison.Ordinal)).ToArray();
        Assert.True(errors.Length == 1, stderr);
        Assert.StartsWith("volumemesh: error: ", errors[0], StringComparison.Ordinal);
        Assert.Contains(text, errors[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        string[] after = Directory.GetFileSystemEntries(folder.Path, "*", SearchOption.AllDirectories);
        Array.Sort(after, StringComparer.Ordinal);
        Assert.Equal(before, after);
    }
}
