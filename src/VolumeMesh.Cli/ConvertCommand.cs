using System.CommandLine;
using VolumeMesh.IO;
using VolumeMesh.Pipeline;

namespace VolumeMesh.Cli;

/// <summary><c>volumemesh convert &lt;dicom&gt; -o &lt;out.nrrd&gt; [--series UID]</c>: writes the HU volume with its geometry.</summary>
/// <remarks>NRRD holds one affine map: a series with uneven slice spacing is refused with a message (its exact geometry lives
/// only in the DICOM files and in <see cref="Geometry.VolumeGeometry"/>); a tilted, evenly spaced series is written sheared.</remarks>
internal static class ConvertCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var input = new Argument<string>("input") { Description = "A DICOM folder, DICOMDIR or file (or a NRRD volume)." };
        var output = new Option<string>("--output", "-o") { Description = "The NRRD file to write (.nrrd, gzip-encoded).", Required = true };
        var series = new Option<string?>("--series") { Description = "The Series Instance UID to convert (default: the CT series with the most slices)." };
        var raw = new Option<bool>("--raw") { Description = "Write raw instead of gzip-encoded data." };
        var skipBadSlices = new Option<bool>("--skip-bad-slices") { Description = "Leave out slices whose files are damaged (warned, the gap reported) instead of failing with exit code 3." };
        var command = new Command("convert", "Write a DICOM series as a NRRD volume in HU, with its patient geometry (LPS). " + ExitCodes.HelpText) { input, output, series, raw, skipBadSlices };
        command.SetAction((parse, cancellationToken) => Task.FromResult(Program.Guard(stderr, () =>
        {
            string outputPath = parse.GetValue(output)!;
            if (!string.Equals(Path.GetExtension(outputPath), ".nrrd", StringComparison.OrdinalIgnoreCase))
            {
                throw new UserInputException($"--output '{outputPath}' must end in .nrrd.");
            }

            CliOutput.RequireWritable(outputPath);
            PipelineVolume volume = VolumeInput.Load(parse.GetValue(input)!, parse.GetValue(series), stderr, cancellationToken, parse.GetValue(skipBadSlices));
            var options = new NrrdWriteOptions { Encoding = parse.GetValue(raw) ? NrrdEncoding.Raw : NrrdEncoding.Gzip };
            if (volume.Geometry is { SizeZ: > 2, HasUniformSliceSpacing: false } geometry)
            {
                throw new InputFormatException(FormattableString.Invariant(
                    $"input '{parse.GetValue(input)}': NRRD holds one affine grid and the slices are unevenly spaced ({geometry.SliceSpacingMin:F3} to {geometry.SliceSpacingMax:F3} mm); resampling is not available yet, so mesh the DICOM series directly ('volumemesh mesh {parse.GetValue(input)} -o model.stl')."));
            }

            if (volume.Int16 is not null)
            {
                NrrdWriter.Write(volume.Int16, outputPath, options, cancellationToken);
            }
            else
            {
                NrrdWriter.Write(volume.Float!, outputPath, options, cancellationToken);
            }

            stderr.WriteLine($"Wrote {outputPath}: {volume.Geometry}");
            return Program.Success;
        })));
        return command;
    }
}
