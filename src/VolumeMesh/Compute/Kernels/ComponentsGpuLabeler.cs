using ILGPU;
using ILGPU.Runtime;
using VolumeMesh.Components;
using VolumeMesh.Volumes;

namespace VolumeMesh.Compute.Kernels;

/// <summary>
/// Connected-component labelling on an ILGPU accelerator (CUDA, OpenCL or the CPU accelerator). The labels equal
/// those of <see cref="ConnectedComponents.Label(Mask, ConnectedComponentsOptions?, CancellationToken)"/>, label for label.
/// </summary>
/// <remarks>
/// The accelerator is borrowed, not owned: dispose it yourself after this labeller. Kernels are compiled once per
/// instance. Device memory: 9 bytes per voxel (mask, parents, labels) while a call runs; the whole volume must fit.
/// Instances are not thread-safe.
/// </remarks>
public sealed class ComponentsGpuLabeler
{
    // Root numbering walks the volume in this many contiguous chunks, one thread each; a single thread then scans the counts.
    private const int MaxChunks = 4096;

    private readonly Action<AcceleratorStream, Index1D, ComponentsLaunch, ArrayView<byte>, ArrayView<int>> _init;
    private readonly Action<AcceleratorStream, Index1D, ComponentsLaunch, ArrayView<int>> _merge;
    private readonly Action<AcceleratorStream, Index1D, ComponentsLaunch, ArrayView<int>> _compress;
    private readonly Action<AcceleratorStream, Index1D, ComponentsLaunch, ArrayView<int>, ArrayView<int>> _countRoots;
    private readonly Action<AcceleratorStream, Index1D, int, ArrayView<int>> _scanCounts;
    private readonly Action<AcceleratorStream, Index1D, ComponentsLaunch, ArrayView<int>, ArrayView<int>, ArrayView<int>> _labelRoots;
    private readonly Action<AcceleratorStream, Index1D, ComponentsLaunch, ArrayView<int>, ArrayView<int>> _labelAll;

    /// <summary>Compiles the labelling kernels for an accelerator.</summary>
    /// <param name="accelerator">The device to run on.</param>
    /// <param name="launchThreads">Threads per launch (each walks the volume with a grid stride); 0 chooses: the accelerator's
    /// maximum for the CPU accelerator (where a thread costs about a microsecond), else enough to fill every multiprocessor.</param>
    /// <exception cref="ArgumentNullException"><paramref name="accelerator"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="launchThreads"/> is negative.</exception>
    public ComponentsGpuLabeler(Accelerator accelerator, int launchThreads = 0)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        ArgumentOutOfRangeException.ThrowIfNegative(launchThreads);
        Accelerator = accelerator;
        LaunchThreads = launchThreads > 0
            ? launchThreads
            : accelerator.AcceleratorType == AcceleratorType.CPU
                ? Math.Max(accelerator.MaxNumThreads, 16)
                : Math.Max(accelerator.NumMultiprocessors * accelerator.MaxNumThreadsPerMultiprocessor, 1024);
        _init = accelerator.LoadAutoGroupedKernel<Index1D, ComponentsLaunch, ArrayView<byte>, ArrayView<int>>(ComponentsKernels.Init);
        _merge = accelerator.LoadAutoGroupedKernel<Index1D, ComponentsLaunch, ArrayView<int>>(ComponentsKernels.Merge);
        _compress = accelerator.LoadAutoGroupedKernel<Index1D, ComponentsLaunch, ArrayView<int>>(ComponentsKernels.Compress);
        _countRoots = accelerator.LoadAutoGroupedKernel<Index1D, ComponentsLaunch, ArrayView<int>, ArrayView<int>>(ComponentsKernels.CountRoots);
        _scanCounts = accelerator.LoadAutoGroupedKernel<Index1D, int, ArrayView<int>>(ComponentsKernels.ScanCounts);
        _labelRoots = accelerator.LoadAutoGroupedKernel<Index1D, ComponentsLaunch, ArrayView<int>, ArrayView<int>, ArrayView<int>>(ComponentsKernels.LabelRoots);
        _labelAll = accelerator.LoadAutoGroupedKernel<Index1D, ComponentsLaunch, ArrayView<int>, ArrayView<int>>(ComponentsKernels.LabelAll);
    }

    /// <summary>The accelerator the kernels run on.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>Threads per kernel launch.</summary>
    public int LaunchThreads { get; }

    /// <summary>Labels the connected components of a mask on the accelerator.</summary>
    /// <param name="mask">The mask; non-zero voxels are foreground.</param>
    /// <param name="options">Connectivity (threads are ignored; progress is reported per kernel); <see cref="ConnectedComponentsOptions.Default"/> when omitted.</param>
    /// <param name="cancellationToken">Checked between kernels.</param>
    /// <returns>The labels, numbered 1..N in the order of each component's first voxel, as on the CPU.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mask"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The connectivity is not 6, 18 or 26.</exception>
    /// <exception cref="NotSupportedException">The mask has more than <see cref="int.MaxValue"/> voxels.</exception>
    /// <exception cref="OperationCanceledException">The operation was cancelled.</exception>
    public LabelVolume Label(Mask mask, ConnectedComponentsOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mask);
        options ??= ConnectedComponentsOptions.Default;
        int maxOffsetComponents = options.Connectivity.MaxOffsetComponents();
        if (mask.Geometry.VoxelCount > int.MaxValue)
        {
            throw new NotSupportedException($"The GPU labeller handles at most {int.MaxValue} voxels; this mask has {mask.Geometry.VoxelCount}.");
        }

        int count = mask.Voxels.Length;
        int threads = Math.Clamp(LaunchThreads, 1, Math.Max(1, count));
        int chunks = Math.Min(threads, MaxChunks);
        var launch = new ComponentsLaunch(mask.Geometry.SizeX, mask.Geometry.SizeY, mask.Geometry.SizeZ, threads, maxOffsetComponents, chunks);
        AcceleratorStream stream = Accelerator.DefaultStream;
        IProgress<double>? progress = options.Progress;

        using MemoryBuffer1D<byte, Stride1D.Dense> maskBuffer = Accelerator.Allocate1D(mask.Voxels);
        using MemoryBuffer1D<int, Stride1D.Dense> parent = Accelerator.Allocate1D<int>(count);
        using MemoryBuffer1D<int, Stride1D.Dense> labels = Accelerator.Allocate1D<int>(count);
        using MemoryBuffer1D<int, Stride1D.Dense> counts = Accelerator.Allocate1D<int>(chunks + 1);

        _init(stream, threads, launch, maskBuffer.View, parent.View);
        _merge(stream, threads, launch, parent.View);
        stream.Synchronize();
        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(0.5);

        _compress(stream, threads, launch, parent.View);
        _countRoots(stream, chunks, launch, parent.View, counts.View);
        _scanCounts(stream, 1, chunks, counts.View);
        _labelRoots(stream, chunks, launch, parent.View, counts.View, labels.View);
        _labelAll(stream, threads, launch, parent.View, labels.View);
        stream.Synchronize();
        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(0.9);

        var total = new int[1];
        counts.View.SubView(chunks, 1).CopyToCPU(total);
        int[] result = labels.GetAsArray1D();
        progress?.Report(1.0);
        return new LabelVolume(mask.Geometry, result, total[0]);
    }
}
