using System.CommandLine;
using VolumeMesh.IO;
using VolumeMesh.Pipeline;

namespace VolumeMesh.Cli;

/// <summary><c>volumemesh convert &lt;dicom&gt; -o &lt;out.nrrd&gt; [--series UID]</c>: writes the HU volume with its geometry.</summary>
/// <remarks>NRRD holds one affine map: a series with uneven slice spacing is refused with a message naming
/// <c>--resample MM</c>, which resamples it (trilinear) onto a regular, untilted grid; a tilted, evenly spaced series is
/// written sheared.</remarks>
internal static class ConvertCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var input = new Argument<string>("input") { Description = "A DICOM folder, DICOMDIR or file (or a NRRD volume)." };
        var output = new Option<string>("--output", "-o") { Description = "The NRRD file to write (.nrrd, gzip-encoded).", Required = true };
        var series = new Option<string?>("--series") { Description = "The Series Instance UID to convert (default: the CT series with the most slices)." };
        var raw = new Option<bool>("--raw") { Description = "Write raw instead of gzip-encoded data." };
        var skipBadSlices = new Option<bool>("--skip-bad-slices") { Description = "Leave out slices whose files are damaged (warned, the gap reported) instead of failing with exit code 3." };
        var resample = new Option<double?>("--resample") { Description = "Resample an unevenly spaced or tilted series onto a regular grid with this slice spacing in mm (trilinear; rows, columns and in-plane spacing kept)." };
        var command = new Command("convert", "Write a DICOM series as a NRRD volume in HU, with its patient geometry (LPS). " + ExitCodes.HelpText) { input, output, series, raw, skipBadSlices, resample };
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
            if (parse.GetValue(resample) is double spacing)
            {
                if (!(spacing > 0 && double.IsFinite(spacing)))
                {
                    throw new UserInputException($"--resample {spacing} must be a positive number of millimetres.");
                }

                if (volume.Int16 is null)
                {
                    throw new UserInputException("--resample applies to DICOM (HU) input; NRRD and NIfTI volumes are on a regular grid already.");
                }

                VolumeMesh.Geometry.VolumeGeometry before = volume.Geometry;
                volume = PipelineVolume.FromInt16(VolumeMesh.Volumes.VolumeResampler.ToRegularGrid(volume.Int16, spacing, cancellationToken: cancellationToken), volume.Description);
                stderr.WriteLine(FormattableString.Invariant(
                    $"Resampled (trilinear) from {before.SizeZ} slices, {before.SliceSpacingMin:F3} to {before.SliceSpacingMax:F3} mm apart, tilt {before.TiltDegrees:F1}°, onto a regular grid: {volume.Geometry}"));
            }
            else if (volume.Geometry is { SizeZ: > 2, HasUniformSliceSpacing: false } geometry)
            {
                throw new InputFormatException(FormattableString.Invariant(
                    $"input '{parse.GetValue(input)}': NRRD holds one affine grid and the slices are unevenly spaced ({geometry.SliceSpacingMin:F3} to {geometry.SliceSpacingMax:F3} mm); give --resample MM to resample onto a regular grid (trilinear), or mesh the DICOM series directly."));
            }

            if (volume.Int16 is not null)
            {
                NrrdWriter.Write(volume.Int16, outputPath, options, cancellationToken);
            }
            else
            {
                NrrdWriter.Write(volume.Float!, outputPath, options, cancellationToken);
            }

            stderr.WriteLine($"Wrote {outputPath}: {CliOutput.Geometry(volume.Geometry)}");
            return Program.Success;
        })));
        return command;
    }
}
