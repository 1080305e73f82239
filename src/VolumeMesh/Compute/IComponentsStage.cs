using VolumeMesh.Components;
using VolumeMesh.Execution;
using VolumeMesh.Volumes;

namespace VolumeMesh.Compute;

/// <summary>The labelling and selection stage. Every implementation gives the managed labels, label for label.</summary>
public interface IComponentsStage
{
    /// <summary>The device the labelling runs on.</summary>
    ComputeDevice Device { get; }

    /// <summary>Labels the connected components of a mask (see <see cref="ConnectedComponents.Label(Mask, ConnectedComponentsOptions?, CancellationToken)"/>).</summary>
    /// <param name="mask">The mask.</param>
    /// <param name="connectivity">6, 18 or 26.</param>
    /// <param name="context">Threads, progress (stage <c>label</c>), cancellation.</param>
    /// <returns>The labels, numbered 1..N in the order of each component's first voxel.</returns>
    LabelVolume Label(Mask mask, Connectivity connectivity, ComputeContext context);

    /// <summary>Labels a mask and keeps the selected components.</summary>
    /// <param name="mask">The mask.</param>
    /// <param name="selection">Which components to keep.</param>
    /// <param name="connectivity">6, 18 or 26.</param>
    /// <param name="context">Threads, progress, cancellation.</param>
    /// <returns>The kept mask, every component's statistics and the kept labels.</returns>
    SelectedComponents Select(Mask mask, ComponentSelection selection, Connectivity connectivity, ComputeContext context);
}
