namespace VolumeMesh.Processing;

/// <summary>
/// An order in which <see cref="QuadricDecimator"/> tries its collapses (<see cref="QueueScheduler"/>,
/// <see cref="SlabPassScheduler"/>); the decimator tells it what each collapse changed.
/// </summary>
internal interface ICollapseScheduler
{
    /// <summary>Collapses until at most <paramref name="targetTriangles"/> remain or none is valid.</summary>
    DecimationStopReason Run(int targetTriangles, IProgress<double>? progress, CancellationToken cancellationToken);

    /// <summary>r was collapsed into s, whose new fan is in place; <paramref name="stamp"/> is a fresh mark of the sweep, already on s.</summary>
    void Collapsed(CollapseSweep sweep, int s, int r, int stamp);

    /// <summary>The error bound refused collapsing a's edge to b.</summary>
    void RefusedByErrorBound(int a, int b);
}
