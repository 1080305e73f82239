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
        var input = new Argument<string[]>("input") { Description = "The volume: a DICOM folder, DICOMDIR or file, a .nrrd/.nhdr file, or NIfTI (.nii, .nii.gz, .hdr); with --labels, a label map (NIfTI, NRRD or a DICOM SEG file). Several inputs: a batch, -o is a folder.", Arity = ArgumentArity.ZeroOrMore };
        var series = new Option<string?>("--series") { Description = "DICOM: the Series Instance UID to mesh (default: the CT series with the most slices; the choice is printed)." };
        var output = new Option<string>("--output", "-o") { Description = "The mesh file to write; the format from the extension: .stl .3mf .glb .gltf .ply .obj. With --labels --split, the folder for one STL per label.", Required = true };
        var threshold = new Option<string?>("--threshold") { Description = "Inside is the inclusive value range LO:HI (HU), e.g. 226:3071." };
        var preset = new Option<string?>("--preset") { Description = $"Inside is a named HU range: {string.Join(", ", ThresholdPresets.Names)}. Default: bone." };
        var iso = new Option<double?>("--iso") { Description = "Inside is every value ≥ V." };
        var ascii = new Option<bool>("--ascii") { Description = "Write ASCII STL or PLY instead of binary." };
        var space = new Option<string>("--space") { Description = "Coordinate system of the output: lps (default, DICOM) or ras.", DefaultValueFactory = _ => "lps" };
        space.AcceptOnlyFromAmong("lps", "ras", "LPS", "RAS");
        var report = new Option<string?>("--report") { Description = "Also write the mesh report as JSON to this file." };
        var json = new Option<bool>("--json") { Description = "Print the mesh report as JSON on standard output." };
        var threads = new Option<int?>("--threads") { Description = "Threads to use (default: all cores)." };
        var keep = new Option<string?>("--keep") { Description = "Connected components to keep: all, largest, or a number N (the N largest). Default: all, without labelling." };
        var minVolume = new Option<double?>("--min-volume") { Description = "Keep only components of at least this volume in mm³." };
        var seed = new Option<string?>("--seed") { Description = "Keep the component containing this patient point X,Y,Z in mm (LPS)." };
        var connectivity = new Option<int>("--connectivity") { Description = "Component connectivity: 6 (default; as the mesh separates regions), 18 or 26.", DefaultValueFactory = _ => 6 };
        connectivity.AcceptOnlyFromAmong("6", "18", "26");
        var fillHoles = new Option<bool>("--fill-holes") { Description = "Fill enclosed cavities (marrow) so they do not become inner shells." };
        var close = new Option<double?>("--close") { Description = "Morphological closing with a ball of this radius in mm, before selection." };
        var device = new Option<string>("--device") { Description = "Device for threshold, morphology, labelling, hole filling and marching cubes: auto (default: CUDA, then OpenCL, then CPU), cpu, cuda, opencl, ilgpu-cpu; 'volumemesh devices' lists them.", DefaultValueFactory = _ => "auto" };
        var smooth = new Option<int>("--smooth") { Description = "Windowed-sinc smoothing iterations (non-shrinking); 0 for none." };
        var decimate = new Option<double?>("--decimate") { Description = "Fraction of triangles to remove by quadric decimation (0.9 keeps 10%)." };
        var maxError = new Option<double?>("--max-error") { Description = "Largest geometric error decimation may introduce, in mm." };
        var minShellVolume = new Option<double?>("--min-shell-volume") { Description = "Drop mesh shells enclosing less than this volume in mm³." };
        var open = new Option<double?>("--open") { Description = "Morphological opening with a ball of this radius in mm, before selection." };
        var objNormals = new Option<bool>("--obj-normals") { Description = "Write vertex normals into OBJ output." };

        // Label maps (LabelMeshCommand): one part per label of a NIfTI/NRRD segmentation.
        var labels = new Option<string?>("--labels") { Description = "Mesh a label map: 'all' or comma-separated label ids/names (e.g. 27,28); one part per label." };
        var labelTable = new Option<string?>("--label-table") { Description = "Label names and colours: JSON, 3D Slicer colour table (.ctbl/.txt) or ITK-SNAP label file." };
        var reference = new Option<string?>("--reference") { Description = "With --labels and a DICOM SEG as input: the folder holding the CT series it segments (default: the SEG's own folder)." };
        var split = new Option<bool>("--split") { Description = "With --labels: write one STL per label, <id>_<name>.stl, into the folder given by -o." };

        // Pipeline robustness (issue 11): damaged slices, watertightness as a requirement, progress.
        var skipBadSlices = new Option<bool>("--skip-bad-slices") { Description = "DICOM: leave out slices whose files are damaged (warned, the gap reported) instead of failing with exit code 3." };
        var requireWatertight = new Option<bool>("--require-watertight") { Description = "Exit with code 6 (and write nothing) when the mesh is not closed and manifold." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only warnings and errors on standard error." };
        var batch = new Option<string?>("--batch") { Description = "Mesh every study in this folder (each sub-folder, NRRD or NIfTI file) into the folder -o: <study>.stl (or --format) and <study>.json, a summary table, the worst exit code." };
        var jobs = new Option<int>("--jobs") { Description = "Batch: studies meshed in parallel (default 1).", DefaultValueFactory = _ => 1 };
        var format = new Option<string?>("--format") { Description = "Batch: each study's mesh format, stl (default), 3mf, glb, gltf, ply or obj (a single mesh takes it from -o's extension)." };
        format.AcceptOnlyFromAmong("stl", "3mf", "glb", "gltf", "ply", "obj");

        var command = new Command("mesh", "Turn a volume into a watertight mesh in patient millimetres. " + ExitCodes.HelpText)
        {
            skipBadSlices, requireWatertight, quiet, batch, jobs, format,
            input, output, series, threshold, preset, iso, ascii, space, report, json, threads,
            keep, minVolume, seed, connectivity, fillHoles, close, open, device, smooth, decimate, maxError, minShellVolume, objNormals,
            labels, labelTable, split, reference,
        };
        var planningOptions = new PlanningCliOptions();
        planningOptions.AddTo(command);

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
            string[] inputs = parse.GetValue(input) ?? [];
            bool isBatch = inputs.Length > 1 || parse.GetValue(batch) is not null;
            if (inputs.Length == 0 && parse.GetValue(batch) is null)
            {
                throw new UserInputException("give the input volume (or several, or --batch FOLDER).");
            }

            if (parse.GetValue(jobs) < 1)
            {
                throw new UserInputException($"--jobs {parse.GetValue(jobs)} must be at least 1.");
            }

            if (!isBatch && parse.GetValue(labels) is null && !MeshFileWriter.IsSupported(outputPath))
            {
                throw new UserInputException($"--output '{outputPath}': the format is chosen by the extension; supported: {string.Join(' ', MeshFileWriter.Extensions)}.");
            }

            string? reportPath = parse.GetValue(report);
            var options = new VolumeMeshPipelineOptions
            {
                Range = range,
                Iso = isoValue,
                StlFormat = parse.GetValue(ascii) ? StlFormat.Ascii : StlFormat.Binary,
                Space = string.Equals(parse.GetValue(space), "ras", StringComparison.OrdinalIgnoreCase) ? CoordinateSpace.Ras : CoordinateSpace.Lps,
                ObjNormals = parse.GetValue(objNormals),
                MaxDegreeOfParallelism = threadCount ?? -1,
                ReportPath = reportPath,
                Keep = ParseSelection(parse.GetValue(keep), parse.GetValue(minVolume), parse.GetValue(seed)),
                Connectivity = (VolumeMesh.Components.Connectivity)parse.GetValue(connectivity),
                FillHoles = parse.GetValue(fillHoles),
                OpenMm = RequirePositive(parse.GetValue(open), "--open"),
                CloseMm = RequirePositive(parse.GetValue(close), "--close"),
                Device = parse.GetValue(device)!,
                SmoothIterations = parse.GetValue(smooth) is int iterations and >= 0 ? iterations : throw new UserInputException($"--smooth {parse.GetValue(smooth)} must be a whole number ≥ 0."),
                DecimateRatio = parse.GetValue(decimate) is double r && !(r >= 0 && r < 1)
                    ? throw new UserInputException($"--decimate {r} must be a fraction in [0, 1) (0.9 keeps 10% of the triangles).")
                    : parse.GetValue(decimate),
                MaxErrorMm = RequirePositive(parse.GetValue(maxError), "--max-error"),
                MinShellVolumeMm3 = parse.GetValue(minShellVolume) is double sv && !(sv >= 0 && double.IsFinite(sv))
                    ? throw new UserInputException($"--min-shell-volume {sv} must be a finite number of mm³, at least 0.")
                    : parse.GetValue(minShellVolume),
            };

            // Resolve the device before loading, so a missing one fails fast.
            _ = VolumeMesh.Compute.ComputeDevices.Select(options.Device);
            PlanningOptions? planning = planningOptions.Parse(parse);
            if (parse.GetValue(requireWatertight) && (planning is not null || parse.GetValue(labels) is not null))
            {
                throw new UserInputException("--require-watertight applies to one mesh or a batch, not to --labels or the planning options (--crop, --separate, --implant, …).");
            }

            if (!isBatch && parse.GetValue(format) is not null)
            {
                throw new UserInputException("--format applies to a batch; a single mesh takes its format from the extension of -o.");
            }

            if (isBatch)
            {
                if (parse.GetValue(labels) is not null || planning is not null || reportPath is not null || parse.GetValue(series) is not null)
                {
                    throw new UserInputException("a batch (several inputs or --batch) takes no --labels, planning options, --report or --series; each study gets <study>.json.");
                }

                IReadOnlyList<BatchStudy> studies = BatchRunner.Studies(inputs, parse.GetValue(batch), outputPath, parse.GetValue(format) ?? "stl");
                return BatchRunner.Run(studies, parse.GetValue(jobs), parse.GetValue(json), stdout, stderr,
                    (study, studyErr) => RunOne(study.Input, study.Output, study.Report, TextWriter.Null, studyErr), cancellationToken);
            }

            string inputPath = inputs[0];
            if (parse.GetValue(labels) is string selection)
            {
                if (planning is not null)
                {
                    throw new UserInputException("--crop, --separate, --implant, --trajectory and --landmark apply to a CT volume, not to a label map (--labels).");
                }

                return parse.GetValue(series) is not null
                    ? throw new UserInputException("--series applies to DICOM input, not to a label map.")
                    : LabelMeshCommand.Run(inputPath, outputPath, selection, parse.GetValue(labelTable), parse.GetValue(split), parse.GetValue(reference), options, parse.GetValue(json), stdout, stderr, cancellationToken);
            }

            if (parse.GetValue(labelTable) is not null || parse.GetValue(split) || parse.GetValue(reference) is not null)
            {
                throw new UserInputException("--label-table, --split and --reference apply with --labels only.");
            }

            return RunOne(inputPath, outputPath, reportPath, stdout, stderr);

            // One volume: load, mesh, check, write the mesh and its report together.
            int RunOne(string inputPath, string outputPath, string? reportPath, TextWriter stdout, TextWriter stderr)
            {
                // Outputs are checked before the work starts, so a bad path costs nothing.
                CliOutput.RequireWritable(outputPath);
                if (reportPath is not null)
                {
                    CliOutput.RequireWritable(reportPath);
                }

                if (!parse.GetValue(quiet) && LiveStageDisplay.Applies(stderr))
                {
                    // On a terminal: a live line per stage; the stage times still go into the report.
                    return LiveStageDisplay.Run(live => RunStages(inputPath, outputPath, reportPath, stdout, stderr, new StageLog(null, live)));
                }

                return RunStages(inputPath, outputPath, reportPath, stdout, stderr, new StageLog(parse.GetValue(quiet) ? null : stderr));
            }

            int RunStages(string inputPath, string outputPath, string? reportPath, TextWriter stdout, TextWriter stderr, StageLog stages)
            {
                TextWriter info = parse.GetValue(quiet) ? TextWriter.Null : stderr;
                stages.Begin("load");
                PipelineVolume volume = VolumeInput.Load(
                    inputPath, parse.GetValue(series), stderr, cancellationToken, parse.GetValue(skipBadSlices), out string? seriesUid, options.MaxDegreeOfParallelism);
                stages.Complete();
                info.WriteLine($"Loaded {inputPath}: {CliOutput.Geometry(volume.Geometry)} ({(volume.Int16 is not null ? "int16" : "float")})");

                if (planning is not null)
                {
                    return PlanningCliOptions.Run(volume, outputPath, options, planning, parse.GetValue(json), stdout, stderr, cancellationToken);
                }

                // One context for the run: --device and --threads reach every stage.
                VolumeMeshResult result;
                using (var context = VolumeMesh.Execution.ComputeContext.Create(options.Device, options.MaxDegreeOfParallelism, stages, cancellationToken))
                {
                    result = VolumeMeshPipeline.Mesh(volume, options with { ReportPath = null, ReleaseVolume = true }, context);
                }

                stages.Complete();
                if (result.DeviceNote is not null)
                {
                    info.WriteLine(result.DeviceNote);
                }

                info.Write(StageDevicesText.Format(result.Stages));
                info.WriteLine($"Meshed on {result.Device}: {result.Inside}: {CliOutput.Count(result.Report.Triangles)} triangles in {CliOutput.Seconds(result.MeshTime)}");
                if (result.Components.Count > 0)
                {
                    info.WriteLine($"Components: {result.Components.Count} found, {result.KeptLabels.Count} kept");
                    var kept = new HashSet<int>(result.KeptLabels);
                    var largest = new List<VolumeMesh.Components.ComponentStatistics>(result.Components);
                    largest.Sort((a, b) => b.VoxelCount.CompareTo(a.VoxelCount));
                    for (int n = 0; n < Math.Min(10, largest.Count); n++)
                    {
                        var c = largest[n];
                        info.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"  {(kept.Contains(c.Label) ? "kept   " : "dropped")} #{c.Label}: {CliOutput.Mm3(c.VolumeMm3)} mm³, centroid {CliOutput.Point(c.CentroidLps)}"));
                    }
                }

                if (result.Report.Triangles == 0)
                {
                    throw new NothingToMeshException($"no voxel of '{inputPath}' is inside ({result.Inside}); the mesh is empty and nothing was written. Check the range against the volume's values ('volumemesh info', or another --preset/--threshold).");
                }

                if (result.ShellsRemoved > 0)
                {
                    info.WriteLine($"Removed {result.ShellsRemoved} shell(s) under the minimum volume");
                }

                if (result.Decimation is VolumeMesh.Processing.DecimationResult d)
                {
                    info.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"Decimated {d.TrianglesBefore} → {d.TrianglesAfter} triangles ({d.StopReason}), quadric error ≤ {d.MaxQuadricErrorMm:F3} mm{(d.MeasuredErrorMm is double e ? $", distance bound {e:F3} mm" : string.Empty)}"));
                }

                info.WriteLine($"Report: {result.Report}");
                if (parse.GetValue(requireWatertight) && !result.Report.IsWatertight)
                {
                    stderr.WriteLine($"volumemesh: error: the mesh is not closed and manifold ({result.Report}); --require-watertight: nothing was written.");
                    return ExitCodes.RequireWatertightFailed;
                }

                // The mesh and its report are written together or not at all: the report is serialised first, and the mesh
                // is removed again when the report cannot be written.
                stages.Begin("write");
                var writeClock = Stopwatch.StartNew();
                VolumeMeshPipeline.WriteMesh(result.Mesh, outputPath, options, cancellationToken);
                stages.Complete();
                result = result with { WriteTime = writeClock.Elapsed };
                // Serialised only when asked for: the first serialisation in a process costs more than writing the mesh.
                bool printJson = parse.GetValue(json);
                string? document = reportPath is not null || printJson
                    ? MeshRunReport.Serialize(result, inputPath, seriesUid, outputPath, stages.Stages)
                    : null;
                if (reportPath is not null)
                {
                    try
                    {
                        VolumeMesh.IO.AtomicFile.Write(reportPath, stream =>
                        {
                            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
                            writer.Write(document);
                        });
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        File.Delete(outputPath);
                        throw new OutputWriteException("the report could not be written, so the mesh was removed too.", reportPath, e);
                    }
                }

                info.WriteLine($"{(result.Report.IsWatertight ? "Watertight" : "NOT watertight")}; wrote {outputPath}{(reportPath is null ? string.Empty : " and " + reportPath)} in {CliOutput.Seconds(result.WriteTime)}");
                if (printJson)
                {
                    stdout.WriteLine(document);
                }

                return ExitCodes.Success;
            }
        })));
        return command;
    }

    private static double? RequirePositive(double? value, string name) =>
        value is double v && !(v > 0 && double.IsFinite(v)) ? throw new UserInputException($"{name} {v} must be a positive number of millimetres.") : value;

    /// <summary>--keep, --min-volume and --seed as a selection; null when none is given (keep everything, no labelling).</summary>
    private static VolumeMesh.Components.ComponentSelection? ParseSelection(string? keep, double? minVolume, string? seed)
    {
        if (minVolume is double m && !(m >= 0 && double.IsFinite(m)))
        {
            throw new UserInputException($"--min-volume {m} must be a finite number of mm³, at least 0.");
        }

        if (seed is not null)
        {
            if (keep is not null)
            {
                throw new UserInputException("give either --keep or --seed, not both.");
            }

            string[] parts = seed.Split(',');
            var values = new double[3];
            if (parts.Length != 3 || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out values[0])
                || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out values[1])
                || !double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out values[2]))
            {
                throw new UserInputException($"--seed '{seed}' is not a patient point X,Y,Z in mm (e.g. -12.5,30,101).");
            }

            return VolumeMesh.Components.ComponentSelection.AtSeed(new VolumeMesh.Geometry.Vector3D(values[0], values[1], values[2])) with
            {
                MinimumVolumeMm3 = minVolume ?? 0,
            };
        }

        VolumeMesh.Components.ComponentSelection? selection = keep?.ToLowerInvariant() switch
        {
            null => minVolume is null ? null : VolumeMesh.Components.ComponentSelection.All,
            "all" => VolumeMesh.Components.ComponentSelection.All,
            "largest" => VolumeMesh.Components.ComponentSelection.Largest(1),
            _ when int.TryParse(keep, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 => VolumeMesh.Components.ComponentSelection.Largest(n),
            _ => throw new UserInputException($"--keep '{keep}' must be all, largest or a whole number N ≥ 1."),
        };
        return selection is null ? null : selection with { MinimumVolumeMm3 = minVolume ?? 0 };
    }
}
