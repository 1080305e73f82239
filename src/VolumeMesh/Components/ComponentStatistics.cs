using VolumeMesh.Geometry;

namespace VolumeMesh.Components;

/// <summary>Size and position of one connected component.</summary>
/// <param name="Label">The component's label (1..N).</param>
/// <param name="VoxelCount">Voxels in the component.</param>
/// <param name="VolumeMm3">Volume in mm³: voxel count × column spacing × row spacing × mean slice spacing.</param>
/// <param name="BoundsMin">The smallest voxel index of the component along each axis (inclusive).</param>
/// <param name="BoundsMax">The largest voxel index of the component along each axis (inclusive).</param>
/// <param name="FirstVoxel">The component's first voxel in memory order (x fastest); a voxel that certainly belongs to it.</param>
/// <param name="CentroidLps">The mean patient position of the component's voxel centres, in mm (LPS), exact for
/// non-uniform slice spacing and gantry tilt.</param>
public sealed record ComponentStatistics(
    int Label,
    long VoxelCount,
    double VolumeMm3,
    VoxelIndex BoundsMin,
    VoxelIndex BoundsMax,
    VoxelIndex FirstVoxel,
    Vector3D CentroidLps)
{
    /// <summary>Whether the component touches a face of the volume (its bounds reach index 0 or the last index on some axis).</summary>
    /// <param name="geometry">The geometry of the labelled volume.</param>
    /// <returns><see langword="true"/> when the component touches the volume border.</returns>
    public bool TouchesBorder(VolumeGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        return BoundsMin.I == 0 || BoundsMin.J == 0 || BoundsMin.K == 0
            || BoundsMax.I == geometry.SizeX - 1 || BoundsMax.J == geometry.SizeY - 1 || BoundsMax.K == geometry.SizeZ - 1;
    }
}
