using ILGPU;
using ILGPU.Runtime;
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
/// voxel) and two floats per voxel of the box around the mask. The accelerator is borrowed, not owned; instances are not
/// thread-safe.
/// </remarks>
public sealed class MorphologyGpu
{
    private readonly Action<AcceleratorStream, Index1D, MorphologyLaunch, ArrayView<byte>, ArrayView<float>, ArrayView<float>> _passX;
    private readonly Action<AcceleratorStream, Index1D, MorphologyLaunch, ArrayView<float>, ArrayView<float>, ArrayView<float>> _passY;
    private readonly Action<AcceleratorStream, Index1D, MorphologyLaunch, ArrayView<float>, ArrayView<float>, ArrayView<byte>, ArrayView<byte>> _passZ;

    /// <summary>Compiles the morphology kernels for an accelerator.</summary>
    /// <param name="accelerator">The device to run on.</param>
    /// <param name="launchThreads">Threads per launch (grid-stride); 0 chooses as <see cref="ComponentsGpuLabeler"/> does.</param>
    /// <exception cref="ArgumentNullException"><paramref name="accelerator"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="launchThreads"/> is negative.</exception>
    public MorphologyGpu(Accelerator accelerator, int launchThreads = 0)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        ArgumentOutOfRangeException.ThrowIfNegative(launchThreads);
        Accelerator = accelerator;
        LaunchThreads = launchThreads > 0
            ? launchThreads
            : accelerator.AcceleratorType == AcceleratorType.CPU
                ? Math.Max(accelerator.MaxNumThreads, 16)
                : Math.Max(accelerator.NumMultiprocessors * accelerator.MaxNumThreadsPerMultiprocessor, 1024);
        _passX = accelerator.LoadAutoGroupedKernel<Index1D, MorphologyLaunch, ArrayView<byte>, ArrayView<float>, ArrayView<float>>(MorphologyKernels.PassX);
        _passY = accelerator.LoadAutoGroupedKernel<Index1D, MorphologyLaunch, ArrayView<float>, ArrayView<float>, ArrayView<float>>(MorphologyKernels.PassY);
        _passZ = accelerator.LoadAutoGroupedKernel<Index1D, MorphologyLaunch, ArrayView<float>, ArrayView<float>, ArrayView<byte>, ArrayView<byte>>(MorphologyKernels.PassZ);
    }

    /// <summary>The accelerator the kernels run on.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>Threads per kernel launch.</summary>
    public int LaunchThreads { get; }

    /// <summary>Applies an operation on the accelerator.</summary>
    /// <param name="mask">The mask; it is not modified.</param>
    /// <param name="operation">What to do.</param>
    /// <param name="radiusMm">The ball radius in mm (0 returns a copy).</param>
    /// <param name="cancellationToken">Checked between passes.</param>
    /// <returns>A new mask (1 inside), equal to the managed result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mask"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="radiusMm"/> is negative or not finite, or the operation is unknown.</exception>
    /// <exception cref="NotSupportedException">The mask has more than <see cref="int.MaxValue"/> voxels.</exception>
    /// <exception cref="OperationCanceledException">The operation was cancelled.</exception>
    public Mask Apply(Mask mask, MorphologyOperation operation, double radiusMm, CancellationToken cancellationToken = default)
    {
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
            MorphologyOperation.Dilate => Run(mask, true, radiusMm, cancellationToken),
            MorphologyOperation.Erode => Run(mask, false, radiusMm, cancellationToken),
            MorphologyOperation.Open => Run(Run(mask, false, radiusMm, cancellationToken), true, radiusMm, cancellationToken),
            MorphologyOperation.Close => Run(Run(mask, true, radiusMm, cancellationToken), false, radiusMm, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Unknown morphological operation."),
        };
    }

    private Mask Run(Mask mask, bool dilate, double radiusMm, CancellationToken cancellationToken)
    {
        var parallel = new ParallelOptions { CancellationToken = cancellationToken };
        MorphologyPlan? plan = MorphologyPlan.Create(mask, dilate, radiusMm, parallel);
        if (plan is null)
        {
            return new Mask(mask.Geometry);
        }

        int boxCount = checked(plan.Width * plan.Height * plan.Depth);
        int threads = Math.Clamp(LaunchThreads, 1, boxCount);
        var launch = new MorphologyLaunch(
            mask.Geometry.SizeX, mask.Geometry.SizeY, plan.X0, plan.Y0, plan.Z0, plan.Width, plan.Height, plan.Depth,
            plan.WindowX, plan.WindowY, plan.WindowZ, (float)plan.Limit, dilate ? 1 : 0, threads);

        using MemoryBuffer1D<byte, Stride1D.Dense> maskBuffer = Accelerator.Allocate1D(mask.Voxels);
        using MemoryBuffer1D<byte, Stride1D.Dense> result = Accelerator.Allocate1D<byte>(mask.Voxels.Length);
        using MemoryBuffer1D<float, Stride1D.Dense> first = Accelerator.Allocate1D<float>(boxCount);
        using MemoryBuffer1D<float, Stride1D.Dense> second = Accelerator.Allocate1D<float>(boxCount);
        using MemoryBuffer1D<float, Stride1D.Dense> weightsX = Accelerator.Allocate1D(Weights(plan.WindowX, plan.SpacingX));
        using MemoryBuffer1D<float, Stride1D.Dense> weightsY = Accelerator.Allocate1D(Weights(plan.WindowY, plan.SpacingY));
        using MemoryBuffer1D<float, Stride1D.Dense> weightsZ = Accelerator.Allocate1D(Weights(plan.WindowZ, plan.SpacingZ));
        AcceleratorStream stream = Accelerator.DefaultStream;
        result.View.MemSetToZero(stream);
        _passX(stream, threads, launch, maskBuffer.View, weightsX.View, first.View);
        _passY(stream, threads, launch, first.View, weightsY.View, second.View);
        stream.Synchronize();
        cancellationToken.ThrowIfCancellationRequested();
        _passZ(stream, threads, launch, second.View, weightsZ.View, maskBuffer.View, result.View);
        stream.Synchronize();
        return new Mask(mask.Geometry, result.GetAsArray1D());
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
