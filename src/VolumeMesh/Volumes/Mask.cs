using VolumeMesh.Geometry;

namespace VolumeMesh.Volumes;

/// <summary>A binary segmentation: one byte per voxel, non-zero inside, with the geometry of the volume it came from.</summary>
/// <remarks>Layout as <see cref="Volume{T}"/>: x fastest, then y, then z. Writers of masks store 1 for inside and 0 for outside.</remarks>
public sealed class Mask
{
    /// <summary>Creates a mask over existing voxels.</summary>
    /// <param name="geometry">The geometry.</param>
    /// <param name="voxels">One byte per voxel, non-zero inside.</param>
    /// <exception cref="ArgumentException">The voxel count does not match the geometry.</exception>
    public Mask(VolumeGeometry geometry, byte[] voxels)
    {
        Volume = new Volume<byte>(geometry, voxels);
    }

    /// <summary>Creates an empty mask (all outside).</summary>
    /// <param name="geometry">The geometry.</param>
    public Mask(VolumeGeometry geometry)
    {
        Volume = new Volume<byte>(geometry);
    }

    /// <summary>The mask as a byte volume (0 outside, non-zero inside).</summary>
    public Volume<byte> Volume { get; }

    /// <summary>The geometry.</summary>
    public VolumeGeometry Geometry => Volume.Geometry;

    /// <summary>The voxels, x fastest.</summary>
    public byte[] Voxels => Volume.Voxels;

    /// <summary>Whether voxel (i, j, k) is inside.</summary>
    /// <param name="i">Index along a row.</param>
    /// <param name="j">Index along a column.</param>
    /// <param name="k">Slice index.</param>
    /// <returns><see langword="true"/> when inside.</returns>
    public bool this[int i, int j, int k] => Volume[i, j, k] != 0;

    /// <summary>Counts the voxels inside.</summary>
    /// <returns>The number of non-zero voxels.</returns>
    public long CountInside()
    {
        ReadOnlySpan<byte> span = Voxels;
        return span.Length - span.Count((byte)0);
    }

    /// <summary>Volume of the inside voxels in mm³ (count × voxel volume, using the mean slice spacing).</summary>
    /// <returns>The volume in mm³.</returns>
    public double InsideVolumeMm3() => CountInside() * Geometry.SpacingX * Geometry.SpacingY * Geometry.SliceSpacingMean;
}
