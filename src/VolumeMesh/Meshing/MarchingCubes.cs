using System.Numerics;
using VolumeMesh.Volumes;

namespace VolumeMesh.Meshing;

/// <summary>
/// Marching cubes (Lorensen &amp; Cline 1987) on the managed CPU path: one vertex per crossed grid edge, a generated
/// case table that is closed and edge-manifold for any input (<see cref="MarchingCubesTables"/>), the volume border
/// capped, vertices in patient millimetres, counter-clockwise seen from outside.
/// </summary>
/// <remarks>
/// Output is identical (same vertices and triangles in the same order) for any thread count; the order is the
/// one every backend follows (docs/marching-cubes-contract.md). A voxel outside the volume counts as outside, so
/// a region touching the border is closed by a cap lying 1/256 voxel beyond the border voxels.
/// </remarks>
public static class MarchingCubes
{
    /// <summary>Meshes the iso-surface of a scalar volume; a voxel is inside when its value is ≥ <paramref name="iso"/>.</summary>
    /// <typeparam name="T">The voxel type.</typeparam>
    /// <param name="volume">The volume.</param>
    /// <param name="iso">The iso value.</param>
    /// <param name="options">Options; <see cref="MarchingCubesOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The mesh in patient millimetres.</returns>
    /// <exception cref="ArgumentException"><paramref name="iso"/> is not a number.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public static Mesh FromIso<T>(Volume<T> volume, double iso, MarchingCubesOptions? options = null, CancellationToken cancellationToken = default)
        where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(volume);
        if (!FieldClassification.TryCeiling(iso, out T threshold))
        {
            return Mesh.Empty;
        }

        var engine = new MarchingCubesEngine<IsoField<T>>(new IsoField<T>(volume.Voxels, threshold, iso), volume.Geometry);
        return engine.Run(options ?? MarchingCubesOptions.Default, cancellationToken);
    }

    /// <summary>Meshes the boundary of the voxels whose value lies in [<paramref name="low"/>, <paramref name="high"/>] inclusive.</summary>
    /// <typeparam name="T">The voxel type.</typeparam>
    /// <param name="volume">The volume.</param>
    /// <param name="low">Lowest inside value.</param>
    /// <param name="high">Highest inside value.</param>
    /// <param name="options">Options; <see cref="MarchingCubesOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The mesh in patient millimetres.</returns>
    /// <remarks>Where the surface crosses between an inside voxel and one above the range, it is placed at <paramref name="high"/>; otherwise at <paramref name="low"/>.</remarks>
    /// <exception cref="ArgumentException">A bound is not a number, or <paramref name="low"/> exceeds <paramref name="high"/>.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public static Mesh FromRange<T>(Volume<T> volume, double low, double high, MarchingCubesOptions? options = null, CancellationToken cancellationToken = default)
        where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(volume);
        if (double.IsNaN(low) || double.IsNaN(high) || low > high)
        {
            throw new ArgumentException($"The range [{low}, {high}] is empty or not a number.", nameof(low));
        }

        if (!FieldClassification.TryCeiling(low, out T lowValue) || !FieldClassification.TryFloor(high, out T highValue) || lowValue > highValue)
        {
            return Mesh.Empty;
        }

        var field = new RangeField<T>(volume.Voxels, lowValue, highValue, low, high);
        return new MarchingCubesEngine<RangeField<T>>(field, volume.Geometry).Run(options ?? MarchingCubesOptions.Default, cancellationToken);
    }

    /// <summary>
    /// Meshes the boundary of a mask derived from a threshold range (after component selection, hole filling or morphology),
    /// placing vertices on the scalar field where they can be: where an inside voxel within [<paramref name="low"/>,
    /// <paramref name="high"/>] meets an outside voxel beyond the range the crossing is interpolated as in
    /// <see cref="FromRange{T}"/>; elsewhere it lies midway along the edge.
    /// </summary>
    /// <typeparam name="T">The voxel type.</typeparam>
    /// <param name="volume">The scalar volume the mask was derived from.</param>
    /// <param name="mask">The mask; same geometry size as <paramref name="volume"/>.</param>
    /// <param name="low">Lowest value of the threshold range.</param>
    /// <param name="high">Highest value of the threshold range.</param>
    /// <param name="options">Options; <see cref="MarchingCubesOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The mesh in patient millimetres. With the mask equal to the threshold of the range, it equals <see cref="FromRange{T}"/>.</returns>
    /// <exception cref="ArgumentException">The mask and volume differ in size, or the range is empty.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public static Mesh FromMaskedRange<T>(Volume<T> volume, Mask mask, double low, double high, MarchingCubesOptions? options = null, CancellationToken cancellationToken = default)
        where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(mask);
        if (mask.Voxels.Length != volume.Voxels.Length || mask.Geometry.SizeX != volume.SizeX || mask.Geometry.SizeY != volume.SizeY)
        {
            throw new ArgumentException(
                $"The mask ({mask.Geometry.SizeX}×{mask.Geometry.SizeY}×{mask.Geometry.SizeZ}) does not match the volume ({volume.SizeX}×{volume.SizeY}×{volume.SizeZ}).",
                nameof(mask));
        }

        if (double.IsNaN(low) || double.IsNaN(high) || low > high)
        {
            throw new ArgumentException($"The range [{low}, {high}] is empty or not a number.", nameof(low));
        }

        var field = new MaskedRangeField<T>(mask.Voxels, volume.Voxels, low, high);
        return new MarchingCubesEngine<MaskedRangeField<T>>(field, volume.Geometry).Run(options ?? MarchingCubesOptions.Default, cancellationToken);
    }

    /// <summary>Meshes the boundary of a binary mask; vertices lie midway along crossed edges.</summary>
    /// <param name="mask">The mask.</param>
    /// <param name="options">Options; <see cref="MarchingCubesOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The mesh in patient millimetres.</returns>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public static Mesh FromMask(Mask mask, MarchingCubesOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mask);
        return new MarchingCubesEngine<MaskField>(new MaskField(mask.Voxels), mask.Geometry).Run(options ?? MarchingCubesOptions.Default, cancellationToken);
    }
}
