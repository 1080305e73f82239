using ILGPU;
using ILGPU.Runtime;
using VolumeMesh.Geometry;
using VolumeMesh.Segmentation;
using VolumeMesh.Volumes;

namespace VolumeMesh.Compute.Kernels;

/// <summary>
/// Dilation, erosion, opening and closing by a ball in mm on an ILGPU accelerator; the result equals
/// <see cref="Morphology.Apply"/> voxel for voxel (same box, windows, float weights and threshold).
/// </summary>
/// <remarks>
/// Each axis is a windowed min-plus pass, so the work per voxel grows with radius ÷ spacing (the managed path switches to
/// the radius-independent parabola envelope for long windows). Device memory: the mask and the result (1 byte each per
/// voxel) and two floats per voxel of the box around the mask. Kernels come from the device's <see cref="IlgpuBackend"/>
/// (compiled once per accelerator), buffers from its pool; call only while holding the backend's gate.
/// </remarks>
internal sealed class MorphologyGpu
{
    private readonly IlgpuBackend _backend;

    /// <summary>Creates the morphology of a device.</summary>
    /// <param name="backend">The device's backend.</param>
    public MorphologyGpu(IlgpuBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        _backend = backend;
    }

    /// <summary>Applies an operation on the accelerator.</summary>
    /// <param name="mask">The mask; it is not modified.</param>
    /// <param name="operation">What to do.</param>
    /// <param name="radiusMm">The ball radius in mm (0 returns a copy).</param>
    /// <param name="parallel">Host threads (for the bounding box) and the token checked between passes.</param>
    /// <returns>A new mask (1 inside), equal to the managed result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mask"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="radiusMm"/> is negative or not finite, or the operation is unknown.</exception>
    /// <exception cref="NotSupportedException">The mask has more than <see cref="int.MaxValue"/> voxels.</exception>
    /// <exception cref="OperationCanceledException">The operation was cancelled.</exception>
    public Mask Apply(Mask mask, MorphologyOperation operation, double radiusMm, ParallelOptions parallel)
    {
        ArgumentNullException.ThrowIfNull(parallel);
        ArgumentNullException.ThrowIfNull(mask);
        if (!(radiusMm >= 0) || !double.IsFinite(radiusMm))
        {
            throw new ArgumentOutOfRangeException(nameof(radiusMm), radiusMm, "The radius must be a finite number of millimetres, at least 0.");
        }

        if (mask.Geometry.VoxelCount > int.MaxValue)
        {
            throw new NotSupportedException($"The GPU morphology handles at most {int.MaxValue} voxels; this mask has {mask.Geometry.VoxelCount}.");
        }

        return operation switch
        {
            MorphologyOperation.Dilate => Run(mask, true, radiusMm, parallel),
            MorphologyOperation.Erode => Run(mask, false, radiusMm, parallel),
            MorphologyOperation.Open => Run(Run(mask, false, radiusMm, parallel), true, radiusMm, parallel),
            MorphologyOperation.Close => Run(Run(mask, true, radiusMm, parallel), false, radiusMm, parallel),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Unknown morphological operation."),
        };
    }

    private Mask Run(Mask mask, bool dilate, double radiusMm, ParallelOptions parallel)
    {
        AcceleratorStream stream = _backend.Accelerator.DefaultStream;
        int count = mask.Voxels.Length;
        ArrayView<byte> maskBuffer = _backend.Buffer<byte>("morph-mask", count);
        ArrayView<byte> result = _backend.Buffer<byte>("morph-result", count);
        maskBuffer.CopyFromCPU(stream, mask.Voxels);
        RunOnDevice(maskBuffer, result, mask.Geometry, dilate, radiusMm, parallel.CancellationToken);
        var voxels = new byte[count];
        result.CopyToCPU(voxels);
        return new Mask(mask.Geometry, voxels);
    }

