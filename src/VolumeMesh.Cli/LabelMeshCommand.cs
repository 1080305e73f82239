using System.Globalization;
using VolumeMesh.Dicom;
using VolumeMesh.IO;
using VolumeMesh.Labels;
using VolumeMesh.Pipeline;
using VolumeMesh.Volumes;

namespace VolumeMesh.Cli;

/// <summary><c>volumemesh mesh labels.nii.gz --labels 27,28|all [--label-table t.json] [--split] -o out/</c>: one part per label.</summary>
/// <remarks>A thin shell over <see cref="LabelMapPipeline"/>; <see cref="MeshCommand"/> hands over when <c>--labels</c> is given.</remarks>
internal static class LabelMeshCommand
{
    /// <summary>Meshes the selected labels of a label map and prints the per-label report.</summary>
    /// <param name="inputPath">The label map (NIfTI or NRRD), or a DICOM SEG file.</param>
    /// <param name="outputPath">The folder (with <paramref name="split"/>) or model file.</param>
    /// <param name="selection">The <c>--labels</c> value.</param>
    /// <param name="tablePath">The <c>--label-table</c> file, or null.</param>
    /// <param name="split">Whether to write one STL per label into the folder.</param>
    /// <param name="referenceFolder">With a DICOM SEG: the folder holding the series it segments (default: the SEG's own folder).</param>
    /// <param name="common">The options <c>mesh</c> parsed (encoding, space, threads, device, processing, report).</param>
    /// <param name="json">Whether to print the report as JSON on standard output.</param>
    /// <param name="stdout">Standard output.</param>
    /// <param name="stderr">Standard error.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>0, or 4 when no selected label is in the map.</returns>
    /// <exception cref="UserInputException">An option that only applies to CT input was given, or the input is not a label map.</exception>
    public static int Run(
        string inputPath, string outputPath, string selection, string? tablePath, bool split, string? referenceFolder, VolumeMeshPipelineOptions common, bool json,
        TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (common.Range is not null || common.Iso is not null || common.NeedsMask)
        {
            throw new UserInputException("--labels meshes a label map: --threshold, --preset, --iso, --keep, --seed, --min-volume, --fill-holes, --open and --close do not apply.");
        }

        if (!File.Exists(inputPath))
        {
            throw new UserInputException($"input '{inputPath}' does not exist (a label map: .nii, .nii.gz, .hdr/.img, .nrrd, .nhdr or a DICOM SEG file).");
        }

        if (!split && Path.GetExtension(outputPath).Length == 0)
        {
            throw new UserInputException($"--output '{outputPath}' has no extension: give a model file (e.g. parts.stl) or add --split to write one STL per label into that folder.");
        }

        LabelTable table = tablePath is null ? LabelTable.Empty : LabelTableReader.Read(tablePath);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Volume<int> labels;
        if (DicomSegmentationInput.IsSegmentation(inputPath))
        {
            DicomSegmentation segmentation = DicomSegmentationInput.Read(inputPath, referenceFolder, cancellationToken);
            labels = segmentation.Labels;
            table = tablePath is null ? DicomSegmentationInput.Table(segmentation) : table;
            stderr.WriteLine($"Loaded DICOM SEG {inputPath}: {segmentation.Segments.Count} segment(s) on series {segmentation.Series.SeriesInstanceUid} ({CliOutput.Geometry(labels.Geometry)}) in {CliOutput.Seconds(clock.Elapsed)}");
        }
        else if (referenceFolder is not null)
        {
            throw new UserInputException($"--reference applies to a DICOM SEG input; '{inputPath}' is not one.");
        }
        else
        {
            labels = LabelMapPipeline.ReadLabelMap(inputPath, cancellationToken);
            stderr.WriteLine($"Loaded label map {inputPath}: {CliOutput.Geometry(labels.Geometry)} in {CliOutput.Seconds(clock.Elapsed)}{(tablePath is null ? string.Empty : $"; {table.Entries.Count} names from {tablePath}")}");
        }

        var options = new LabelMapPipelineOptions
        {
            Labels = selection,
            Split = split,
            StlFormat = common.StlFormat,
            Space = common.Space,
            MaxDegreeOfParallelism = common.MaxDegreeOfParallelism,
            Device = common.Device,
            MinShellVolumeMm3 = common.MinShellVolumeMm3,
            SmoothIterations = common.SmoothIterations,
            DecimateRatio = common.DecimateRatio,
            MaxErrorMm = common.MaxErrorMm,
            ReportPath = common.ReportPath,
        };
        if (common.ReportPath is not null)
        {
            CliOutput.EnsureFolder(common.ReportPath);
        }

        if (!split)
        {
            CliOutput.EnsureFolder(outputPath);
        }

        LabelMapResult result;
        try
        {
            result = LabelMapPipeline.Run(labels, table, outputPath, options, null, cancellationToken);
        }
        catch (ArgumentException e) when (e.ParamName is "selection")
        {
            throw new UserInputException($"--labels '{selection}': {e.Message}");
        }

        if (result.DeviceNote is not null)
        {
            stderr.WriteLine(result.DeviceNote);
        }

        stderr.WriteLine($"Meshed {result.Parts.Count} label(s) on {result.Device} in {CliOutput.Seconds(result.MeshTime)}, processed in {CliOutput.Seconds(result.ProcessTime)}");
        int written = 0;
        foreach (LabelPartResult part in result.Parts)
        {
            string line = part.Status switch
            {
                LabelPartStatus.Absent => $"  {part.Id} {part.Name}: absent from the label map, not written",
                LabelPartStatus.Empty => $"  {part.Id} {part.Name}: empty after processing, not written",
                _ => string.Create(CultureInfo.InvariantCulture,
                    $"  {part.Id} {part.Name}: {part.Report!.Triangles} triangles, {part.Report.VolumeMm3:F3} mm³, {part.Report.Shells} shell(s), {(part.Report.IsWatertight ? "watertight" : "NOT watertight")}, {part.SharedVertices} vertices shared with other labels → {string.Join(", ", part.Files)}"),
            };
            written += part.Status == LabelPartStatus.Written ? 1 : 0;
            stderr.WriteLine(line);
        }

        if (json)
        {
            using var buffer = new MemoryStream();
            LabelMapPipeline.WriteReport(result, buffer);
            stdout.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        }

        if (written == 0)
        {
            stderr.WriteLine("volumemesh: error: no selected label has voxels in the label map; nothing was written.");
            return ExitCodes.NothingToMesh;
        }

        stderr.WriteLine($"Wrote {result.Files.Count} file(s){(common.ReportPath is null ? string.Empty : " and " + common.ReportPath)} in {CliOutput.Seconds(result.WriteTime)}");
        return 0;
    }
}
