using VolumeMesh.Geometry;

namespace VolumeMesh.Dicom;

/// <summary>A series found by <see cref="DicomDirectoryScanner"/>: one stack of parallel image planes of one size, sorted along the slice normal.</summary>
/// <remarks>
/// Slices are grouped by Series Instance UID, orientation and matrix size (so a localizer sharing the UID is its own series),
/// sorted by position along the normal (never by file name or Instance Number), and spacing comes from the positions
/// (never from Spacing Between Slices or Slice Thickness). Duplicate positions, missing slices and uneven spacing are
/// reported in <see cref="Warnings"/>.
/// </remarks>
public sealed class DicomSeriesInfo
{
    /// <summary>Series Instance UID.</summary>
    public required string SeriesInstanceUid { get; init; }

    /// <summary>Study Instance UID.</summary>
    public string? StudyInstanceUid { get; init; }

    /// <summary>Frame of Reference UID.</summary>
    public string? FrameOfReferenceUid { get; init; }

    /// <summary>Modality (CT, MR, …).</summary>
    public string? Modality { get; init; }

    /// <summary>Series Description.</summary>
    public string? SeriesDescription { get; init; }

    /// <summary>Series Number.</summary>
    public int? SeriesNumber { get; init; }

    /// <summary>Image Type values.</summary>
    public IReadOnlyList<string> ImageType { get; init; } = Array.Empty<string>();

    /// <summary>Columns (voxels along a row, i).</summary>
    public int Columns { get; init; }

    /// <summary>Rows (voxels along a column, j).</summary>
    public int Rows { get; init; }

    /// <summary>The slices, sorted along the normal, duplicates removed.</summary>
    public required IReadOnlyList<DicomSliceInfo> Slices { get; init; }

    /// <summary>Slices dropped because another slice has the same position.</summary>
    public IReadOnlyList<DicomSliceInfo> DuplicateSlices { get; init; } = Array.Empty<DicomSliceInfo>();

    /// <summary>Number of slices (after removing duplicates).</summary>
    public int SliceCount => Slices.Count;

    /// <summary>The index-to-patient geometry with every slice's position; null when it cannot be built (see <see cref="Warnings"/>).</summary>
    public VolumeGeometry? Geometry { get; init; }

    /// <summary>Distance between neighbouring columns, mm.</summary>
    public double SpacingXMm { get; init; }

    /// <summary>Distance between neighbouring rows, mm.</summary>
    public double SpacingYMm { get; init; }

    /// <summary>Mean distance between neighbouring slices along the normal, mm (0 for one slice).</summary>
    public double SliceSpacingMm { get; init; }

    /// <summary>Smallest distance between neighbouring slices, mm.</summary>
    public double SliceSpacingMinMm { get; init; }

    /// <summary>Largest distance between neighbouring slices, mm.</summary>
    public double SliceSpacingMaxMm { get; init; }

    /// <summary>Gantry tilt: angle between the stacking axis and the slice normal, degrees.</summary>
    public double TiltDegrees { get; init; }

    /// <summary>Transfer syntax UIDs of the files.</summary>
    public IReadOnlyList<string> TransferSyntaxUids { get; init; } = Array.Empty<string>();

    /// <summary>Whether the slices come from multi-frame (e.g. Enhanced CT/MR) files.</summary>
    public bool IsMultiFrame { get; init; }

    /// <summary>Whether a Rescale Slope or Intercept is not an integer, so HU as <see cref="short"/> rounds (load as float to keep them).</summary>
    public bool HasFractionalRescale { get; init; }

    /// <summary>Total bytes of the files.</summary>
    public long TotalFileBytes { get; init; }

    /// <summary>Problems found: duplicate positions, missing slices, uneven spacing, missing geometry.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();

    /// <summary>Files whose header belongs to this series but whose pixel data cannot be read (e.g. truncated by an
    /// interrupted copy), each as <c>path: reason</c>. They are left out of <see cref="Slices"/>, so the series has a gap
    /// where they were; a caller that must not mesh a damaged series refuses when this is not empty.</summary>
    public IReadOnlyList<string> UnreadableFiles { get; init; } = Array.Empty<string>();

    /// <summary>The series without the slices of some files, as if those files had been found unreadable while scanning:
    /// they join <see cref="UnreadableFiles"/>, the geometry is built from the slices that remain, and the gap is reported
    /// in <see cref="Warnings"/> as for damage found by the scan.</summary>
    /// <param name="unreadable">The files to leave out, each as <c>path: reason</c> (the path is everything before the first
    /// <c>": "</c>).</param>
    /// <returns>The new series.</returns>
    /// <exception cref="InputFormatException">No slice would remain.</exception>
    /// <remarks>Used for damage that only decoding finds (a corrupt compressed stream behind an intact header).</remarks>
    public DicomSeriesInfo WithoutFiles(IReadOnlyList<string> unreadable)
    {
        ArgumentNullException.ThrowIfNull(unreadable);
        var leftOut = new HashSet<string>(StringComparer.Ordinal);
        var lines = new List<string>(UnreadableFiles);
        foreach (string line in unreadable)
        {
            int colon = line.IndexOf(": ", StringComparison.Ordinal);
            leftOut.Add(colon > 0 ? line[..colon] : line);
            lines.Add(line);
        }

        var attributes = new SeriesAttributes
        {
            SeriesInstanceUid = SeriesInstanceUid,
            StudyInstanceUid = StudyInstanceUid,
            FrameOfReferenceUid = FrameOfReferenceUid,
            Modality = Modality,
            SeriesDescription = SeriesDescription,
            SeriesNumber = SeriesNumber,
            ImageType = [.. ImageType],
        };
        var group = new List<(DicomSliceInfo Slice, SeriesAttributes Attributes)>(Slices.Count);
        foreach (DicomSliceInfo slice in Slices)
        {
            if (!leftOut.Contains(slice.FilePath))
            {
                group.Add((slice, attributes));
            }
        }

        return group.Count == 0
            ? throw new InputFormatException($"Series {SeriesInstanceUid}: no readable slice remains ({lines.Count} unreadable file(s), first {lines[0]}).")
            : SeriesAssembler.Assemble(group, lines);
    }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant(
        $"{Modality} #{SeriesNumber} \"{SeriesDescription}\" {Columns}×{Rows}×{SliceCount}, {SpacingXMm:G4}×{SpacingYMm:G4}×{SliceSpacingMm:G4} mm{(TiltDegrees > 0.01 ? $", tilt {TiltDegrees:F1}°" : string.Empty)}{(Warnings.Count > 0 ? $", {Warnings.Count} warning(s)" : string.Empty)}");
}
