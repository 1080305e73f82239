using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using VolumeMesh.Dicom;

namespace VolumeMesh.Cli;

/// <summary><c>volumemesh info &lt;folder|file&gt; [--json]</c>: lists the DICOM series found; exit 3 when there is none or a
/// series holds unreadable (e.g. truncated) files, so it serves as a pre-check.</summary>
internal static class InfoCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var input = new Argument<string>("input") { Description = "A DICOM folder (scanned recursively), a DICOMDIR or a DICOM file." };
        var json = new Option<bool>("--json") { Description = "Print the series as JSON on standard output." };
        var command = new Command("info", "List the DICOM series in a folder: UIDs, modality, description, size, spacing, warnings.") { input, json };
        command.SetAction((parse, cancellationToken) => Task.FromResult(Program.Guard(stderr, () =>
        {
            string path = parse.GetValue(input)!;
            DicomScanResult scan = DicomDirectoryScanner.Scan(path, null, null, cancellationToken);
            DicomSeriesInfo? chosen = scan.DefaultSeries;
            if (parse.GetValue(json))
            {
                stdout.WriteLine(ToJson(scan, chosen));
            }
            else
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{scan.FilesScanned} files, {scan.Count} series, {scan.FilesSkipped} skipped, {scan.NonImageFiles} non-image"));
                foreach (DicomSeriesInfo series in scan)
                {
                    stdout.WriteLine($"{(ReferenceEquals(series, chosen) ? "* " : "  ")}{series.SeriesInstanceUid}");
                    stdout.WriteLine($"    {CliOutput.Series(series)}");
                    foreach (string warning in series.Warnings)
                    {
                        stdout.WriteLine($"    warning: {warning}");
                    }

                    foreach (string bad in series.UnreadableFiles)
                    {
                        stdout.WriteLine($"    unreadable: {bad}");
                    }
                }

                foreach (string warning in scan.Warnings)
                {
                    stdout.WriteLine($"warning: {warning}");
                }

                if (chosen is not null)
                {
                    stdout.WriteLine("* the series 'volumemesh mesh' uses by default");
                }
            }

            int damaged = 0;
            foreach (DicomSeriesInfo series in scan)
            {
                damaged += series.UnreadableFiles.Count > 0 ? 1 : 0;
            }

            if (scan.Count == 0)
            {
                stderr.WriteLine($"volumemesh: error: '{path}' holds no DICOM image series.{(scan.Warnings.Count > 0 ? " " + scan.Warnings[0] : string.Empty)}");
                return ExitCodes.BadInput;
            }

            if (damaged > 0)
            {
                stderr.WriteLine($"volumemesh: error: {damaged} series hold unreadable files (listed above); 'mesh' and 'convert' refuse them unless given --skip-bad-slices.");
                return ExitCodes.BadInput;
            }

            return ExitCodes.Success;
        })));
        return command;
    }

    private static string ToJson(DicomScanResult scan, DicomSeriesInfo? chosen)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("filesScanned", scan.FilesScanned);
            w.WriteNumber("filesSkipped", scan.FilesSkipped);
            w.WriteNumber("nonImageFiles", scan.NonImageFiles);
            WriteStrings(w, "warnings", scan.Warnings);
            WriteStrings(w, "danglingReferences", scan.DanglingReferences);
            w.WriteStartArray("series");
            foreach (DicomSeriesInfo s in scan)
            {
                w.WriteStartObject();
                w.WriteString("seriesInstanceUid", s.SeriesInstanceUid);
                w.WriteString("studyInstanceUid", s.StudyInstanceUid);
                w.WriteString("modality", s.Modality);
                w.WriteString("description", s.SeriesDescription);
                if (s.SeriesNumber is int number)
                {
                    w.WriteNumber("seriesNumber", number);
                }

                w.WriteBoolean("default", ReferenceEquals(s, chosen));
                w.WriteNumber("columns", s.Columns);
                w.WriteNumber("rows", s.Rows);
                w.WriteNumber("slices", s.SliceCount);
                w.WriteNumber("spacingXMm", s.SpacingXMm);
                w.WriteNumber("spacingYMm", s.SpacingYMm);
                w.WriteNumber("sliceSpacingMm", s.SliceSpacingMm);
                w.WriteNumber("sliceSpacingMinMm", s.SliceSpacingMinMm);
                w.WriteNumber("sliceSpacingMaxMm", s.SliceSpacingMaxMm);
                w.WriteNumber("tiltDegrees", s.TiltDegrees);
                w.WriteBoolean("multiFrame", s.IsMultiFrame);
                WriteStrings(w, "transferSyntaxes", s.TransferSyntaxUids);
                WriteStrings(w, "warnings", s.Warnings);
                WriteStrings(w, "unreadableFiles", s.UnreadableFiles);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (string value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }
}
