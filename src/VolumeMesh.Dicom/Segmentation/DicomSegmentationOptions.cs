namespace VolumeMesh.Dicom;

/// <summary>Options of <see cref="DicomSegmentationReader.Read"/>.</summary>
public sealed record DicomSegmentationOptions
{
    /// <summary>
    /// A voxel of a FRACTIONAL segment is inside when stored value / Maximum Fractional Value is at least this (default 0.5,
    /// so 100 of 200 is inside and 99 of 200 is not). Must be in (0, 1].
    /// </summary>
    public double FractionalThreshold { get; init; } = 0.5;

    /// <summary>What to do where segments overlap (default: the higher Segment Number wins).</summary>
    public DicomSegmentOverlap Overlap { get; init; } = DicomSegmentOverlap.HigherNumberWins;

    /// <summary>
    /// How far, in mm, a frame's Image Position (Patient) may lie from the slice it is matched to (default 0.05 mm: positions
    /// are decimal strings, rounded by the writer). A frame farther from every slice lies between slices or outside the series
    /// and is refused.
    /// </summary>
    public double PositionToleranceMm { get; init; } = 0.05;
}
