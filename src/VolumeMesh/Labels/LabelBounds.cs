namespace VolumeMesh.Labels;

/// <summary>Where one label lies in a label map: its voxel count and the inclusive index box of its voxels.</summary>
/// <param name="Id">The label id.</param>
/// <param name="VoxelCount">Voxels holding the id.</param>
/// <param name="MinX">Smallest i.</param>
/// <param name="MinY">Smallest j.</param>
/// <param name="MinZ">Smallest k.</param>
/// <param name="MaxX">Largest i.</param>
/// <param name="MaxY">Largest j.</param>
/// <param name="MaxZ">Largest k.</param>
public readonly record struct LabelBounds(int Id, long VoxelCount, int MinX, int MinY, int MinZ, int MaxX, int MaxY, int MaxZ);
