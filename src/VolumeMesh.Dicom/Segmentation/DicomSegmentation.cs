using VolumeMesh.Volumes;

namespace VolumeMesh.Dicom;

/// <summary>A DICOM SEG read as a label map in the exact geometry of the CT series it segments (<see cref="DicomSegmentationReader.Read"/>).</summary>
/// <remarks>
/// <see cref="Labels"/> has the series' own <see cref="Geometry.VolumeGeometry"/> instance (slices sorted along the normal, gantry tilt
/// and uneven spacing kept): voxel (i, j, k) is 0 for background or the Segment Number of the segment that holds it.
/// </remarks>
public sealed class DicomSegmentation
{
    internal DicomSegmentation(string filePath, DicomSeriesInfo series, Volume<int> labels, IReadOnlyList<DicomSegment> segments)
    {
        FilePath = filePath;
        Series = series;
        Labels = labels;
        Segments = segments;
    }

    /// <summary>The SEG file.</summary>
    public string FilePath { get; }

    /// <summary>The series the label map is aligned with.</summary>
    public DicomSeriesInfo Series { get; }

    /// <summary>The label map: 0 background, else a Segment Number; geometry that of <see cref="Series"/>.</summary>
    public Volume<int> Labels { get; }

    /// <summary>The segments in file order.</summary>
    public IReadOnlyList<DicomSegment> Segments { get; }

    /// <summary>SOP Instance UID of the SEG.</summary>
    public string? SopInstanceUid { get; init; }

    /// <summary>Series Instance UID of the SEG.</summary>
    public string? SeriesInstanceUid { get; init; }

    /// <summary>Binary or fractional.</summary>
    public DicomSegmentationType Type { get; init; }

    /// <summary>Maximum Fractional Value (0062,000E) of a fractional SEG; 1 for a binary one.</summary>
    public int MaximumFractionalValue { get; init; } = 1;

    /// <summary>Segmentation Fractional Type (0062,0010) of a fractional SEG (PROBABILITY or OCCUPANCY); null for binary.</summary>
    public string? FractionalType { get; init; }

    /// <summary>Frames placed by their Source Image reference (Referenced SOP Instance UID).</summary>
    public int FramesPlacedByReference { get; init; }

    /// <summary>Frames placed by matching Image Position (Patient) to a slice position.</summary>
    public int FramesPlacedByPosition { get; init; }

    /// <summary>Voxel claims given up to a higher-numbered segment under <see cref="DicomSegmentOverlap.HigherNumberWins"/> (0 when no segments overlap).</summary>
    public long OverlappingVoxels { get; init; }

    /// <summary>The segment with a Segment Number, or null.</summary>
    /// <param name="number">The Segment Number.</param>
    /// <returns>The segment or null.</returns>
    public DicomSegment? FindSegment(int number)
    {
        foreach (DicomSegment s in Segments)
        {
            if (s.Number == number)
            {
                return s;
            }
        }

        return null;
    }

    /// <summary>The voxels of one segment as a mask (1 inside) in the series' geometry, ready for meshing.</summary>
    /// <param name="number">The Segment Number.</param>
    /// <returns>The mask.</returns>
    /// <exception cref="ArgumentOutOfRangeException">No segment has that number.</exception>
    public Mask CreateMask(int number)
    {
        if (FindSegment(number) is null)
        {
            throw new ArgumentOutOfRangeException(nameof(number), number, $"{FilePath} has no segment {number}.");
        }

        var mask = new Mask(Labels.Geometry);
        ReadOnlySpan<int> labels = Labels.Voxels;
        Span<byte> voxels = mask.Voxels;
        for (int i = 0; i < labels.Length; i++)
        {
            voxels[i] = labels[i] == number ? (byte)1 : (byte)0;
        }

        return mask;
    }
}
