namespace VolumeMesh.Dicom;

/// <summary>What <see cref="DicomSegmentationReader"/> does where two segments claim the same voxel (a label map holds one label per voxel).</summary>
public enum DicomSegmentOverlap
{
    /// <summary>The segment with the higher Segment Number wins (independent of frame order); the claims given up are counted in <see cref="DicomSegmentation.OverlappingVoxels"/>.</summary>
    HigherNumberWins,

    /// <summary>Refuse the file with a <see cref="DicomFormatException"/> naming the voxel and the two segments.</summary>
    Throw,
}
