using System.Diagnostics;
using ILGPU;
using ILGPU.Runtime;
using VolumeMesh.Components;
using VolumeMesh.Compute.Kernels;
using VolumeMesh.Execution;
using VolumeMesh.Geometry;
using VolumeMesh.Meshing;
using VolumeMesh.Segmentation;
using VolumeMesh.Volumes;

namespace VolumeMesh.Compute;

/// <summary>
/// The device-resident run on one ILGPU device: the HU volume goes up once; threshold, opening, closing, labelling, the
/// kept-label mask, hole filling (the background labelled, its border flags and the fill on the device), the packing and
/// marching cubes of the selected mask run there; the mesh comes back, and of the labels only the per-component table of
/// the statistics (integer sums and per-slice voxel counts, summed on the device; the label choice is made on the host
/// from it, and a seed selection reads the label rows around the seed).
/// </summary>
internal sealed class IlgpuResidentMeshing(IlgpuBackend backend, GpuMarchingCubes marchingCubes) : IResidentMeshingStage
{
    // Device bytes per voxel: HU (2), two masks (2), the labeller's parents and labels (8), the packed volume (4), with room for the slabs.
    private const int BytesPerVoxel = 16;

    public ComputeDevice Device => backend.Device;

    /// <summary>Bytes the last run copied back to the host besides the mesh (the statistics table, a seed's label rows); tests read it.</summary>
    internal long SelectionBytesDownloaded { get; private set; }

    public ResidentMeshingResult? TryRun(Volume<short> volume, ResidentMeshingRequest request, ComputeContext context)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        long voxels = volume.Voxels.LongLength;
        if (voxels > int.MaxValue / 2)
        {
            return null;
        }

