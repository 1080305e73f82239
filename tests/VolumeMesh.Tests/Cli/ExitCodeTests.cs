using System.Diagnostics;
using System.Text.Json;
using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Tests.Support;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Cli;

/// <summary>Issue 11: every bad input gives its documented exit code and one error line, and leaves no output behind.</summary>
public sealed class ExitCodeTests
{
    private static string SharedDicom => Path.GetFullPath(Path.Combine(RepoPaths.Root!, "..", "shared", "data", "dicom"));

    [Fact]
    public void AMissingFolderAFolderWithoutDicomAndATextFileAreUnreadableInput()
    {
        using var folder = new TempFolder();
        AssertFails(3, folder, "absent", "mesh", folder.File("absent"), "-o", folder.File("out.stl"));

        Directory.CreateDirectory(folder.File("notes"));
        File.WriteAllText(folder.File("notes/readme.txt"), "not a scan");
        AssertFails(3, folder, "holds no DICOM image series", "mesh", folder.File("notes"), "-o", folder.File("out.stl"));

        File.WriteAllText(folder.File("scan.txt"), "not a scan");
        AssertFails(3, folder, "unknown volume format '.txt'", "mesh", folder.File("scan.txt"), "-o", folder.File("out.stl"));
        AssertFails(3, folder, "holds no DICOM image series", "info", folder.File("notes"));
    }

    [Fact]
    public void AnUnknownPresetIsAUsageErrorAndAnEmptyRangeIsNothingToMesh()
    {
        using var folder = new TempFolder();
        string input = folder.File("in.nrrd");
        NrrdWriter.Write(Phantoms.CtPhantom(32, 12, 1), input);
        AssertFails(2, folder, "--preset 'marble' is unknown", "mesh", input, "-o", folder.File("out.stl"), "--preset", "marble");
        AssertFails(4, folder, "the mesh is empty and nothing was written", "mesh", input, "-o", folder.File("out.stl"), "--threshold", "5000:6000");
    }

    [Fact]
    public void AnOutputThatIsAFolderOrInAReadOnlyFolderFailsBeforeTheWorkWithCode5()
    {
        using var folder = new TempFolder();
        string input = folder.File("in.nrrd");
        NrrdWriter.Write(Phantoms.CtPhantom(32, 12, 1), input);
        Directory.CreateDirectory(folder.File("out.stl"));
        var clock = Stopwatch.StartNew();
        (int code, _, string stderr) = CliRunner.Run("mesh", input, "-o", folder.File("out.stl"), "--device", "cpu");
        Assert.Equal(5, code);
        AssertOneLine(stderr, "it is a folder");
        Assert.DoesNotContain("Loaded", stderr, StringComparison.Ordinal); // refused before loading

        // A file where the output's folder should be: the folder cannot be created.
        File.WriteAllText(folder.File("plain"), "x");
        (code, _, stderr) = CliRunner.Run("mesh", input, "-o", Path.Combine(folder.File("plain"), "m.stl"), "--device", "cpu");
        Assert.Equal(5, code);
        AssertOneLine(stderr, "cannot write");
        Assert.DoesNotContain(".tmp", stderr, StringComparison.Ordinal);

        // The report's path is checked too: nothing is written when it cannot be.
        (code, _, stderr) = CliRunner.Run("mesh", input, "-o", folder.File("m.stl"), "--report", Path.Combine(folder.File("plain"), "r.json"), "--device", "cpu");
        Assert.Equal(5, code);
        Assert.False(File.Exists(folder.File("m.stl")));
    }

    [Fact]
    public void ValidateOnAnStlWithoutTrianglesIsNothingToMesh()
    {
        using var folder = new TempFolder();
        string path = folder.File("empty.stl");
        File.WriteAllBytes(path, new byte[84]); // an 80-byte header and a triangle count of 0
        AssertFails(4, folder, "holds no triangles", "validate", path);
    }

    [SkippableFact]
    public void AColourImageIsRefusedNamingItsPhotometricInterpretation()
    {
        string rgb = Path.Combine(SharedDicom, "single", "SC_rgb_rle.dcm");
        Skip.IfNot(File.Exists(rgb), $"shared data absent: {rgb}");
        using var folder = new TempFolder();
        AssertFails(3, folder, "photometric interpretation RGB", "mesh", rgb, "-o", folder.File("out.stl"), "--device", "cpu");
    }

    [SkippableFact]
    public void ATruncatedSliceIsExit3NamingItAndSkipBadSlicesMeshesAroundTheGap()
    {
        string source = Path.Combine(SharedDicom, "ge-head-tilt");
        Skip.IfNot(Directory.Exists(source), $"shared data absent: {source}");
        using var folder = new TempFolder();
        string series = folder.File("series");
        Directory.CreateDirectory(series);
        foreach (string file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(series, Path.GetFileName(file)));
        }

