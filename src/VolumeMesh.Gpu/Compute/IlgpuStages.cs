using System.Numerics;
using ILGPU.Runtime;
using VolumeMesh.Components;
using VolumeMesh.Compute.Kernels;
using VolumeMesh.Execution;
using VolumeMesh.Segmentation;
using VolumeMesh.Volumes;

namespace VolumeMesh.Compute;

/// <summary>
/// The ILGPU implementation of the mask stages on one device: threshold, labelling and selection, hole filling (the
/// background labelled on the device) and morphology. Each equals the managed stage voxel for voxel (label for label).
/// </summary>
internal sealed class IlgpuStages : IThresholdStage, IComponentsStage, IHoleFillingStage, IMorphologyStage
{
    private readonly IlgpuBackend _backend;

    public IlgpuStages(IlgpuBackend backend)
    {
        _backend = backend;
    }

    public ComputeDevice Device => _backend.Device;

    public Mask Apply<T>(Volume<T> volume, HuRange range, ComputeContext context)
        where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(context);
        IProgress<double>? progress = context.StageProgress("threshold");
        Mask mask = GpuThreshold.Apply(Device, volume, range.Low, range.High, null, context.CancellationToken);
        progress?.Report(1.0);
        return mask;
    }

    public LabelVolume Label(Mask mask, Connectivity connectivity, ComputeContext context)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(context);
        var options = new ConnectedComponentsOptions { Connectivity = connectivity, Progress = context.StageProgress("label") };
        return Run("label components", () => new ComponentsGpuLabeler(_backend).Label(mask, options, context.CancellationToken));
    }

    public SelectedComponents Select(Mask mask, ComponentSelection selection, Connectivity connectivity, ComputeContext context) =>
        ManagedStages.SelectFrom(Label(mask, connectivity, context), selection, context);

    public Mask Fill(Mask mask, HoleFillingOptions? options, ComputeContext context)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(context);
        options ??= HoleFillingOptions.Default;
        if (!(options.MaximumHoleVolumeMm3 >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaximumHoleVolumeMm3, "The maximum hole volume must be at least 0 mm³.");
        }

        // The background, labelled on the device with the complement connectivity; a background component that reaches
        // no face of the volume is a cavity (as HoleFilling.Fill decides it).
        byte[] source = mask.Voxels;
        var background = new Mask(mask.Geometry);
        byte[] inverted = background.Voxels;
        int slice = mask.Geometry.SizeX * mask.Geometry.SizeY;
        ParallelOptions parallel = context.ParallelOptions();
        Parallel.For(0, mask.Geometry.SizeZ, parallel, k =>
        {
            for (int i = k * slice; i < (k + 1) * slice; i++)
            {
                inverted[i] = source[i] == 0 ? (byte)1 : (byte)0;
            }
        });

        IProgress<double>? progress = context.StageProgress("fill holes");
        var labelOptions = new ConnectedComponentsOptions { Connectivity = options.Connectivity.Complement() };
        LabelVolume labels = Run("label background", () => new ComponentsGpuLabeler(_backend).Label(background, labelOptions, context.CancellationToken));
        progress?.Report(0.6);
        var fill = new bool[labels.ComponentCount + 1];
        foreach (ComponentStatistics component in labels.Statistics)
        {
            fill[component.Label] = !component.TouchesBorder(mask.Geometry) && component.VolumeMm3 <= options.MaximumHoleVolumeMm3;
        }

        int[] label = labels.Labels;
        var result = new byte[source.Length];
        Parallel.For(0, mask.Geometry.SizeZ, parallel, k =>
        {
            for (int i = k * slice; i < (k + 1) * slice; i++)
            {
                result[i] = source[i] != 0 || fill[label[i]] ? (byte)1 : (byte)0;
            }
        });

        progress?.Report(1.0);
        return new Mask(mask.Geometry, result);
    }

    public Mask Apply(Mask mask, MorphologyOperation operation, double radiusMm, ComputeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        IProgress<double>? progress = context.StageProgress(ManagedStages.StageName(operation));
        Mask result = Run("morphology", () => new MorphologyGpu(_backend).Apply(mask, operation, radiusMm, context.ParallelOptions()));
        progress?.Report(1.0);
        return result;
    }

    private TResult Run<TResult>(string what, Func<TResult> work)
    {
        lock (_backend.Gate)
        {
            using ScopedAcceleratorBinding binding = _backend.Bind();
            return _backend.Guard(what, work);
        }
    }
}