        lock (backend.Gate)
        {
            using ScopedAcceleratorBinding binding = backend.Bind();
            // The work buffers this backend holds are reusable, so they count as free (ILGPU's CPU accelerator reports no real limit).
            long free = backend.FreeMemoryBytes();
            long budget = free > long.MaxValue - backend.BufferedBytes() ? long.MaxValue : free + backend.BufferedBytes();
            if (voxels * BytesPerVoxel > budget / 10 * 8)
            {
                return null;
            }

            return backend.Guard("device-resident pipeline", () => Run(volume, request, context));
        }
    }

    private ResidentMeshingResult Run(Volume<short> volume, ResidentMeshingRequest request, ComputeContext context)
    {
        CancellationToken cancellationToken = context.CancellationToken;
        VolumeGeometry geometry = volume.Geometry;
        int count = volume.Voxels.Length;
        int threads = Math.Clamp(backend.LaunchThreads, 1, Math.Max(1, count));
        var launch = new ResidentLaunch(geometry.SizeX, geometry.SizeY, geometry.SizeZ, count, threads);
        AcceleratorStream stream = backend.Accelerator.DefaultStream;
        var stages = new List<StageReport>();
        SelectionBytesDownloaded = 0;
        string device = Device.Id;
        long start = Stopwatch.GetTimestamp();

        void Done(string stage, string? note = null)
        {
            stream.Synchronize();
            stages.Add(new StageReport(stage, device, Stopwatch.GetElapsedTime(start), note));
            start = Stopwatch.GetTimestamp();
            cancellationToken.ThrowIfCancellationRequested();
        }

        // Threshold: the one upload of the volume.
        var threshold = backend.Kernel(typeof(short), "threshold", a => a.LoadAutoGroupedKernel<Index1D, long, long, InsideTest, ArrayView<short>, ArrayView<byte>>(
            ThresholdKernels.Threshold<short, Int16Reader>));
        ArrayView<short> hu = backend.Buffer<short>("resident-hu", count);
        ArrayView<byte> mask = backend.Buffer<byte>("resident-mask-a", count);
        ArrayView<byte> spare = backend.Buffer<byte>("resident-mask-b", count);
        hu.CopyFromCPU(stream, volume.Voxels);
        HuRange range = request.Range;
        threshold(stream, threads, (long)count, (long)threads, InsideTest.Range(range.Low, range.High, range.Low, range.High), hu, mask);
        Done("threshold");

        var morphology = new MorphologyGpu(backend);
        if (request.OpenMm is double open)
        {
            morphology.RunOnDevice(mask, spare, geometry, dilate: false, open, cancellationToken);
            morphology.RunOnDevice(spare, mask, geometry, dilate: true, open, cancellationToken);
            Done("open");
        }

        if (request.CloseMm is double close)
        {
            morphology.RunOnDevice(mask, spare, geometry, dilate: true, close, cancellationToken);
            morphology.RunOnDevice(spare, mask, geometry, dilate: false, close, cancellationToken);
            Done("close");
        }

        var labeler = new ComponentsGpuLabeler(backend);
        IReadOnlyList<ComponentStatistics> components = [];
        IReadOnlyList<int> kept = [];
        if (request.Keep is ComponentSelection keep)
        {
            (ArrayView<int> labels, int found) = labeler.LabelOnDevice(mask, geometry, new ConnectedComponentsOptions { Connectivity = request.Connectivity }, cancellationToken);
            Done("label");

            // The statistics are summed on the device; only their small table comes back, and the kept labels are chosen on the host.
            (components, kept, byte[] flags) = Select(labels, found, geometry, keep, launch, threads);
            var keepMask = backend.Kernel(typeof(void), "resident-keep", a => a.LoadAutoGroupedKernel<Index1D, ResidentLaunch, ArrayView<int>, ArrayView<byte>, ArrayView<byte>>(ResidentKernels.KeepMask));
            ArrayView<byte> keepFlags = backend.Buffer<byte>("resident-keep-flags", flags.Length);
            keepFlags.CopyFromCPU(stream, flags);
            keepMask(stream, threads, launch, labels, keepFlags, mask);
            Done("select", keep.Mode == ComponentSelectionMode.Seed
                ? "the component statistics are summed on the device and only their table and the label rows around the seed come back; the kept label is chosen on the host; the kept mask is built on the device"
                : "the component statistics are summed on the device and only their table comes back; the kept labels are chosen on the host from it; the kept mask is built on the device");
        }

        if (request.FillHoles)
        {
            var invert = backend.Kernel(typeof(void), "resident-invert", a => a.LoadAutoGroupedKernel<Index1D, ResidentLaunch, ArrayView<byte>, ArrayView<byte>>(ResidentKernels.Invert));
            var borderFlags = backend.Kernel(typeof(void), "resident-border", a => a.LoadAutoGroupedKernel<Index1D, ResidentLaunch, ArrayView<int>, ArrayView<int>>(ResidentKernels.BorderFlags));
            var fill = backend.Kernel(typeof(void), "resident-fill", a => a.LoadAutoGroupedKernel<Index1D, ResidentLaunch, ArrayView<int>, ArrayView<int>, ArrayView<byte>>(ResidentKernels.Fill));
            invert(stream, threads, launch, mask, spare);
            var background = new ConnectedComponentsOptions { Connectivity = HoleFillingOptions.Default.Connectivity.Complement() };
            (ArrayView<int> labels, int found) = labeler.LabelOnDevice(spare, geometry, background, cancellationToken);
            ArrayView<int> touches = backend.Buffer<int>("resident-touches", found + 1L);
            touches.MemSetToZero(stream);
            borderFlags(stream, threads, launch, labels, touches);
            fill(stream, threads, launch, labels, touches, mask);
            Done("fill holes");
        }

        var pack = backend.Kernel(typeof(void), "resident-pack", a => a.LoadAutoGroupedKernel<Index1D, ResidentLaunch, ArrayView<short>, ArrayView<byte>, ArrayView<int>>(ResidentKernels.Pack));
        ArrayView<int> packed = backend.Buffer<int>("resident-packed", count);
        pack(stream, threads, launch, hu, mask, packed);
        Mesh mesh = marchingCubes.FromPackedOnDevice(backend, packed, geometry, range.Low, range.High, context.StageProgress("mesh"), cancellationToken);
        Done("mesh");
        return new ResidentMeshingResult(mesh, components, kept, stages);
    }

    /// <summary>
    /// The component statistics and the kept labels from labels on the device: <see cref="ResidentKernels.ComponentSums"/> and
    /// <see cref="ResidentKernels.SliceCounts"/> sum every component there, only the table comes back, and the statistics are
    /// built from it exactly as <see cref="LabelVolume.Statistics"/> builds them (<see cref="StatisticsBuilder.Create"/>), numbered
    /// in the order of each component's first voxel as every labeller numbers them. The selection runs on the host.
    /// </summary>
    /// <returns>The statistics (index label − 1), the kept labels and, per device label, whether it is kept.</returns>
    private (ComponentStatistics[] Components, IReadOnlyList<int> Kept, byte[] Flags) Select(
        ArrayView<int> labels, int found, VolumeGeometry geometry, ComponentSelection keep, ResidentLaunch launch, int threads)
    {
        if (found > (int.MaxValue / 7) - 1)
        {
            throw new NotSupportedException($"{found:N0} components are more than the device's statistics table indexes ({(int.MaxValue / 7) - 1:N0}).");
        }

        AcceleratorStream stream = backend.Accelerator.DefaultStream;
        int rows = geometry.SizeY * geometry.SizeZ;
        int rowThreads = Math.Clamp(threads, 1, Math.Max(1, rows));
        var rowLaunch = launch with { Threads = rowThreads };
        var componentSums = backend.Kernel(typeof(void), "resident-component-sums", a => a.LoadAutoGroupedKernel<Index1D, ResidentLaunch, ArrayView<int>, ArrayView<long>, ArrayView<int>>(ResidentKernels.ComponentSums));
        var sliceCounts = backend.Kernel(typeof(void), "resident-slice-counts", a => a.LoadAutoGroupedKernel<Index1D, ResidentLaunch, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>>(ResidentKernels.SliceCounts));

        // Integer sums and bounds per device label (index 0 unused).
        var bounds = new int[(found + 1L) * 7];
        for (int label = 0; label <= found; label++)
        {
            bounds.AsSpan(label * 7, 7).Fill(int.MaxValue);
            bounds.AsSpan((label * 7) + 3, 3).Fill(-1);
        }

        ArrayView<long> sumsView = backend.Buffer<long>("resident-component-sums", (found + 1L) * 3);
        ArrayView<int> boundsView = backend.Buffer<int>("resident-component-bounds", bounds.Length);
        sumsView.MemSetToZero(stream);
        boundsView.CopyFromCPU(stream, bounds);
        componentSums(stream, rowThreads, rowLaunch, labels, sumsView, boundsView);
        var sums = new long[sumsView.Length];
        sumsView.CopyToCPU(sums);
        boundsView.CopyToCPU(bounds);

        // Each component spans the slices min k..max k without a gap (it is connected); its voxels per slice come next.
        var sliceStart = new int[found + 1];
        long spans = 0;
        for (int label = 1; label <= found; label++)
        {
            if (sums[label * 3] == 0)
            {
                throw new InvalidOperationException($"Device label {label} has no voxels; the labeller must number 1..{found} without gaps.");
            }

            sliceStart[label] = checked((int)spans);
            spans += bounds[(label * 7) + 5] - bounds[(label * 7) + 2] + 1;
        }

        ArrayView<int> startView = backend.Buffer<int>("resident-slice-start", sliceStart.Length);
        ArrayView<int> countsView = backend.Buffer<int>("resident-slice-counts", Math.Max(1, spans));
        startView.CopyFromCPU(stream, sliceStart);
        countsView.MemSetToZero(stream);
        sliceCounts(stream, rowThreads, rowLaunch, labels, boundsView, startView, countsView);
        var perSlice = new int[countsView.Length];
        countsView.CopyToCPU(perSlice);
        SelectionBytesDownloaded += (sums.LongLength * sizeof(long)) + (bounds.LongLength * sizeof(int)) + (perSlice.LongLength * sizeof(int));

        // Number the components by their first voxel, as every labeller does (the device labeller already does; this makes it a fact here).
        var order = new int[found];
        var firsts = new int[found];
        for (int n = 0; n < found; n++)
        {
            order[n] = n + 1;
            firsts[n] = bounds[((n + 1) * 7) + 6];
        }

        Array.Sort(firsts, order);
        var canonical = new int[found + 1];
        Vector3D[] slicePoints = StatisticsBuilder.SlicePoints(geometry);
        var components = new ComponentStatistics[found];
        Span<double> sliceSum = stackalloc double[3];
        for (int n = 0; n < found; n++)
        {
            int label = order[n];
            canonical[label] = n + 1;
            ReadOnlySpan<int> b = bounds.AsSpan(label * 7, 7);
            sliceSum.Clear();
            for (int k = b[2]; k <= b[5]; k++)
            {
                int voxels = perSlice[sliceStart[label] + k - b[2]];
                if (voxels != 0)
                {
                    StatisticsBuilder.AddSlice(sliceSum, voxels, slicePoints[k]);
                }
            }

            int first = b[6];
            int sliceLength = geometry.SizeX * geometry.SizeY;
            var firstVoxel = new VoxelIndex(first % geometry.SizeX, first % sliceLength / geometry.SizeX, first / sliceLength);
            components[n] = StatisticsBuilder.Create(
                geometry, n + 1, sums[label * 3], sums[(label * 3) + 1], sums[(label * 3) + 2], sliceSum, new VoxelIndex(b[0], b[1], b[2]), new VoxelIndex(b[3], b[4], b[5]), firstVoxel);
        }

        // A seed's label is read back one row at a time (its search walks the rows around it, x fastest).
        int cachedRow = -1;
        int[]? rowLabels = null;
        int LabelAt(int i, int j, int k)
        {
            int row = j + (geometry.SizeY * k);
            if (row != cachedRow)
            {
                rowLabels ??= new int[geometry.SizeX];
                labels.SubView((long)row * geometry.SizeX, geometry.SizeX).CopyToCPU(rowLabels);
                SelectionBytesDownloaded += (long)geometry.SizeX * sizeof(int);
                cachedRow = row;
            }

            return canonical[rowLabels![i]];
        }

        IReadOnlyList<int> kept = ComponentSelector.SelectLabels(components, geometry, LabelAt, keep);
        var flags = new byte[found + 1];
        foreach (int label in kept)
        {
            flags[order[label - 1]] = 1;
        }

        return (components, kept, flags);
    }
}