        // An interrupted copy: slice 10 keeps its header and half its pixels.
        string cut = Path.Combine(series, "10.dcm");
        byte[] bytes = File.ReadAllBytes(cut);
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);

        (int code, string stdout, string stderr) = CliRunner.Run("info", series);
        Assert.Equal(3, code);
        Assert.Contains("unreadable: " + cut + ": truncated", stdout, StringComparison.Ordinal);
        Assert.Contains("×27,", stdout, StringComparison.Ordinal); // the damaged slice is not one of the series' slices

        string output = folder.File("out") + "/skull.stl";
        (code, _, stderr) = CliRunner.Run("mesh", series, "-o", output, "--device", "cpu");
        Assert.Equal(3, code);
        AssertOneLine(stderr.Split('\n').Last(l => l.Length > 0), cut);
        Assert.Contains("--skip-bad-slices", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));

        (code, _, stderr) = CliRunner.Run("convert", series, "-o", folder.File("ct.nrrd"));
        Assert.Equal(3, code);
        Assert.Contains(cut, stderr, StringComparison.Ordinal);

        (code, _, stderr) = CliRunner.Run("mesh", series, "-o", output, "--device", "cpu", "--skip-bad-slices", "--keep", "largest");
        Assert.True(code == 0, stderr);
        Assert.Contains("warning: skipped bad slice " + cut, stderr, StringComparison.Ordinal);
        Assert.Matches("warning: (Non-uniform slice spacing|Missing slice)", stderr); // the gap is reported
        MeshReport report = MeshReport.Compute(StlReader.Read(output).Mesh);
        Assert.True(report.IsWatertight, report.ToString());
        Assert.True(report.Triangles > 100_000, report.ToString());
    }

    [Fact]
    public void JsonAndReportAreOneDocumentNamingTheInputStagesDevicesAndTimes()
    {
        using var folder = new TempFolder();
        string input = folder.File("in.nrrd");
        NrrdWriter.Write(Phantoms.CtPhantom(32, 12, 1), input);
        (int code, string stdout, string stderr) = CliRunner.Run(
            "mesh", input, "-o", folder.File("m.stl"), "--report", folder.File("r.json"), "--json", "--device", "cpu", "--keep", "largest");
        Assert.True(code == 0, stderr);
        Assert.Equal(File.ReadAllText(folder.File("r.json")).Trim(), stdout.Trim());
        using JsonDocument doc = JsonDocument.Parse(stdout);
        JsonElement root = doc.RootElement;
        Assert.Equal(input, root.GetProperty("input").GetString());
        Assert.Equal(folder.File("m.stl"), root.GetProperty("output").GetString());
        Assert.Equal(MeshReport.Compute(StlReader.Read(folder.File("m.stl")).Mesh).Triangles, root.GetProperty("triangles").GetInt32());
        Assert.True(root.GetProperty("componentsFound").GetInt32() >= root.GetProperty("componentsKept").GetInt32());
        Assert.Equal("cpu", root.GetProperty("device").GetString());
        var names = new List<string>();
        foreach (JsonElement stage in root.GetProperty("stages").EnumerateArray())
        {
            names.Add(stage.GetProperty("name").GetString()!);
            Assert.Equal("cpu", stage.GetProperty("device").GetString());
            Assert.True(stage.GetProperty("seconds").GetDouble() >= 0);
        }

        Assert.Equal("load", names[0]);
        Assert.Contains("mesh", names);
        Assert.Equal("write", names[^1]);
    }

    [Fact]
    public void NonTerminalProgressIsOneStableLinePerStage()
    {
        using var folder = new TempFolder();
        string input = folder.File("in.nrrd");
        NrrdWriter.Write(Phantoms.CtPhantom(32, 12, 1), input);
        (int code, _, string stderr) = CliRunner.Run("mesh", input, "-o", folder.File("m.stl"), "--device", "cpu", "--keep", "largest", "--smooth", "5");
        Assert.True(code == 0, stderr);
        string[] stages = stderr.Split('\n').Where(l => l.StartsWith("stage ", StringComparison.Ordinal))
            .Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"\d+\.\d{3} s$", "T s")).ToArray();
        Assert.Equal(["stage load: T s", "stage label: T s", "stage select: T s", "stage mesh: T s", "stage smooth: T s", "stage report: T s", "stage write: T s"], stages);

        (code, _, stderr) = CliRunner.Run("mesh", input, "-o", folder.File("m.stl"), "--device", "cpu", "--quiet");
        Assert.True(code == 0, stderr);
        Assert.Equal(string.Empty, stderr);
    }

    [Fact]
    public void DevicesJsonListsTheManagedCpuAndWhatAutoPicks()
    {
        (int code, string stdout, string stderr) = CliRunner.Run("devices", "--json");
        Assert.True(code == 0, stderr);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        string[] ids = doc.RootElement.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("id").GetString()!).ToArray();
        Assert.Contains("cpu", ids);
        Assert.Contains(doc.RootElement.GetProperty("auto").GetString(), ids);
    }

    [SkippableFact]
    public void CtrlCStopsTheRunRemovesPartialOutputAndExits130()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "SIGINT through kill -INT is tested on Linux only.");
        Skip.If(
            SigIntIgnored(),
            "SIGINT is ignored in this process tree (the suite was started in the background by a non-interactive shell), so the tool inherits the ignore and Ctrl+C cannot reach it; run the suite from a terminal or a CI runner to test it.");
        string cli = Path.Combine(RepoPaths.Root!, "src", "VolumeMesh.Cli", "bin", "Release", "net10.0", "VolumeMesh.Cli.dll");
        Skip.IfNot(File.Exists(cli), $"the CLI is not built: {cli}");
        using var folder = new TempFolder();
        string input = folder.File("big.nrrd");
        NrrdWriter.Write(Phantoms.CtPhantom(120, 12), input, new NrrdWriteOptions { Encoding = NrrdEncoding.Raw });
        string output = folder.File("out") + "/m.stl";
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        // 4000 smoothing iterations take about 25 s on one idle core: the signal must land inside smoothing even when the
        // test's own stderr callback is delayed by seconds (2-core CI with the other tests running beside it); a working
        // Ctrl+C stops it at the next iteration.
        foreach (string arg in new[] { cli, "mesh", input, "-o", output, "--device", "cpu", "--smooth", "4000", "--threads", "1" })
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        var stderr = new System.Text.StringBuilder();
        var meshed = new ManualResetEventSlim();
        // Standard error is read on a thread of its own: the asynchronous reader's callbacks run on the thread pool, which the
        // rest of the suite can starve for tens of seconds, so the signal came after the run had finished.
        var reader = new Thread(() =>
        {
            while (process.StandardError.ReadLine() is string line)
            {
                lock (stderr)
                {
                    stderr.AppendLine(line);
                }

                if (line.StartsWith("stage mesh", StringComparison.Ordinal))
                {
                    meshed.Set();
                }
            }
        })
        { IsBackground = true };
        reader.Start();
        var drain = new Thread(() => process.StandardOutput.ReadToEnd()) { IsBackground = true };
        drain.Start();
        Assert.True(meshed.Wait(TimeSpan.FromSeconds(120)), "the run did not reach smoothing: " + stderr);
        Assert.Equal(0, RepoPaths.Run("kill", "-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ExitCode);
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "the run did not stop after SIGINT");
        process.WaitForExit();
        reader.Join(TimeSpan.FromSeconds(10));
        Assert.True(process.ExitCode == 130, $"exit code {process.ExitCode}: {stderr}");
        Assert.Contains("volumemesh: cancelled", stderr.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.Exists(folder.File("out")) ? Directory.GetFileSystemEntries(folder.File("out")) : []);
    }

    /// <summary>Whether this process ignores SIGINT (bit 2 of SigIgn in /proc/self/status); a child started from it inherits that.</summary>
    private static bool SigIntIgnored()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("SigIgn:", StringComparison.Ordinal))
            {
                return (ulong.Parse(line["SigIgn:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture) & 0x2) != 0;
            }
        }

        return false;
    }

    private static void AssertFails(int expected, TempFolder folder, string text, params string[] args)
    {
        string[] before = Directory.GetFileSystemEntries(folder.Path, "*", SearchOption.AllDirectories);
        (int code, _, string stderr) = CliRunner.Run(args);
        Assert.True(code == expected, $"exit code {code}, expected {expected}: {stderr}");
        string[] errors = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("volumemesh:", StringComparison.Ordinal)).ToArray();
        Assert.Single(errors);
        AssertOneLine(errors[0], text);
        Assert.Equal(before, Directory.GetFileSystemEntries(folder.Path, "*", SearchOption.AllDirectories));
    }

    private static void AssertOneLine(string stderr, string text)
    {
        string line = stderr.TrimEnd('\n', '\r');
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("volumemesh: error: ", line, StringComparison.Ordinal);
        Assert.Contains(text, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", line, StringComparison.Ordinal);
    }
}
