using System.Numerics;
using VolumeMesh.Volumes;

namespace VolumeMesh.Meshing;

/// <summary>Marching cubes of a packed mask: the same meshes, vertex for vertex, as <see cref="MarchingCubes"/> gives for the unpacked mask.</summary>
internal static class PackedMaskMarchingCubes
{
    /// <summary>As <see cref="MarchingCubes.FromMaskedRange{T}"/>, reading the packed mask.</summary>
    /// <exception cref="ArgumentException">The mask and volume differ in size, or the range is empty or not a number.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public static Mesh FromMaskedRange<T>(Volume<T> volume, BitMask mask, double low, double high, MarchingCubesOptions? options = null, CancellationToken cancellationToken = default)
        where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(mask);
        if (mask.SizeX != volume.SizeX || mask.SizeY != volume.SizeY || mask.SizeZ != volume.SizeZ)
        {
            throw new ArgumentException(
                $"The mask ({mask.SizeX}×{mask.SizeY}×{mask.SizeZ}) does not match the volume ({volume.SizeX}×{volume.SizeY}×{volume.SizeZ}).",
                nameof(mask));
        }

        if (double.IsNaN(low) || double.IsNaN(high) || low > high)
        {
            throw new ArgumentException($"The range [{low}, {high}] is empty or not a number.", nameof(low));
        }

        var field = new BitMaskedRangeField<T>(mask, volume.Voxels, low, high);
        return new MarchingCubesEngine<BitMaskedRangeField<T>>(field, volume.Geometry).Run(options ?? MarchingCubesOptions.Default, cancellationToken);
    }
}
