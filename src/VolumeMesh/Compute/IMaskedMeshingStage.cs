using System.Numerics;
using VolumeMesh.Execution;
using VolumeMesh.Meshing;
using VolumeMesh.Volumes;

namespace VolumeMesh.Compute;

/// <summary>Marching cubes of a selected mask on the field (inside = in the range and in the mask), as <see cref="MarchingCubes.FromMaskedRange{T}"/>.</summary>
public interface IMaskedMeshingStage
{
    /// <summary>The device the stage runs on.</summary>
    ComputeDevice Device { get; }

    /// <summary>Meshes the voxels of <paramref name="mask"/> whose value lies in [<paramref name="low"/>, <paramref name="high"/>], interpolating on the field.</summary>
    /// <typeparam name="T">The voxel type.</typeparam>
    /// <param name="volume">The field.</param>
    /// <param name="mask">The selected voxels.</param>
    /// <param name="low">Lowest inside value.</param>
    /// <param name="high">Highest inside value.</param>
    /// <param name="context">Threads, progress (stage <c>mesh</c>), cancellation.</param>
    /// <returns>The mesh in patient millimetres.</returns>
    Mesh FromMaskedRange<T>(Volume<T> volume, Mask mask, double low, double high, ComputeContext context)
        where T : unmanaged, INumber<T>;
}
