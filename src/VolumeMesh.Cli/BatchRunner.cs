using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace VolumeMesh.Cli;

/// <summary>Runs <c>mesh</c> over several studies: <c>--jobs N</c> at a time, each failure reported without stopping the
/// others, a summary table on standard error and, with <c>--json</c>, on standard output; the exit code is the worst one.</summary>
internal static class BatchRunner
{
    /// <summary>The studies of a batch: the inputs given, or every sub-folder and volume file of the batch folder.</summary>
    /// <param name="inputs">Inputs given on the command line.</param>
    /// <param name="batchFolder">The <c>--batch</c> folder, or null.</param>
    /// <param name="outputFolder">The <c>-o</c> folder.</param>
    /// <param name="format">The meshes' format as an extension without the dot (<c>stl</c>, <c>3mf</c>, <c>glb</c>, <c>gltf</c>, <c>ply</c>, <c>obj</c>).</param>
    /// <returns>The studies, in name order.</returns>
    /// <exception cref="InputFormatException">The batch folder does not exist.</exception>
    /// <exception cref="OutputWriteException">The output folder cannot be created.</exception>
    public static IReadOnlyList<BatchStudy> Studies(string[] inputs, string? batchFolder, string outputFolder, string format = "stl")
    {
        var paths = new List<string>(inputs);
        if (batchFolder is not null)
        {
            if (!Directory.Exists(batchFolder))
            {
                throw new InputFormatException($"--batch '{batchFolder}' is not a folder.");
            }

            foreach (string entry in Directory.EnumerateFileSystemEntries(batchFolder))
            {
                string name = Path.GetFileName(entry);
                if (!name.StartsWith('.') && (Directory.Exists(entry) || IsVolumeFile(entry)))
                {
                    paths.Add(entry);
                }
            }
        }

        paths.Sort(StringComparer.Ordinal);
        if (File.Exists(outputFolder))
        {
            throw new OutputWriteException("a batch writes into a folder, and this is a file.", outputFolder, null);
        }

        try
        {
            Directory.CreateDirectory(outputFolder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputWriteException("the folder cannot be created.", outputFolder, e);
        }

        var studies = new List<BatchStudy>(paths.Count);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string path in paths)
        {
            string stem = StudyName(path);
            string name = stem;
            for (int n = 2; !names.Add(name); n++)
            {
                name = string.Create(CultureInfo.InvariantCulture, $"{stem}_{n}");
            }

            studies.Add(new BatchStudy(name, path, Path.Combine(outputFolder, name + "." + format), Path.Combine(outputFolder, name + ".json")));
        }

        return studies;
    }

    /// <summary>Runs the studies.</summary>
    /// <param name="studies">The studies.</param>
    /// <param name="jobs">Studies run at once.</param>
    /// <param name="json">Print the summary as JSON on standard output.</param>
    /// <param name="stdout">Standard output.</param>
    /// <param name="stderr">Standard error: each study's lines, prefixed by its name, then the table.</param>
    /// <param name="runOne">Meshes one study, writing its lines to the writer given; returns its exit code.</param>
    /// <param name="cancellationToken">Cancels the batch: studies not started are not run.</param>
    /// <returns>The worst exit code (the largest), 0 when every study succeeded.</returns>
    public static int Run(
        IReadOnlyList<BatchStudy> studies, int jobs, bool json, TextWriter stdout, TextWriter stderr, Func<BatchStudy, TextWriter, int> runOne, CancellationToken cancellationToken)
    {
        var codes = new int[studies.Count];
        var times = new TimeSpan[studies.Count];
        var messages = new string[studies.Count];
        var gate = new Lock();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = jobs };
        Parallel.For(0, studies.Count, parallel, i =>
        {
            var log = new StringWriter(CultureInfo.InvariantCulture);
            var clock = Stopwatch.StartNew();
            codes[i] = cancellationToken.IsCancellationRequested
                ? ExitCodes.Cancelled
                : Program.Guard(log, () => runOne(studies[i], log));
            times[i] = clock.Elapsed;
            string[] lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            messages[i] = Array.FindLast(lines, l => l.StartsWith("volumemesh:", StringComparison.Ordinal)) ?? string.Empty;
            lock (gate)
            {
                foreach (string line in lines)
                {
                    stderr.WriteLine($"[{studies[i].Name}] {line}");
                }
            }
        });

        int worst = 0;
        int width = 5;
        foreach (BatchStudy study in studies)
        {
            width = Math.Max(width, study.Name.Length);
        }

        stderr.WriteLine($"{"study".PadRight(width)}  exit  time       result");
        for (int i = 0; i < studies.Count; i++)
        {
            worst = Math.Max(worst, codes[i]);
            string result = codes[i] == 0 ? studies[i].Output : messages[i];
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{studies[i].Name.PadRight(width)}  {codes[i],4}  {CliOutput.Seconds(times[i]),-9}  {result}"));
        }

        int failed = Array.FindAll(codes, c => c != 0).Length;
        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{studies.Count - failed} of {studies.Count} studies meshed, {failed} failed; exit code {worst}"));
        if (json)
        {
            stdout.WriteLine(SummaryJson(studies, codes, times, messages, worst));
        }

        return worst;
    }

    private static string SummaryJson(IReadOnlyList<BatchStudy> studies, int[] codes, TimeSpan[] times, string[] messages, int worst)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("exitCode", worst);
            w.WriteStartArray("studies");
            for (int i = 0; i < studies.Count; i++)
            {
                w.WriteStartObject();
                w.WriteString("name", studies[i].Name);
                w.WriteString("input", studies[i].Input);
                w.WriteNumber("exitCode", codes[i]);
                w.WriteNumber("seconds", times[i].TotalSeconds);
                if (codes[i] == 0)
                {
                    w.WriteString("output", studies[i].Output);
                    w.WriteString("report", studies[i].Report);
                }
                else
                {
                    w.WriteString("error", messages[i]);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static bool IsVolumeFile(string path)
    {
        string name = path.ToLowerInvariant();
        return name.EndsWith(".nrrd", StringComparison.Ordinal) || name.EndsWith(".nhdr", StringComparison.Ordinal)
            || name.EndsWith(".nii", StringComparison.Ordinal) || name.EndsWith(".nii.gz", StringComparison.Ordinal);
    }

    private static string StudyName(string path)
    {
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(path));
        foreach (string extension in new[] { ".nii.gz", ".nii", ".nrrd", ".nhdr" })
        {
            if (name.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            {
                return name[..^extension.Length];
            }
        }

        return name.Length == 0 ? "study" : name;
    }
}
