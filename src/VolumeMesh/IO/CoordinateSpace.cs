namespace VolumeMesh.IO;

/// <summary>The patient coordinate system a file stores positions in.</summary>
public enum CoordinateSpace
{
    /// <summary>DICOM LPS: +x towards the patient's left, +y posterior, +z superior. The library's own convention.</summary>
    Lps,

    /// <summary>RAS (3D Slicer's internal space): +x right, +y anterior, +z superior; x and y negated relative to LPS.</summary>
    Ras,
}
