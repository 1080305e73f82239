namespace VolumeMesh.Segmentation;

/// <summary>A binary morphological operation with a ball.</summary>
public enum MorphologyOperation
{
    /// <summary>Grow: every voxel within the radius of the mask.</summary>
    Dilate,

    /// <summary>Shrink: the voxels whose whole ball lies in the mask.</summary>
    Erode,

    /// <summary>Erode, then dilate: removes spikes, bridges and specks thinner than the ball.</summary>
    Open,

    /// <summary>Dilate, then erode: fills gaps, cracks and pits narrower than the ball.</summary>
    Close,
}
