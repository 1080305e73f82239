namespace VolumeMesh.Pipeline;

/// <summary>What happened to one selected label.</summary>
public enum LabelPartStatus
{
    /// <summary>The label was meshed and written.</summary>
    Written,

    /// <summary>The label map has no voxel with this id; nothing was written.</summary>
    Absent,

    /// <summary>The label's mesh was empty after processing (e.g. every shell under the minimum volume); nothing was written.</summary>
    Empty,
}
