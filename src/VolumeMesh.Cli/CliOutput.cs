using System.Globalization;
using VolumeMesh.Geometry;

namespace VolumeMesh.Cli;

/// <summary>Small helpers shared by the commands, and the one number format of their lines.</summary>
/// <remarks>Every number a command prints is invariant (a '.' decimal point, no grouping), with fixed decimals per
/// quantity: counts as whole numbers; lengths, positions and distances in mm with 3 decimals; volumes in mm³ with 3
/// decimals (as the mesh report); angles in degrees with 1; times in seconds with 3; HU as whole numbers.</remarks>
internal static class CliOutput
{
    /// <summary>A count: a whole number without grouping.</summary>
    /// <param name="count">The count.</param>
    /// <returns>E.g. <c>1081468</c>.</returns>
    public static string Count(long count) => count.ToString(CultureInfo.InvariantCulture);

    /// <summary>A length or distance in mm, 3 decimals, without the unit.</summary>
    /// <param name="mm">The value.</param>
    /// <returns>E.g. <c>0.488</c>.</returns>
    public static string Mm(double mm) => mm.ToString("F3", CultureInfo.InvariantCulture);

    /// <summary>A volume in mm³, 3 decimals, without the unit.</summary>
    /// <param name="mm3">The value.</param>
    /// <returns>E.g. <c>165.125</c>.</returns>
    public static string Mm3(double mm3) => mm3.ToString("F3", CultureInfo.InvariantCulture);

    /// <summary>An angle in degrees, 1 decimal, without the unit.</summary>
    /// <param name="degrees">The value.</param>
    /// <returns>E.g. <c>18.5</c>.</returns>
    public static string Degrees(double degrees) => degrees.ToString("F1", CultureInfo.InvariantCulture);

    /// <summary>A patient point in mm, 3 decimals per coordinate.</summary>
    /// <param name="point">The point (LPS).</param>
    /// <returns>E.g. <c>(10.847, 10.971, 5.500)</c>.</returns>
    public static string Point(Vector3D point) => $"({Mm(point.X)}, {Mm(point.Y)}, {Mm(point.Z)})";

    /// <summary>A DICOM series in one line, in the tool's number format.</summary>
    /// <param name="series">The series.</param>
    /// <returns>E.g. <c>CT #2 "HEAD" 512×512×28, 0.488×0.488×5.337 mm, tilt 18.5°, 1 warning(s)</c>.</returns>
    public static string Series(VolumeMesh.Dicom.DicomSeriesInfo series) =>
        $"{series.Modality} #{series.SeriesNumber} \"{series.SeriesDescription}\" {Count(series.Columns)}×{Count(series.Rows)}×{Count(series.SliceCount)}, {Mm(series.SpacingXMm)}×{Mm(series.SpacingYMm)}×{Mm(series.SliceSpacingMm)} mm"
        + (series.TiltDegrees > 0.01 ? $", tilt {Degrees(series.TiltDegrees)}°" : string.Empty)
        + (series.Warnings.Count > 0 ? $", {Count(series.Warnings.Count)} warning(s)" : string.Empty);

    /// <summary>A volume's grid in the tool's number format: size, spacing (mean between slices), tilt, handedness.</summary>
    /// <param name="geometry">The geometry.</param>
    /// <returns>E.g. <c>512×512×28, spacing 0.488×0.488×5.337 mm, tilt 18.5°, right-handed</c>.</returns>
    public static string Geometry(VolumeGeometry geometry) =>
        $"{Count(geometry.SizeX)}×{Count(geometry.SizeY)}×{Count(geometry.SizeZ)}, spacing {Mm(geometry.SpacingX)}×{Mm(geometry.SpacingY)}×{Mm(geometry.SliceSpacingMean)} mm, tilt {Degrees(geometry.TiltDegrees)}°, {(geometry.IsRightHanded ? "right" : "left")}-handed";

    /// <summary>Creates the folder of an output file when it does not exist yet.</summary>
    /// <param name="path">The output file.</param>
    public static void EnsureFolder(string path)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
    }

    /// <summary>Seconds with three decimals, invariant culture.</summary>
    /// <param name="time">The time.</param>
    /// <returns>E.g. <c>0.123 s</c>.</returns>
    public static string Seconds(TimeSpan time) => FormattableString.Invariant($"{time.TotalSeconds:F3} s");

    /// <summary>Checks, before any work, that an output file can be written: it is not a folder, its folder exists (it is
    /// created) and accepts a new file. The probe file is deleted at once.</summary>
    /// <param name="path">The output file.</param>
    /// <exception cref="OutputWriteException">The path is a folder, or its folder cannot be created or written; the
    /// message names <paramref name="path"/>, never a temporary file.</exception>
    public static void RequireWritable(string path)
    {
        if (Directory.Exists(path))
        {
            throw new OutputWriteException("it is a folder; give a file name such as model.stl.", path, null);
        }

        string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        try
        {
            Directory.CreateDirectory(folder);
            using var probe = new FileStream(
                Path.Combine(folder, $".volumemesh-probe-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string why = e is UnauthorizedAccessException ? "permission denied" : "the folder cannot be created or written";
            throw new OutputWriteException($"{why} in '{folder}'.", path, e);
        }
    }
}
