using VolumeMesh.Geometry;

namespace VolumeMesh.Dicom;

/// <summary>One image plane of a series: a single-frame file, or one frame of a multi-frame file, with what its header says about it.</summary>
public sealed class DicomSliceInfo
{
    /// <summary>The file.</summary>
    public required string FilePath { get; init; }

    /// <summary>The frame within the file (0 for single-frame files).</summary>
    public int FrameIndex { get; init; }

    /// <summary>SOP Instance UID.</summary>
    public string? SopInstanceUid { get; init; }

    /// <summary>Instance Number (used only to order slices that share a position, never to sort the stack).</summary>
    public int? InstanceNumber { get; init; }

    /// <summary>Image Position (Patient): the LPS position of the first voxel, in mm; null when absent.</summary>
    public Vector3D? PositionLps { get; init; }

    /// <summary>Row direction (first three values of Image Orientation (Patient)); null when absent.</summary>
    public Vector3D? RowDirection { get; init; }

    /// <summary>Column direction (last three values of Image Orientation (Patient)); null when absent.</summary>
    public Vector3D? ColumnDirection { get; init; }

    /// <summary>Distance between neighbouring columns in mm (Pixel Spacing[1]); null when absent.</summary>
    public double? SpacingXMm { get; init; }

    /// <summary>Distance between neighbouring rows in mm (Pixel Spacing[0]); null when absent.</summary>
    public double? SpacingYMm { get; init; }

    /// <summary>Rescale Slope (1 when absent).</summary>
    public double RescaleSlope { get; init; } = 1;

    /// <summary>Rescale Intercept (0 when absent).</summary>
    public double RescaleIntercept { get; init; }

    /// <summary>Rows.</summary>
    public int Rows { get; init; }

    /// <summary>Columns.</summary>
    public int Columns { get; init; }

    /// <summary>The transfer syntax UID of the file.</summary>
    public required string TransferSyntaxUid { get; init; }

    /// <summary>Size of the file in bytes.</summary>
    public long FileLength { get; init; }

    /// <summary>Number of frames in the file.</summary>
    public int FramesInFile { get; init; } = 1;

    /// <summary>Bits Allocated of the file's pixel data (0 when absent).</summary>
    public int BitsAllocated { get; init; }

    /// <summary>Whether the file's pixel data is encapsulated (compressed fragments) rather than native.</summary>
    public bool IsEncapsulated { get; init; }

    /// <summary>Bytes of pixel data present in the file, measured by the scan before any is read: for native data the Pixel Data
    /// value length, at most what remains of the data set after it; for encapsulated data the bytes from the start of the
    /// value to the end of the data set, which hold every fragment present. Null when unknown (a slice not made by the scan).</summary>
    /// <remarks><see cref="DicomSeriesLoader"/> checks the declared frames against it before it allocates the volume.</remarks>
    public long? PixelDataBytes { get; init; }

    /// <inheritdoc/>
    public override string ToString() => FrameIndex == 0 && FramesInFile == 1 ? FilePath : $"{FilePath} frame {FrameIndex}";
}
