using System.Numerics;
using VolumeMesh.Execution;
using VolumeMesh.Segmentation;
using VolumeMesh.Volumes;

namespace VolumeMesh.Compute;

/// <summary>The threshold stage: the voxels in an inclusive value range become a mask. Every implementation gives the managed result.</summary>
public interface IThresholdStage
{
    /// <summary>The device the stage runs on.</summary>
    ComputeDevice Device { get; }

    /// <summary>Segments a volume by an inclusive value range (see <see cref="Threshold.Apply{T}"/>).</summary>
    /// <typeparam name="T">The voxel type.</typeparam>
    /// <param name="volume">The volume.</param>
    /// <param name="range">The inclusive range.</param>
    /// <param name="context">Threads, buffers, cancellation.</param>
    /// <returns>The mask (1 inside).</returns>
    Mask Apply<T>(Volume<T> volume, HuRange range, ComputeContext context)
        where T : unmanaged, INumber<T>;
}
