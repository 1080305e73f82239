using System.Numerics;
using VolumeMesh.Volumes;

namespace VolumeMesh.Meshing;

/// <summary>Marching cubes on the managed CPU path (Lorensen &amp; Cline 1987), closed and edge-manifold for any input.</summary>
public static class MarchingCubes
{
    /// <summary>Meshes the iso-surface of a scalar volume; a voxel is inside when its value is ≥ <paramref name="iso"/>.</summary>
    /// <typeparam name="T">The voxel type.</typeparam>
    /// <param name="volume">The volume.</param>
    /// <param name="iso">The iso value.</param>
    /// <param name="options">Options; <see cref="MarchingCubesOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The mesh in patient millimetres.</returns>
    public static Mesh FromIso<T>(Volume<T> volume, double iso, MarchingCubesOptions? options = null, CancellationToken cancellationToken = default)
        where T : unmanaged, INumber<T> => throw new NotImplementedException();

    /// <summary>Meshes the boundary of the voxels whose value lies in [<paramref name="low"/>, <paramref name="high"/>] inclusive.</summary>
    /// <typeparam name="T">The voxel type.</typeparam>
    /// <param name="volume">The volume.</param>
    /// <param name="low">Lowest inside value.</param>
    /// <param name="high">Highest inside value.</param>
    /// <param name="options">Options; <see cref="MarchingCubesOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The mesh in patient millimetres.</returns>
    public static Mesh FromRange<T>(Volume<T> volume, double low, double high, MarchingCubesOptions? options = null, CancellationToken cancellationToken = default)
        where T : unmanaged, INumber<T> => throw new NotImplementedException();

    /// <summary>Meshes the boundary of a binary mask; vertices lie midway along crossed edges.</summary>
    /// <param name="mask">The mask.</param>
    /// <param name="options">Options; <see cref="MarchingCubesOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The mesh in patient millimetres.</returns>
    public static Mesh FromMask(Mask mask, MarchingCubesOptions? options = null, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();
}
