using System.Text.RegularExpressions;
using Spectre.Console;
using VolumeMesh.Cli;
using VolumeMesh.IO;
using VolumeMesh.Pipeline;
using VolumeMesh.Tests.Support;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Cli;

/// <summary>Issue 11, progress: the live display a terminal gets (Spectre.Console) and the plain lines everything else
/// gets, compared with a golden file.</summary>
public sealed partial class ProgressDisplayTests
{
    /// <summary>Set to 1 to rewrite the golden file from the current output (then review the diff).</summary>
    private const string UpdateVariable = "VOLUMEMESH_UPDATE_GOLDEN";

    private static string GoldenPath => Path.Combine(RepoPaths.Root!, "tests", "VolumeMesh.Tests", "Cli", "Golden", "mesh-plain-progress.txt");

    [Fact]
    public void TheLiveDisplayShowsOneLinePerStageWithItsStateAndTime()
    {
        using var folder = new TempFolder();
        string output = folder.File("m.stl");
        PipelineVolume volume = PipelineVolume.FromInt16(Phantoms.CtPhantom(32, 12, 1), "phantom");
        var options = new VolumeMeshPipelineOptions { Device = "cpu", Keep = VolumeMesh.Components.ComponentSelection.Largest(1), SmoothIterations = 5 };

        // A console as a terminal would be (interactive, ANSI), drawing into a writer the test reads.
        var screen = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(screen),
        });
        StageLog? log = null;
        int code = LiveStageDisplay.Run(console, live =>
        {
            // The same wiring as 'mesh' on a terminal: the stage log records times and feeds the display.
            log = new StageLog(null, live);
            log.Begin("load");
            Thread.Sleep(1100); // long enough for the elapsed-time column to show a whole second
            log.Complete();
            Thread.Sleep(2500); // a pause between stages belongs to no stage: the load line must not count it
            VolumeMeshResult result = VolumeMeshPipeline.Mesh(volume, options, log, CancellationToken.None);
            log.Complete();
            log.Begin("write");
            VolumeMeshPipeline.WriteMesh(result.Mesh, output, options);
            log.Complete();
            return 0;
        });

        Assert.Equal(0, code);
        string[] stages = log!.Stages.Select(s => s.Stage).ToArray();
        Assert.Equal(["load", "label", "select", "mesh", "smooth", "report", "write"], stages);

        // The last frame drawn: after the final redraw every stage's line is complete.
        string text = AnsiEscape().Replace(screen.ToString(), "\n");
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (string stage in stages)
        {
            string? last = lines.LastOrDefault(l => l.StartsWith(stage + " ", StringComparison.Ordinal));
            Assert.True(last is not null, $"no line for stage '{stage}' in:\n{text}");
            Assert.Matches(@"100%\s+\d\d:\d\d:\d\d$", last);
        }

        string loadLine = lines.Last(l => l.StartsWith("load ", StringComparison.Ordinal));
        // The load stage slept 1.1 s: its line shows at least a second, and (whole seconds, cut) no more than the stage log
        // measured, not the 2.5 s pause after it.
        TimeSpan shown = TimeSpan.Parse(loadLine[^8..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(shown >= TimeSpan.FromSeconds(1) && shown.TotalSeconds <= log.Stages[0].Time.TotalSeconds + 1, $"{loadLine} after {log.Stages[0].Time}");
        // The final frame, drawn last, is one line per stage in the order they ran.
        Assert.Equal(stages, lines[^stages.Length..].Select(l => l.Split(' ')[0]));
    }

    [Fact]
    public void NonTerminalOutputOfAMeshRunMatchesTheGoldenFile()
    {
        using var folder = new TempFolder();
        string input = folder.File("ct.nrrd");
        NrrdWriter.Write(Phantoms.CtPhantom(32, 12, 1), input);
        (int code, string stdout, string stderr) = CliRunner.Run(
            "mesh", input, "-o", folder.File("m.stl"), "--device", "cpu", "--keep", "largest", "--smooth", "5", "--decimate", "0.5");
        Assert.True(code == 0, stderr);
        Assert.Empty(stdout);

        // Times vary run to run and the folder is temporary; everything else is the same on every machine.
        string normalised = Regex.Replace(stderr.Replace(folder.Path, "<tmp>", StringComparison.Ordinal).ReplaceLineEndings("\n"), @"\d+\.\d{3} s\b", "T s");
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(GoldenPath)!);
            File.WriteAllText(GoldenPath, normalised);
        }

        // One number format (CliOutput's remarks): lengths, volumes and areas with 3 decimals, angles with 1, no grouping.
        Assert.DoesNotMatch(@"\d,\d{3}\b", normalised);
        Assert.Empty(Regex.Matches(normalised, @"(?<![\d.])(\d+(\.\d+)?) (mm|mm³|mm²)\b").Where(m => !Regex.IsMatch(m.Groups[1].Value, @"^\d+\.\d{3}$")).Select(m => m.Value));
        Assert.Empty(Regex.Matches(normalised, @"(?<![\d.])(\d+(\.\d+)?)°").Where(m => !Regex.IsMatch(m.Groups[1].Value, @"^\d+\.\d$")).Select(m => m.Value));
        Assert.True(File.Exists(GoldenPath), $"no golden file {GoldenPath}; run with {UpdateVariable}=1 to write it");
        Assert.Equal(File.ReadAllText(GoldenPath).ReplaceLineEndings("\n"), normalised);
    }

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]|\r")]
    private static partial Regex AnsiEscape();
}