    /// <summary>Dilates or erodes a mask already on the device into <paramref name="result"/> (a different buffer of the same length).</summary>
    /// <param name="maskBuffer">The mask, one byte per voxel.</param>
    /// <param name="result">Receives the result.</param>
    /// <param name="geometry">The mask's geometry.</param>
    /// <param name="dilate">Dilate, else erode.</param>
    /// <param name="radiusMm">The ball radius in mm.</param>
    /// <param name="cancellationToken">Checked between passes.</param>
    public void RunOnDevice(ArrayView<byte> maskBuffer, ArrayView<byte> result, VolumeGeometry geometry, bool dilate, double radiusMm, CancellationToken cancellationToken)
    {
        AcceleratorStream stream = _backend.Accelerator.DefaultStream;
        int count = checked((int)geometry.VoxelCount);
        result.MemSetToZero(stream);

        // The box around the mask, found on the device; only its six numbers come back.
        var bounds = _backend.Kernel(typeof(void), "resident-bounds", a => a.LoadAutoGroupedKernel<Index1D, ResidentLaunch, ArrayView<byte>, ArrayView<int>>(ResidentKernels.Bounds));
        ArrayView<int> box = _backend.Buffer<int>("morph-bounds", 6);
        box.CopyFromCPU(stream, new[] { int.MaxValue, int.MaxValue, int.MaxValue, -1, -1, -1 });
        int boundsThreads = Math.Clamp(_backend.LaunchThreads, 1, Math.Max(1, count));
        bounds(stream, boundsThreads, new ResidentLaunch(geometry.SizeX, geometry.SizeY, geometry.SizeZ, count, boundsThreads), maskBuffer, box);
        var found = new int[6];
        box.CopyToCPU(found);
        if (found[3] < 0)
        {
            return;
        }

        MorphologyPlan plan = MorphologyPlan.FromBounds(geometry, dilate, radiusMm, (found[0], found[1], found[2], found[3] + 1, found[4] + 1, found[5] + 1));
        int boxCount = checked(plan.Width * plan.Height * plan.Depth);
        int threads = Math.Clamp(_backend.LaunchThreads, 1, boxCount);
        var launch = new MorphologyLaunch(
            geometry.SizeX, geometry.SizeY, plan.X0, plan.Y0, plan.Z0, plan.Width, plan.Height, plan.Depth,
            plan.WindowX, plan.WindowY, plan.WindowZ, (float)plan.Limit, dilate ? 1 : 0, threads);
        var passX = _backend.Kernel(typeof(void), "morph-x", a => a.LoadAutoGroupedKernel<Index1D, MorphologyLaunch, ArrayView<byte>, ArrayView<float>, ArrayView<float>>(MorphologyKernels.PassX));
        var passY = _backend.Kernel(typeof(void), "morph-y", a => a.LoadAutoGroupedKernel<Index1D, MorphologyLaunch, ArrayView<float>, ArrayView<float>, ArrayView<float>>(MorphologyKernels.PassY));
        var passZ = _backend.Kernel(typeof(void), "morph-z", a => a.LoadAutoGroupedKernel<Index1D, MorphologyLaunch, ArrayView<float>, ArrayView<float>, ArrayView<byte>, ArrayView<byte>>(MorphologyKernels.PassZ));
        ArrayView<float> first = _backend.Buffer<float>("morph-first", boxCount);
        ArrayView<float> second = _backend.Buffer<float>("morph-second", boxCount);
        ArrayView<float> weightsX = Upload("morph-weights-x", Weights(plan.WindowX, plan.SpacingX), stream);
        ArrayView<float> weightsY = Upload("morph-weights-y", Weights(plan.WindowY, plan.SpacingY), stream);
        ArrayView<float> weightsZ = Upload("morph-weights-z", Weights(plan.WindowZ, plan.SpacingZ), stream);
        passX(stream, threads, launch, maskBuffer, weightsX, first);
        passY(stream, threads, launch, first, weightsY, second);
        stream.Synchronize();
        cancellationToken.ThrowIfCancellationRequested();
        passZ(stream, threads, launch, second, weightsZ, maskBuffer, result);
        stream.Synchronize();
    }

    private ArrayView<float> Upload(string name, float[] values, AcceleratorStream stream)
    {
        ArrayView<float> view = _backend.Buffer<float>(name, values.Length);
        view.CopyFromCPU(stream, values);
        return view;
    }

    private static float[] Weights(int window, double spacing)
    {
        var weights = new float[window + 1];
        for (int d = 0; d <= window; d++)
        {
            weights[d] = MorphologyPlan.Weight(d, spacing);
        }

        return weights;
    }
}
