namespace VolumeMesh.Dicom;

/// <summary>Segmentation Type (0062,0001) of a DICOM SEG instance (PS3.3 C.8.20.2).</summary>
public enum DicomSegmentationType
{
    /// <summary>BINARY: one bit per pixel (Bits Allocated 1), bits packed across frame boundaries.</summary>
    Binary,

    /// <summary>FRACTIONAL: one byte per pixel, a probability or occupancy scaled to Maximum Fractional Value.</summary>
    Fractional,
}
