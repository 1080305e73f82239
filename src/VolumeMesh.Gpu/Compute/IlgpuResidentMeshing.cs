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
/// marching cubes of the selected mask run there; the mesh comes back, and for the statistics of the components the
/// int32 labels once (the label choice is made on the host from them).
/// </summary>
internal sealed class IlgpuResidentMeshing(IlgpuBackend backend, GpuMarchingCubes marchingCubes) : IResidentMeshingStage
{
    // Device bytes per voxel: HU (2), two masks (2), the labeller's parents and labels (8), the packed volume (4), with room for the slabs.
    private const int BytesPerVoxel = 16;

    public ComputeDevice Device => backend.Device;

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

            // The statistics come from the labels (they come back once); the kept-label mask is built on the device.
            var host = new int[count];
            labels.CopyToCPU(host);
            var labelVolume = new LabelVolume(geometry, host, found);
            components = labelVolume.Statistics;
            kept = ComponentSelector.SelectLabels(labelVolume, keep);
            var flags = new byte[found + 1];
            foreach (int label in kept)
            {
                flags[label] = 1;
            }

            var keepMask = backend.Kernel(typeof(void), "resident-keep", a => a.LoadAutoGroupedKernel<Index1D, ResidentLaunch, ArrayView<int>, ArrayView<byte>, ArrayView<byte>>(ResidentKernels.KeepMask));
            ArrayView<byte> keepFlags = backend.Buffer<byte>("resident-keep-flags", flags.Length);
            keepFlags.CopyFromCPU(stream, flags);
            keepMask(stream, threads, launch, labels, keepFlags, mask);
            Done("select", "the component statistics come back with the int32 labels and the kept labels are chosen on the host; the kept mask is built on the device");
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
}
