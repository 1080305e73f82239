using VolumeMesh.Execution;
using VolumeMesh.Segmentation;
using VolumeMesh.Volumes;

namespace VolumeMesh.Compute;

/// <summary>The morphology stage (dilate, erode, open, close by a ball in mm). Every implementation gives the managed result voxel for voxel.</summary>
public interface IMorphologyStage
{
    /// <summary>The device the stage runs on.</summary>
    ComputeDevice Device { get; }

    /// <summary>Applies an operation (see <see cref="Morphology.Apply"/>).</summary>
    /// <param name="mask">The mask; not modified.</param>
    /// <param name="operation">What to do.</param>
    /// <param name="radiusMm">The ball radius in mm.</param>
    /// <param name="context">Threads, progress, cancellation.</param>
    /// <returns>A new mask.</returns>
    Mask Apply(Mask mask, MorphologyOperation operation, double radiusMm, ComputeContext context);
}
