namespace VolumeMesh.Dicom;

/// <summary>A DICOM SEG file found by <see cref="DicomDirectoryScanner"/> (from its header only): what it is and which series it was drawn on.</summary>
/// <remarks>SEG files are listed here, not as image series, so a SEG beside its CT never changes how the CT is scanned or loaded.</remarks>
public sealed class DicomSegmentationInfo
{
    /// <summary>The file.</summary>
    public required string FilePath { get; init; }

    /// <summary>SOP Instance UID of the SEG.</summary>
    public string? SopInstanceUid { get; init; }

    /// <summary>Series Instance UID of the SEG itself.</summary>
    public string? SeriesInstanceUid { get; init; }

    /// <summary>Study Instance UID.</summary>
    public string? StudyInstanceUid { get; init; }

    /// <summary>Frame of Reference UID (shared with the segmented series).</summary>
    public string? FrameOfReferenceUid { get; init; }

    /// <summary>Series Instance UIDs named in Referenced Series Sequence (0008,1115): the series the segmentation was drawn on.</summary>
    public IReadOnlyList<string> ReferencedSeriesInstanceUids { get; init; } = Array.Empty<string>();

    /// <summary>Segmentation Type (0062,0001) as written: BINARY, FRACTIONAL, or another value this reader refuses.</summary>
    public string? SegmentationType { get; init; }

    /// <summary>Segment labels by Segment Number, in file order.</summary>
    public IReadOnlyList<(int Number, string Label)> Segments { get; init; } = Array.Empty<(int, string)>();

    /// <summary>Number of Frames.</summary>
    public int FrameCount { get; init; }

    /// <summary>Rows.</summary>
    public int Rows { get; init; }

    /// <summary>Columns.</summary>
    public int Columns { get; init; }

    /// <summary>Series Description, if any.</summary>
    public string? SeriesDescription { get; init; }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant(
        $"SEG {SegmentationType} {Columns}×{Rows}, {FrameCount} frame(s), {Segments.Count} segment(s) on series {string.Join(", ", ReferencedSeriesInstanceUids)}: {FilePath}");
}
