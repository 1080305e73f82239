namespace VolumeMesh.Dicom;

/// <summary>Options of <see cref="DicomSeriesLoader"/>.</summary>
public sealed record DicomLoadOptions
{
    /// <summary>Threads decoding slices: a positive count, or null, −1 or 0 for every core (<see cref="Execution.Parallelism"/>).</summary>
    public int? MaxDegreeOfParallelism { get; init; }

    /// <summary>
    /// The value given to voxels equal to Pixel Padding Value (or within Pixel Padding Range Limit); null for air
    /// (−1024 HU) in CT and the slice's smallest real value in other modalities.
    /// </summary>
    public double? PaddingValue { get; init; }

    /// <summary>
    /// Invert MONOCHROME1 images so that bright means high. Off by default: the Modality LUT (rescale to HU) applies to
    /// stored values whatever the photometric interpretation, which only affects display (PS3.3 §C.11).
    /// </summary>
    public bool InvertMonochrome1 { get; init; }
}
