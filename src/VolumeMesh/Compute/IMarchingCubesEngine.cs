using System.Numerics;
using VolumeMesh.Meshing;
using VolumeMesh.Volumes;

namespace VolumeMesh.Compute;

/// <summary>
/// A marching-cubes backend. Every implementation returns the same mesh for the same input (same vertices and triangles
/// in the same order, positions equal within float rounding): the contract in docs/marching-cubes-contract.md.
/// </summary>
public interface IMarchingCubesEngine
{
    /// <summary>The device the engine runs on.</summary>
    ComputeDevice Device { get; }

    /// <summary>Meshes the iso-surface; a voxel is inside when its value is ≥ <paramref name="iso"/>. See <see cref="MarchingCubes.FromIso{T}"/>.</summary>
    /// <typeparam name="T">The voxel type.</typeparam>
    /// <param name="volume">The volume.</param>
    /// <param name="iso">The iso value.</param>
    /// <param name="options">Progress and threading options; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The mesh in patient millimetres.</returns>
    Mesh FromIso<T>(Volume<T> volume, double iso, MarchingCubesOptions? options = null, CancellationToken cancellationToken = default)
        where T : unmanaged, INumber<T>;

    /// <summary>Meshes the boundary of the voxels in [<paramref name="low"/>, <paramref name="high"/>]. See <see cref="MarchingCubes.FromRange{T}"/>.</summary>
    /// <typeparam name="T">The voxel type.</typeparam>
    /// <param name="volume">The volume.</param>
    /// <param name="low">Lowest inside value.</param>
    /// <param name="high">Highest inside value.</param>
    /// <param name="options">Progress and threading options; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The mesh in patient millimetres.</returns>
    Mesh FromRange<T>(Volume<T> volume, double low, double high, MarchingCubesOptions? options = null, CancellationToken cancellationToken = default)
        where T : unmanaged, INumber<T>;

    /// <summary>Meshes the boundary of a mask. See <see cref="MarchingCubes.FromMask"/>.</summary>
    /// <param name="mask">The mask.</param>
    /// <param name="options">Progress and threading options; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The mesh in patient millimetres.</returns>
    Mesh FromMask(Mask mask, MarchingCubesOptions? options = null, CancellationToken cancellationToken = default);
}
