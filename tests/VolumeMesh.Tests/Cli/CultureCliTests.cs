using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using VolumeMesh.IO;
using VolumeMesh.Tests.Support;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Cli;

/// <summary>Issue 11, "one number format in every line": numbers in text, JSON and reports are invariant whatever the
/// culture around the tool.</summary>
/// <remarks>The tool is built with <c>InvariantGlobalization</c> (Directory.Build.props), so the installed tool never sees
/// a user's locale: LANG or LC_ALL change nothing, which the process test shows. To check that no line depends on that
/// setting, the in-process test also runs every command under a comma-decimal culture (built here, as invariant-globalization
/// mode has no named cultures) on every thread, and compares the output with an invariant run.</remarks>
[Collection(nameof(CultureCliTests))]
public sealed class CultureCliTests
{
    [Fact]
    public void EveryCommandPrintsTheSameNumbersUnderACommaDecimalCulture()
    {
        using var folder = new TempFolder();
        string studies = folder.File("studies");
        Directory.CreateDirectory(studies);
        string ct = Path.Combine(studies, "ct.nrrd");
        NrrdWriter.Write(Phantoms.CtPhantom(32, 12, 1), ct);
        NrrdWriter.Write(Phantoms.CtPhantom(28, 10, 2), Path.Combine(studies, "ct2.nrrd"));
        string sample = Path.Combine(RepoPaths.Root!, "samples", "ge-head-tilt-jpegll");
        string mesh = folder.File("m.stl");
        string[][] commands =
        [
            ["mesh", ct, "-o", mesh, "--report", folder.File("r.json"), "--json", "--device", "cpu", "--keep", "largest", "--smooth", "3", "--decimate", "0.5", "--max-error", "0.25"],
            ["validate", mesh],
            ["validate", mesh, "--json"],
            ["info", sample],
            ["info", sample, "--json"],
            ["mesh", "--batch", studies, "-o", folder.File("batch"), "--json", "--device", "cpu", "--format", "ply"],
            ["fit-sphere", mesh, "--seed", "10.5,18.9,5.5", "--radius", "6.5"],
            ["convert", ct, "-o", folder.File("ct-copy.nrrd")],
            ["devices", "--json"],
        ];

        var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        comma.NumberFormat.NumberDecimalSeparator = ",";
        comma.NumberFormat.NumberGroupSeparator = ".";
        comma.NumberFormat.PercentDecimalSeparator = ",";
        comma.NumberFormat.PercentGroupSeparator = ".";
        comma.NumberFormat.NegativeSign = "~";
        Assert.Equal("~1.234,5", (-1234.5).ToString("N1", comma)); // the culture really formats differently

        foreach (string[] args in commands)
        {
            string invariant = Run(args, CultureInfo.InvariantCulture, folder);
            Assert.True(invariant.StartsWith("exit 0\n", StringComparison.Ordinal), invariant);
            string local = Run(args, comma, folder);
            Assert.Equal(invariant, local);
        }
    }

    [SkippableFact]
    public void TheInstalledToolIgnoresLangAndLcAll()
    {
        string cli = Path.Combine(RepoPaths.Root!, "src", "VolumeMesh.Cli", "bin", "Release", "net10.0", "VolumeMesh.Cli.dll");
        Skip.IfNot(File.Exists(cli), $"the CLI is not built: {cli}");
        string config = File.ReadAllText(Path.ChangeExtension(cli, ".runtimeconfig.json"));
        Assert.Contains("\"System.Globalization.Invariant\": true", config, StringComparison.Ordinal);

        using var folder = new TempFolder();
        string ct = folder.File("ct.nrrd");
        NrrdWriter.Write(Phantoms.CtPhantom(32, 12, 1), ct);
        string german = RunProcess(cli, "de_DE.UTF-8", "mesh", ct, "-o", folder.File("de.stl"), "--device", "cpu", "--decimate", "0.5", "--json");
        string c = RunProcess(cli, "C", "mesh", ct, "-o", folder.File("de.stl"), "--device", "cpu", "--decimate", "0.5", "--json");
        Assert.Equal(c, german);
        Assert.Matches(@"""volumeMm3"": \d+\.\d+", german);
        Assert.Matches(@"quadric error ≤ \d\.\d{3} mm", german);
    }

    private static string Run(string[] args, CultureInfo culture, TempFolder folder)
    {
        CultureInfo current = CultureInfo.CurrentCulture;
        CultureInfo? defaultCulture = CultureInfo.DefaultThreadCurrentCulture;
        try
        {
            // Worker threads (Parallel.For in loading, meshing and the batch) take the default; this thread its own.
            CultureInfo.DefaultThreadCurrentCulture = culture;
            CultureInfo.CurrentCulture = culture;
            (int code, string stdout, string stderr) = CliRunner.Run(args);
            return Normalise($"exit {code}\n{stdout}\n{stderr}\n{ReportText(args)}", folder);
        }
        finally
        {
            CultureInfo.CurrentCulture = current;
            CultureInfo.DefaultThreadCurrentCulture = defaultCulture;
        }
    }

    /// <summary>The report file a command wrote (<c>--report</c>), so it is compared too.</summary>
    private static string ReportText(string[] args)
    {
        int i = Array.IndexOf(args, "--report");
        return i >= 0 && File.Exists(args[i + 1]) ? File.ReadAllText(args[i + 1]) : string.Empty;
    }

    private static string RunProcess(string cli, string locale, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(cli);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["LANG"] = locale;
        start.Environment["LC_ALL"] = locale;
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, stderr);
        return NormaliseTimes(stdout.Result + stderr);
    }

    /// <summary>Times vary between runs: seconds in text (<c>0.123 s</c>), JSON keys naming seconds or times, and the
    /// pipeline's <c>timingsSeconds</c> object.</summary>
    private static string Normalise(string text, TempFolder folder) => NormaliseTimes(text.Replace(folder.Path, "<tmp>", StringComparison.Ordinal));

    private static string NormaliseTimes(string text)
    {
        text = Regex.Replace(text, @"\d+\.\d{3} s\b", "T s");
        text = Regex.Replace(text, @"""timingsSeconds""\s*:\s*\{[^}]*\}", "\"timingsSeconds\": T");
        return Regex.Replace(text, @"(""[A-Za-z]*([Ss]econds|Time)""\s*:\s*)[-0-9.eE+]+", "$1T");
    }
}
