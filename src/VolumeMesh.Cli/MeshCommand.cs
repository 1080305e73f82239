using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using VolumeMesh.IO;
using VolumeMesh.Pipeline;
using VolumeMesh.Segmentation;

namespace VolumeMesh.Cli;

/// <summary><c>volumemesh mesh &lt;input&gt; -o &lt;out.stl&gt; [--threshold LO:HI | --preset NAME | --iso V] …</c></summary>
internal static class MeshCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var input = new Argument<string>("input") { Description = "The volume: a DICOM folder, DICOMDIR or file, or a .nrrd/.nhdr file." };
        var series = new Option<string?>("--series") { Description = "DICOM: the Series Instance UID to mesh (default: the CT series with the most slices; the choice is printed)." };
        var output = new Option<string>("--output", "-o") { Description = "The mesh file to write (.stl).", Required = true };
        var threshold = new Option<string?>("--threshold") { Description = "Inside is the inclusive value range LO:HI (HU), e.g. 226:3071." };
        var preset = new Option<string?>("--preset") { Description = $"Inside is a named HU range: {string.Join(", ", ThresholdPresets.Names)}. Default: bone." };
        var iso = new Option<double?>("--iso") { Description = "Inside is every value ≥ V." };
        var ascii = new Option<bool>("--ascii") { Description = "Write ASCII STL instead of binary." };
        var space = new Option<string>("--space") { Description = "Coordinate system of the output: lps (default, DICOM) or ras.", DefaultValueFactory = _ => "lps" };
        space.AcceptOnlyFromAmong("lps", "ras", "LPS", "RAS");
        var report = new Option<string?>("--report") { Description = "Also write the mesh report as JSON to this file." };
        var json = new Option<bool>("--json") { Description = "Print the mesh report as JSON on standard output." };
        var threads = new Option<int?>("--threads") { Description = "Threads to use (default: all cores)." };

        var command = new Command("mesh", "Turn a volume into a watertight mesh in patient millimetres.")
        {
            input, output, series, threshold, preset, iso, ascii, space, report, json, threads,
        };

        command.SetAction((parse, cancellationToken) => Task.FromResult(Program.Guard(stderr, () =>
        {
            int given = (parse.GetValue(threshold) is null ? 0 : 1) + (parse.GetValue(preset) is null ? 0 : 1) + (parse.GetValue(iso) is null ? 0 : 1);
            if (given > 1)
            {
                throw new UserInputException("give only one of --threshold, --preset and --iso.");
            }

            HuRange? range = null;
            if (parse.GetValue(threshold) is string thresholdText)
            {
                if (!HuRange.TryParse(thresholdText, out HuRange parsed))
                {
                    throw new UserInputException($"--threshold '{thresholdText}' is not a range LO:HI with LO ≤ HI (e.g. 226:3071).");
                }

                range = parsed;
            }
            else if (parse.GetValue(preset) is string presetName)
            {
                if (!ThresholdPresets.TryGet(presetName, out HuRange parsed))
                {
                    throw new UserInputException($"--preset '{presetName}' is unknown; presets: {string.Join(", ", ThresholdPresets.Names)}.");
                }

                range = parsed;
            }

            double? isoValue = parse.GetValue(iso);
            if (isoValue is double v && !double.IsFinite(v))
            {
                throw new UserInputException($"--iso {v} is not a finite number.");
            }

            int? threadCount = parse.GetValue(threads);
            if (threadCount is < 1)
            {
                throw new UserInputException($"--threads {threadCount} must be at least 1.");
            }

            string outputPath = parse.GetValue(output)!;
            if (!string.Equals(Path.GetExtension(outputPath), ".stl", StringComparison.OrdinalIgnoreCase))
            {
                throw new UserInputException($"--output '{outputPath}': the format is chosen by the extension; supported: .stl.");
            }

            string? reportPath = parse.GetValue(report);
            var options = new VolumeMeshPipelineOptions
            {
                Range = range,
                Iso = isoValue,
                StlFormat = parse.GetValue(ascii) ? StlFormat.Ascii : StlFormat.Binary,
                Space = string.Equals(parse.GetValue(space), "ras", StringComparison.OrdinalIgnoreCase) ? CoordinateSpace.Ras : CoordinateSpace.Lps,
                MaxDegreeOfParallelism = threadCount ?? -1,
                ReportPath = reportPath,
            };

            string inputPath = parse.GetValue(input)!;
            var clock = Stopwatch.StartNew();
            PipelineVolume volume = VolumeInput.Load(inputPath, parse.GetValue(series), stderr, cancellationToken);
            stderr.WriteLine($"Loaded {inputPath}: {volume.Geometry} ({(volume.Int16 is not null ? "int16" : "float")}) in {CliOutput.Seconds(clock.Elapsed)}");

            CliOutput.EnsureFolder(outputPath);
            if (reportPath is not null)
            {
                CliOutput.EnsureFolder(reportPath);
            }

            VolumeMeshResult result = VolumeMeshPipeline.Run(volume, outputPath, options, null, cancellationToken);
            stderr.WriteLine($"Meshed {result.Inside}: {result.Report.Triangles.ToString("N0", CultureInfo.InvariantCulture)} triangles in {CliOutput.Seconds(result.MeshTime)}");
            stderr.WriteLine($"Report: {result.Report}");
            stderr.WriteLine($"{(result.Report.IsWatertight ? "Watertight" : "NOT watertight")}; wrote {outputPath}{(reportPath is null ? string.Empty : " and " + reportPath)} in {CliOutput.Seconds(result.WriteTime)}");
            if (parse.GetValue(json))
            {
                stdout.WriteLine(MeshReportJson.Serialize(result.Report));
            }

            return 0;
        })));
        return command;
    }
}
