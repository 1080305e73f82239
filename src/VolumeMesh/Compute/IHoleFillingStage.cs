using VolumeMesh.Execution;
using VolumeMesh.Segmentation;
using VolumeMesh.Volumes;

namespace VolumeMesh.Compute;

/// <summary>The hole-filling stage. Every implementation gives the managed result voxel for voxel.</summary>
public interface IHoleFillingStage
{
    /// <summary>The device the stage runs on.</summary>
    ComputeDevice Device { get; }

    /// <summary>Fills enclosed cavities (see <see cref="HoleFilling.Fill"/>).</summary>
    /// <param name="mask">The mask; not modified.</param>
    /// <param name="options">Connectivity and limits (threads and progress come from the context); defaults when null.</param>
    /// <param name="context">Threads, progress (stage <c>fill holes</c>), cancellation.</param>
    /// <returns>A new mask.</returns>
    Mask Fill(Mask mask, HoleFillingOptions? options, ComputeContext context);
}
