using VolumeMesh.Volumes;

namespace VolumeMesh.Components;

/// <summary>3D connected-component labelling of a <see cref="Mask"/> on the managed CPU, and selection of components.</summary>
/// <remarks>
/// Labels are numbered 1..N in the order of each component's first voxel (x fastest, then y, then z); the GPU
/// labeller (in the <c>VolumeMesh.Gpu</c> package) produces identical labels.
/// </remarks>
public static class ConnectedComponents
{
    /// <summary>Labels the connected components of a mask.</summary>
    /// <param name="mask">The mask; non-zero voxels are foreground.</param>
    /// <param name="options">Connectivity, threads and progress; <see cref="ConnectedComponentsOptions.Default"/> when omitted.</param>
    /// <param name="cancellationToken">Cancels the labelling.</param>
    /// <returns>The labels (0 background, 1..N components) with the mask's geometry.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mask"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The connectivity is not 6, 18 or 26.</exception>
    /// <exception cref="OperationCanceledException">The operation was cancelled.</exception>
    public static LabelVolume Label(Mask mask, ConnectedComponentsOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= ConnectedComponentsOptions.Default;
        Execution.Parallelism.Validate(options.MaxDegreeOfParallelism, nameof(ConnectedComponentsOptions.MaxDegreeOfParallelism));
        return RunLabeler.Label(mask, options, null, cancellationToken);
    }

    /// <summary>Labels the connected components of a mask into a caller-provided label array (for example one reused between calls).</summary>
    /// <param name="mask">The mask; non-zero voxels are foreground.</param>
    /// <param name="destination">Receives one label per voxel; its length must equal the mask's voxel count. Every element is overwritten.</param>
    /// <param name="options">Connectivity, threads and progress; <see cref="ConnectedComponentsOptions.Default"/> when omitted.</param>
    /// <param name="cancellationToken">Cancels the labelling.</param>
    /// <returns>The labels, wrapping <paramref name="destination"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> has the wrong length.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The connectivity is not 6, 18 or 26.</exception>
    /// <exception cref="OperationCanceledException">The operation was cancelled.</exception>
    public static LabelVolume Label(Mask mask, int[] destination, ConnectedComponentsOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return RunLabeler.Label(mask, options ?? ConnectedComponentsOptions.Default, destination, cancellationToken);
    }

    /// <summary>Labels a mask and keeps the selected components: the one-call form of <see cref="Label(Mask, ConnectedComponentsOptions?, CancellationToken)"/> and <see cref="ComponentSelector.Select"/>.</summary>
    /// <param name="mask">The mask.</param>
    /// <param name="selection">Which components to keep.</param>
    /// <param name="options">Labelling options.</param>
    /// <param name="cancellationToken">Cancels the labelling.</param>
    /// <returns>A mask of the kept components.</returns>
    /// <exception cref="ArgumentException">The seed is outside the volume or not in (or near) a component; see <see cref="ComponentSelection"/>.</exception>
    /// <exception cref="OperationCanceledException">The operation was cancelled.</exception>
    public static Mask Keep(Mask mask, ComponentSelection selection, ConnectedComponentsOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        LabelVolume labels = Label(mask, options, cancellationToken);
        return ComponentSelector.Select(labels, selection);
    }
}
