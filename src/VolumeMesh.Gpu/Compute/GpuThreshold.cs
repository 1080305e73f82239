using System.Numerics;
using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;
using VolumeMesh.Compute.Kernels;
using VolumeMesh.Volumes;

namespace VolumeMesh.Compute;

/// <summary>Threshold segmentation on an ILGPU device: a voxel is inside when low ≤ value ≤ high (inclusive).</summary>
/// <remarks>
/// The volume streams through the device in z-slabs sized from a memory budget, so a volume larger than the device's
/// memory is segmented too. The result equals the managed loop's for every voxel type supported
/// (<see cref="byte"/>, <see cref="sbyte"/>, <see cref="short"/>, <see cref="ushort"/>, <see cref="int"/>, <see cref="uint"/>,
/// <see cref="float"/>, <see cref="double"/>).
/// </remarks>
public static class GpuThreshold
{
    /// <summary>Segments a volume: inside where <paramref name="low"/> ≤ value ≤ <paramref name="high"/>.</summary>
    /// <typeparam name="T">The voxel type.</typeparam>
    /// <param name="device">An ILGPU device.</param>
    /// <param name="volume">The volume.</param>
    /// <param name="low">Lowest inside value (use <see cref="double.NegativeInfinity"/> for none).</param>
    /// <param name="high">Highest inside value (use <see cref="double.PositiveInfinity"/> for none).</param>
    /// <param name="memoryBudgetBytes">Device memory for one slab (voxels and mask); null for a quarter of the device's free memory.</param>
    /// <param name="cancellationToken">Cancels between slabs.</param>
    /// <returns>The mask (1 inside, 0 outside) with the volume's geometry.</returns>
    /// <exception cref="ArgumentException">The device is the managed CPU, or a bound is not a number.</exception>
    /// <exception cref="NotSupportedException">The voxel type is not supported.</exception>
    /// <exception cref="ComputeDeviceException">The device failed; the message names it.</exception>
    public static Mask Apply<T>(ComputeDevice device, Volume<T> volume, double low, double high, long? memoryBudgetBytes = null, CancellationToken cancellationToken = default)
        where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(volume);
        if (!device.IsIlgpu)
        {
            throw new ArgumentException($"{device.Id} is the managed CPU path, not an ILGPU device.", nameof(device));
        }

        if (double.IsNaN(low) || double.IsNaN(high))
        {
            throw new ArgumentException($"The range [{low}, {high}] is not a number.", nameof(low));
        }

        var test = InsideTest.Range(low, high, low, high);
        return volume switch
        {
            Volume<byte> v => Run<byte, ByteReader>(device, v, test, memoryBudgetBytes, cancellationToken),
            Volume<sbyte> v => Run<sbyte, SByteReader>(device, v, test, memoryBudgetBytes, cancellationToken),
            Volume<short> v => Run<short, Int16Reader>(device, v, test, memoryBudgetBytes, cancellationToken),
            Volume<ushort> v => Run<ushort, UInt16Reader>(device, v, test, memoryBudgetBytes, cancellationToken),
            Volume<int> v => Run<int, Int32Reader>(device, v, test, memoryBudgetBytes, cancellationToken),
            Volume<uint> v => Run<uint, UInt32Reader>(device, v, test, memoryBudgetBytes, cancellationToken),
            Volume<float> v => Run<float, SingleReader>(device, v, test, memoryBudgetBytes, cancellationToken),
            Volume<double> v => Run<double, DoubleReader>(device, v, test, memoryBudgetBytes, cancellationToken),
            _ => throw new NotSupportedException($"Voxel type {typeof(T).Name} is not supported by the ILGPU threshold."),
        };
    }

    private static Mask Run<T, TReader>(ComputeDevice device, Volume<T> volume, InsideTest test, long? memoryBudgetBytes, CancellationToken cancellationToken)
        where T : unmanaged
        where TReader : struct, IVoxelReader<T>
    {
        var mask = new Mask(volume.Geometry);
        IlgpuBackend backend = IlgpuBackend.For(device);
        lock (backend.Gate)
        {
            using ScopedAcceleratorBinding binding = backend.Bind();
            var kernel = backend.Kernel(typeof(T), "threshold", a => a.LoadAutoGroupedKernel<Index1D, long, long, InsideTest, ArrayView<T>, ArrayView<byte>>(
                ThresholdKernels.Threshold<T, TReader>));
            long slice = volume.SliceLength;
            long budget = memoryBudgetBytes ?? Math.Max(backend.FreeMemoryBytes() / 4, 1L << 20);
            long planes = Math.Clamp(budget / (slice * (Unsafe.SizeOf<T>() + 1)), 1, volume.SizeZ);
            AcceleratorStream stream = backend.Accelerator.DefaultStream;
            for (long z0 = 0; z0 < volume.SizeZ; z0 += planes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                long count = Math.Min(planes, volume.SizeZ - z0) * slice;
                int start = checked((int)(z0 * slice));
                ArrayView<T> input = backend.Buffer<T>("threshold-input", count);
                ArrayView<byte> output = backend.Buffer<byte>("threshold-output", count);
                int threads = (int)Math.Min(count, backend.LaunchThreads);
                try
                {
                    input.CopyFromCPU(stream, volume.Voxels.AsSpan(start, (int)count));
                    kernel(stream, threads, count, threads, test, input, output);
                    output.CopyToCPU(stream, mask.Voxels.AsSpan(start, (int)count));
                }
                catch (Exception ex) when (IlgpuBackend.IsDeviceFailure(ex))
                {
                    throw backend.Failure("threshold", ex);
                }
            }

            backend.Synchronize();
        }

        return mask;
    }
}
