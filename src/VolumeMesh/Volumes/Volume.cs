using VolumeMesh.Geometry;

namespace VolumeMesh.Volumes;

/// <summary>A scalar volume: voxels stored contiguously, x (i) fastest, then y (j), then z (k), with its patient geometry.</summary>
/// <typeparam name="T">The voxel type (for CT, <see cref="short"/> Hounsfield units; <see cref="float"/> for fields).</typeparam>
/// <remarks>The voxel array is used as given, not copied. A volume is limited to one managed array (<see cref="Array.MaxLength"/> elements).</remarks>
public sealed class Volume<T>
    where T : unmanaged
{
    /// <summary>Creates a volume over existing voxels.</summary>
    /// <param name="geometry">The index-to-patient geometry; its sizes define the shape.</param>
    /// <param name="voxels">The voxels, x fastest; length must equal <see cref="VolumeGeometry.VoxelCount"/>.</param>
    /// <exception cref="ArgumentException">The voxel count does not match the geometry.</exception>
    public Volume(VolumeGeometry geometry, T[] voxels)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(voxels);
        if (voxels.LongLength != geometry.VoxelCount)
        {
            throw new ArgumentException(
                $"The volume has {voxels.LongLength} voxels but its geometry {geometry.SizeX}×{geometry.SizeY}×{geometry.SizeZ} needs {geometry.VoxelCount}.",
                nameof(voxels));
        }

        Geometry = geometry;
        Voxels = voxels;
    }

    /// <summary>Creates a zero-filled volume.</summary>
    /// <param name="geometry">The geometry.</param>
    /// <exception cref="ArgumentException">The volume would exceed one managed array.</exception>
    public Volume(VolumeGeometry geometry)
        : this(geometry, Allocate(geometry))
    {
    }

    /// <summary>The index-to-patient geometry.</summary>
    public VolumeGeometry Geometry { get; }

    /// <summary>The voxels, x fastest, then y, then z.</summary>
    public T[] Voxels { get; }

    /// <summary>Voxels along i.</summary>
    public int SizeX => Geometry.SizeX;

    /// <summary>Voxels along j.</summary>
    public int SizeY => Geometry.SizeY;

    /// <summary>Slices.</summary>
    public int SizeZ => Geometry.SizeZ;

    /// <summary>Voxels in one slice.</summary>
    public int SliceLength => SizeX * SizeY;

    /// <summary>The voxel at (i, j, k).</summary>
    /// <param name="i">Index along a row.</param>
    /// <param name="j">Index along a column.</param>
    /// <param name="k">Slice index.</param>
    /// <returns>A reference to the voxel.</returns>
    public ref T this[int i, int j, int k] => ref Voxels[IndexOf(i, j, k)];

    /// <summary>The linear index of voxel (i, j, k).</summary>
    /// <param name="i">Index along a row.</param>
    /// <param name="j">Index along a column.</param>
    /// <param name="k">Slice index.</param>
    /// <returns>The index into <see cref="Voxels"/>.</returns>
    public long IndexOf(int i, int j, int k) => i + (SizeX * ((long)j + ((long)SizeY * k)));

    /// <summary>The voxels of slice k.</summary>
    /// <param name="k">Slice index.</param>
    /// <returns>A span of <see cref="SliceLength"/> voxels.</returns>
    public Span<T> Slice(int k) => Voxels.AsSpan((int)((long)k * SliceLength), SliceLength);

    /// <summary>The voxels of row j in slice k.</summary>
    /// <param name="j">Row index.</param>
    /// <param name="k">Slice index.</param>
    /// <returns>A span of <see cref="SizeX"/> voxels.</returns>
    public Span<T> Row(int j, int k) => Voxels.AsSpan((int)IndexOf(0, j, k), SizeX);

    private static T[] Allocate(VolumeGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (geometry.VoxelCount > Array.MaxLength)
        {
            throw new ArgumentException(
                $"A volume of {geometry.VoxelCount} voxels exceeds one managed array; process it in z-slabs.", nameof(geometry));
        }

        return new T[geometry.VoxelCount];
    }
}
