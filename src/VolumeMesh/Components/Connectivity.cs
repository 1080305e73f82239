namespace VolumeMesh.Components;

/// <summary>Which neighbours of a voxel count as connected to it.</summary>
/// <remarks>The numeric value is the number of neighbours.</remarks>
public enum Connectivity
{
    /// <summary>Voxels sharing a face (6 neighbours).</summary>
    Six = 6,

    /// <summary>Voxels sharing a face or an edge (18 neighbours).</summary>
    Eighteen = 18,

    /// <summary>Voxels sharing a face, an edge or a corner (26 neighbours).</summary>
    TwentySix = 26,
}
