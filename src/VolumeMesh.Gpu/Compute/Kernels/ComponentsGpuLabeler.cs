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
/// Kernels come from the device's <see cref="IlgpuBackend"/> (compiled once per accelerator and cached), buffers from its
/// pool (released with the context). Device memory: 9 bytes per voxel (mask, parents, labels) while a call runs; the
/// whole volume must fit. Call only while holding the backend's gate.
/// </remarks>
internal sealed class ComponentsGpuLabeler
{
    // Root numbering walks the volume in this many contiguous chunks, one thread each; a single thread then scans the counts.
    private const int MaxChunks = 4096;

    private readonly IlgpuBackend _backend;

    /// <summary>Creates the labeller of a device.</summary>
    /// <param name="backend">The device's backend.</param>
    /// <param name="launchThreads">Threads per launch; 0 (the default) takes the backend's launch rule (tests vary it).</param>
    public ComponentsGpuLabeler(IlgpuBackend backend, int launchThreads = 0)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentOutOfRangeException.ThrowIfNegative(launchThreads);
        _backend = backend;
        LaunchThreads = launchThreads > 0 ? launchThreads : backend.LaunchThreads;
    }

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
        if (mask.Geometry.VoxelCount > int.MaxValue)
        {
            throw new NotSupportedException($"The GPU labeller handles at most {int.MaxValue} voxels; this mask has {mask.Geometry.VoxelCount}.");
        }

        int count = mask.Voxels.Length;
        ArrayView<byte> maskBuffer = _backend.Buffer<byte>("cc-mask", count);
        maskBuffer.CopyFromCPU(_backend.Accelerator.DefaultStream, mask.Voxels);
        (ArrayView<int> labels, int total) = LabelOnDevice(maskBuffer, mask.Geometry, options, cancellationToken);
        var result = new int[count];
        labels.CopyToCPU(result);
        options?.Progress?.Report(1.0);
        return new LabelVolume(mask.Geometry, result, total);
    }

    /// <summary>Labels a mask already on the device; the labels stay there (in this backend's <c>cc-labels</c> buffer, valid until the next labelling).</summary>
    /// <param name="maskBuffer">The mask on the device, one byte per voxel.</param>
    /// <param name="geometry">Its geometry.</param>
    /// <param name="options">Connectivity and progress; the defaults when null.</param>
    /// <param name="cancellationToken">Checked between kernels.</param>
    /// <returns>The labels on the device and the number of components.</returns>
    public (ArrayView<int> Labels, int Count) LabelOnDevice(ArrayView<byte> maskBuffer, Geometry.VolumeGeometry geometry, ConnectedComponentsOptions? options, CancellationToken cancellationToken)
    {
        options ??= ConnectedComponentsOptions.Default;
        int maxOffsetComponents = options.Connectivity.MaxOffsetComponents();
        int count = checked((int)geometry.VoxelCount);
        int threads = Math.Clamp(LaunchThreads, 1, Math.Max(1, count));
        int chunks = Math.Min(threads, MaxChunks);
        var launch = new ComponentsLaunch(geometry.SizeX, geometry.SizeY, geometry.SizeZ, threads, maxOffsetComponents, chunks);
        AcceleratorStream stream = _backend.Accelerator.DefaultStream;
        IProgress<double>? progress = options.Progress;
        var init = _backend.Kernel(typeof(void), "cc-init", a => a.LoadAutoGroupedKernel<Index1D, ComponentsLaunch, ArrayView<byte>, ArrayView<int>>(ComponentsKernels.Init));
        var merge = _backend.Kernel(typeof(void), "cc-merge", a => a.LoadAutoGroupedKernel<Index1D, ComponentsLaunch, ArrayView<int>>(ComponentsKernels.Merge));
        var compress = _backend.Kernel(typeof(void), "cc-compress", a => a.LoadAutoGroupedKernel<Index1D, ComponentsLaunch, ArrayView<int>>(ComponentsKernels.Compress));
        var countRoots = _backend.Kernel(typeof(void), "cc-count-roots", a => a.LoadAutoGroupedKernel<Index1D, ComponentsLaunch, ArrayView<int>, ArrayView<int>>(ComponentsKernels.CountRoots));
        var scanCounts = _backend.Kernel(typeof(void), "cc-scan-counts", a => a.LoadAutoGroupedKernel<Index1D, int, ArrayView<int>>(ComponentsKernels.ScanCounts));
        var labelRoots = _backend.Kernel(typeof(void), "cc-label-roots", a => a.LoadAutoGroupedKernel<Index1D, ComponentsLaunch, ArrayView<int>, ArrayView<int>, ArrayView<int>>(ComponentsKernels.LabelRoots));
        var labelAll = _backend.Kernel(typeof(void), "cc-label-all", a => a.LoadAutoGroupedKernel<Index1D, ComponentsLaunch, ArrayView<int>, ArrayView<int>>(ComponentsKernels.LabelAll));

        ArrayView<int> parent = _backend.Buffer<int>("cc-parent", count);
        ArrayView<int> labels = _backend.Buffer<int>("cc-labels", count);
        ArrayView<int> counts = _backend.Buffer<int>("cc-counts", chunks + 1);

        init(stream, threads, launch, maskBuffer, parent);
        merge(stream, threads, launch, parent);
        stream.Synchronize();
        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(0.5);

        compress(stream, threads, launch, parent);
        countRoots(stream, chunks, launch, parent, counts);
        scanCounts(stream, 1, chunks, counts);
        labelRoots(stream, chunks, launch, parent, counts, labels);
        labelAll(stream, threads, launch, parent, labels);
        stream.Synchronize();
        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(0.9);

        var total = new int[1];
        counts.SubView(chunks, 1).CopyToCPU(total);
        return (labels, total[0]);
    }
}
