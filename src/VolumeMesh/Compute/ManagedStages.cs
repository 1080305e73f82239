using System.Numerics;
using VolumeMesh.Components;
using VolumeMesh.Execution;
using VolumeMesh.Meshing;
using VolumeMesh.Segmentation;
using VolumeMesh.Volumes;

namespace VolumeMesh.Compute;

/// <summary>The managed CPU implementation of every stage: the oracle, delegating to the static stage classes
/// (<see cref="Threshold"/>, <see cref="ConnectedComponents"/>, <see cref="HoleFilling"/>, <see cref="Morphology"/>,
/// <see cref="MarchingCubes"/>) with the context's threads, progress and cancellation.</summary>
public sealed class ManagedStages : IThresholdStage, IComponentsStage, IHoleFillingStage, IMorphologyStage, IMaskedMeshingStage
{
    /// <summary>The shared instance.</summary>
    public static ManagedStages Instance { get; } = new();

    private ManagedStages()
    {
    }

    /// <inheritdoc cref="IThresholdStage.Device"/>
    public ComputeDevice Device => ComputeDevices.ManagedCpu;

    /// <inheritdoc/>
    public Mask Apply<T>(Volume<T> volume, HuRange range, ComputeContext context)
        where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(context);
        return Threshold.Apply(
            volume, range, new ThresholdOptions { MaxDegreeOfParallelism = context.MaxDegreeOfParallelism, Progress = context.StageProgress("threshold") }, context.CancellationToken);
    }

    /// <inheritdoc/>
    public LabelVolume Label(Mask mask, Connectivity connectivity, ComputeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = new ConnectedComponentsOptions
        {
            Connectivity = connectivity,
            MaxDegreeOfParallelism = context.MaxDegreeOfParallelism,
            Progress = context.StageProgress("label"),
        };
        return ConnectedComponents.Label(mask, options, context.CancellationToken);
    }

    /// <inheritdoc/>
    public SelectedComponents Select(Mask mask, ComponentSelection selection, Connectivity connectivity, ComputeContext context) =>
        SelectFrom(Label(mask, connectivity, context), selection, context);

    /// <inheritdoc/>
    public Mask Fill(Mask mask, HoleFillingOptions? options, ComputeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        options = (options ?? HoleFillingOptions.Default) with
        {
            MaxDegreeOfParallelism = context.MaxDegreeOfParallelism,
            Progress = context.StageProgress("fill holes"),
        };
        return HoleFilling.Fill(mask, options, context.CancellationToken);
    }

    /// <inheritdoc/>
    public Mask Apply(Mask mask, MorphologyOperation operation, double radiusMm, ComputeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = new MorphologyOptions
        {
            MaxDegreeOfParallelism = context.MaxDegreeOfParallelism,
            Progress = context.StageProgress(StageName(operation)),
        };
        return Morphology.Apply(mask, operation, radiusMm, options, context.CancellationToken);
    }

    /// <inheritdoc/>
    public Mesh FromMaskedRange<T>(Volume<T> volume, Mask mask, double low, double high, ComputeContext context)
        where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(context);
        return MarchingCubes.FromMaskedRange(volume, mask, low, high, context.MarchingCubesOptions("mesh"), context.CancellationToken);
    }

    /// <summary>The selection step every backend shares: choose the labels, then build the kept mask on the context's threads.</summary>
    /// <param name="labels">The labels.</param>
    /// <param name="selection">Which components to keep.</param>
    /// <param name="context">Threads and cancellation.</param>
    /// <returns>The kept mask, statistics and labels.</returns>
    public static SelectedComponents SelectFrom(LabelVolume labels, ComponentSelection selection, ComputeContext context)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(context);
        IReadOnlyList<int> kept = ComponentSelector.SelectLabels(labels, selection);
        return new SelectedComponents(labels.CreateMask(kept, context.MaxDegreeOfParallelism), labels.Statistics, kept);
    }

    /// <summary>The progress stage name of a morphology operation.</summary>
    /// <param name="operation">The operation.</param>
    /// <returns><c>open</c>, <c>close</c>, <c>dilate</c> or <c>erode</c>.</returns>
    public static string StageName(MorphologyOperation operation) => operation switch
    {
        MorphologyOperation.Open => "open",
        MorphologyOperation.Close => "close",
        MorphologyOperation.Dilate => "dilate",
        _ => "erode",
    };
}
