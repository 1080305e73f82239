using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;
using VolumeMesh.Compute.Kernels;
using VolumeMesh.Geometry;
using VolumeMesh.Meshing;
using VolumeMesh.Volumes;

namespace VolumeMesh.Compute;

/// <summary>
/// Marching cubes on an ILGPU device (CUDA, OpenCL or ILGPU's CPU accelerator), equal to the managed CPU path: the same
/// vertices and triangles in the same order, positions equal within float rounding (docs/marching-cubes-contract.md).
/// </summary>
/// <remarks>
/// <para>Data-parallel passes per z-slab: classify every lattice point once into bit rows, count crossings and triangles
/// per 32-cell word by bit operations, scan (ILGPU.Algorithms on GPUs) to number vertices and triangles, compact the
/// active words, then generate only those. Memory is
/// bounded: the volume streams through the device in slabs of cell planes sized from
/// <see cref="GpuMarchingCubesOptions.MemoryBudgetBytes"/>, each slab reading one plane beyond its own so that the ids
/// of the vertices it shares with the next slab are known; work arrays are per slab, output buffers exactly the slab's
/// output.</para>
/// <para>The accelerator and its compiled kernels are created once per device and process and reused; calls on one
/// device are serialised by a lock, so an instance may be used from several threads.</para>
/// <para>Voxel types: <see cref="byte"/>, <see cref="sbyte"/>, <see cref="short"/>, <see cref="ushort"/>, <see cref="int"/>,
/// <see cref="uint"/>, <see cref="float"/> and <see cref="double"/>; others throw <see cref="NotSupportedException"/>.</para>
/// </remarks>
public sealed class GpuMarchingCubes : IMarchingCubesEngine
{
    private readonly GpuMarchingCubesOptions _options;

    /// <summary>Creates the engine for an ILGPU device; the device starts on first use (or <see cref="Warm"/>).</summary>
    /// <param name="device">An ILGPU device (<see cref="ComputeDevice.IsIlgpu"/>).</param>
    /// <param name="options">Options; <see cref="GpuMarchingCubesOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">The device is the managed CPU or an option is out of range.</exception>
    public GpuMarchingCubes(ComputeDevice device, GpuMarchingCubesOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (!device.IsIlgpu)
        {
            throw new ArgumentException($"{device.Id} is the managed CPU path; use {nameof(ManagedMarchingCubesEngine)}.", nameof(device));
        }

        _options = options ?? GpuMarchingCubesOptions.Default;
        if (_options.SlabPlanes is < 1)
        {
            throw new ArgumentException($"{nameof(GpuMarchingCubesOptions.SlabPlanes)} must be at least 1, not {_options.SlabPlanes}.", nameof(options));
        }

        if (_options.MemoryBudgetBytes is <= 0)
        {
            throw new ArgumentException($"{nameof(GpuMarchingCubesOptions.MemoryBudgetBytes)} must be positive, not {_options.MemoryBudgetBytes}.", nameof(options));
        }

        Device = device;
    }

    /// <inheritdoc/>
    public ComputeDevice Device { get; }

    /// <summary>Starts the device and uploads the case table now, so that a failure shows here rather than in the first mesh.</summary>
    /// <exception cref="ComputeDeviceException">The device could not be started.</exception>
    public void Warm()
    {
        IlgpuBackend backend = IlgpuBackend.For(Device);
        lock (backend.Gate)
        {
            using ScopedAcceleratorBinding binding = backend.Bind();
            _ = backend.Table;
        }
    }

    /// <summary>
    /// Frees the device work buffers and page-locked staging this device keeps between calls (they are reused to avoid
    /// allocating per call); compiled kernels stay. The next call allocates again.
    /// </summary>
    public void ReleaseBuffers()
    {
        IlgpuBackend backend = IlgpuBackend.For(Device);
        lock (backend.Gate)
        {
            using ScopedAcceleratorBinding binding = backend.Bind();
            backend.Trim();
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ComputeDeviceException">The device failed; the message names it.</exception>
    /// <exception cref="NotSupportedException">The voxel type is not supported on the device.</exception>
    public Mesh FromIso<T>(Volume<T> volume, double iso, MarchingCubesOptions? options = null, CancellationToken cancellationToken = default)
        where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(volume);
        if (!FieldClassification.TryCeiling(iso, out T threshold))
        {
            return Mesh.Empty;
        }

        var test = InsideTest.Iso(double.CreateTruncating(threshold), iso);
        return Dispatch(volume, test, options, cancellationToken, null);
    }

    /// <inheritdoc/>
    /// <exception cref="ComputeDeviceException">The device failed; the message names it.</exception>
    /// <exception cref="NotSupportedException">The voxel type is not supported on the device.</exception>
    public Mesh FromRange<T>(Volume<T> volume, double low, double high, MarchingCubesOptions? options = null, CancellationToken cancellationToken = default)
        where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(volume);
        if (double.IsNaN(low) || double.IsNaN(high) || low > high)
        {
            throw new ArgumentException($"The range [{low}, {high}] is empty or not a number.", nameof(low));
        }

        if (!FieldClassification.TryCeiling(low, out T lowValue) || !FieldClassification.TryFloor(high, out T highValue) || lowValue > highValue)
        {
            return Mesh.Empty;
        }

        var test = InsideTest.Range(double.CreateTruncating(lowValue), double.CreateTruncating(highValue), low, high);
        return Dispatch(volume, test, options, cancellationToken, null);
    }

    /// <inheritdoc/>
    /// <exception cref="ComputeDeviceException">The device failed; the message names it.</exception>
    public Mesh FromMask(Mask mask, MarchingCubesOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mask);
        return Dispatch(mask.Volume, InsideTest.Mask(), options, cancellationToken, null);
    }

    /// <summary>
    /// Meshes a selected mask of an int16 field on the device, equal to <see cref="MarchingCubes.FromMaskedRange{T}"/>:
    /// the mask and the values are packed into one int32 volume (<see cref="InsideTest.ModeMaskedRange"/>) and streamed
    /// through the device in slabs as any other volume.
    /// </summary>
    internal Mesh FromMaskedRange(Volume<short> volume, Mask mask, double low, double high, int maxDegreeOfParallelism, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(mask);
        if (mask.Voxels.Length != volume.Voxels.Length || mask.Geometry.SizeX != volume.SizeX || mask.Geometry.SizeY != volume.SizeY)
        {
            throw new ArgumentException(
                $"The mask ({mask.Geometry.SizeX}×{mask.Geometry.SizeY}×{mask.Geometry.SizeZ}) does not match the volume ({volume.SizeX}×{volume.SizeY}×{volume.SizeZ}).",
                nameof(mask));
        }

        if (double.IsNaN(low) || double.IsNaN(high) || low > high)
        {
            throw new ArgumentException($"The range [{low}, {high}] is empty or not a number.", nameof(low));
        }

        short[] values = volume.Voxels;
        byte[] selected = mask.Voxels;
        var packed = new int[values.Length];
        int slice = volume.SliceLength;
        Parallel.For(0, volume.SizeZ, Execution.Parallelism.Options(maxDegreeOfParallelism, cancellationToken), k =>
        {
            for (int i = k * slice; i < (k + 1) * slice; i++)
            {
                packed[i] = selected[i] != 0 ? values[i] : values[i] + InsideTest.MaskedOffset;
            }
        });

        return Run<int, Int32Reader>(new Volume<int>(volume.Geometry, packed), InsideTest.MaskedRange(low, high), progress, cancellationToken, null);
    }

    /// <summary>Meshes a masked-range volume already packed on the device (<see cref="InsideTest.ModeMaskedRange"/>); call while holding the backend's gate.</summary>
    internal Mesh FromPackedOnDevice(IlgpuBackend backend, ArrayView<int> packed, VolumeGeometry geometry, double low, double high, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var run = new SlabRun<int, Int32Reader>(backend, geometry, InsideTest.MaskedRange(low, high), PlanSlab(backend, geometry, sizeof(int)), null);
        return run.MeshFromDevice(packed, progress, cancellationToken);
    }

    /// <summary>Meshes [low, high] (iso when high is +∞) with synchronised timings of each step, for benchmarks.</summary>
    internal Mesh Measure<T>(Volume<T> volume, double low, double high, GpuRunStatistics statistics)
        where T : unmanaged, INumber<T>
    {
        if (!FieldClassification.TryCeiling(low, out T lowValue))
        {
            return Mesh.Empty;
        }

        InsideTest test;
        if (double.IsPositiveInfinity(high))
        {
            test = InsideTest.Iso(double.CreateTruncating(lowValue), low);
        }
        else if (FieldClassification.TryFloor(high, out T highValue) && lowValue <= highValue)
        {
            test = InsideTest.Range(double.CreateTruncating(lowValue), double.CreateTruncating(highValue), low, high);
        }
        else
        {
            return Mesh.Empty;
        }

        return Dispatch(volume, test, null, default, statistics);
    }

    /// <summary>The number of cell planes per slab the engine would use for a volume.</summary>
    internal int PlanSlabPlanes(VolumeGeometry geometry, int voxelBytes)
    {
        IlgpuBackend backend = IlgpuBackend.For(Device);
        lock (backend.Gate)
        {
            using ScopedAcceleratorBinding binding = backend.Bind();
            return PlanSlab(backend, geometry, voxelBytes);
        }
    }

    private Mesh Dispatch<T>(Volume<T> volume, InsideTest test, MarchingCubesOptions? options, CancellationToken cancellationToken, GpuRunStatistics? statistics)
        where T : unmanaged
    {
        IProgress<double>? progress = options?.Progress;
        return volume switch
        {
            Volume<byte> v => Run<byte, ByteReader>(v, test, progress, cancellationToken, statistics),
            Volume<sbyte> v => Run<sbyte, SByteReader>(v, test, progress, cancellationToken, statistics),
            Volume<short> v => Run<short, Int16Reader>(v, test, progress, cancellationToken, statistics),
            Volume<ushort> v => Run<ushort, UInt16Reader>(v, test, progress, cancellationToken, statistics),
            Volume<int> v => Run<int, Int32Reader>(v, test, progress, cancellationToken, statistics),
            Volume<uint> v => Run<uint, UInt32Reader>(v, test, progress, cancellationToken, statistics),
            Volume<float> v => Run<float, SingleReader>(v, test, progress, cancellationToken, statistics),
            Volume<double> v => Run<double, DoubleReader>(v, test, progress, cancellationToken, statistics),
            _ => throw new NotSupportedException(
                $"Voxel type {typeof(T).Name} is not supported by the ILGPU marching cubes (byte, sbyte, short, ushort, int, uint, float, double are)."),
        };
    }

    private Mesh Run<T, TReader>(Volume<T> volume, InsideTest test, IProgress<double>? progress, CancellationToken cancellationToken, GpuRunStatistics? statistics)
        where T : unmanaged
        where TReader : struct, IVoxelReader<T>
    {
        IlgpuBackend backend = IlgpuBackend.For(Device);
        lock (backend.Gate)
        {
            using ScopedAcceleratorBinding binding = backend.Bind();
            var run = new SlabRun<T, TReader>(backend, volume.Geometry, test, PlanSlab(backend, volume.Geometry, Unsafe.SizeOf<T>()), statistics);
            return run.Mesh(volume.Voxels, progress, cancellationToken);
        }
    }

    private int PlanSlab(IlgpuBackend backend, VolumeGeometry geometry, int voxelBytes)
    {
        int totalPlanes = geometry.SizeZ + 1;
        int cellsX = geometry.SizeX + 1;
        int rows = geometry.SizeY + 1;
        int wordsPerRow = (cellsX + 31) / 32;
        long cellsPerPlane = (long)cellsX * rows;
        long wordsPerPlane = (long)rows * wordsPerRow;

        // Index limits of the kernels (int32 cell and word indices within a slab).
        long maxByIndex = Math.Min((int.MaxValue / 2) / cellsPerPlane, (int.MaxValue / 4) / (3 * wordsPerPlane)) - 1;
        if (maxByIndex < 1)
        {
            throw new NotSupportedException($"A slice of {geometry.SizeX}×{geometry.SizeY} voxels is too large for the ILGPU marching cubes.");
        }

        long planes;
        if (_options.SlabPlanes is int forced)
        {
            planes = forced;
        }
        else
        {
            long budget = _options.MemoryBudgetBytes ?? DefaultBudget(backend);

            // Per plane: the voxels, one inside bit per lattice point, and 14 int32 per 32-cell word (masks, counts,
            // offsets, triangle counts and offsets, active flags, offsets and list). A third of the budget is left for the output.
            long pointBitsPerPlane = (long)(geometry.SizeY + 2) * ((geometry.SizeX + 2 + 31) / 32) * 4;
            long perPlane = ((long)geometry.SizeX * geometry.SizeY * voxelBytes) + pointBitsPerPlane + (wordsPerPlane * 14 * 4);
            planes = ((budget / 3 * 2) / perPlane) - 2;
        }

        return (int)Math.Clamp(planes, 1, Math.Min(totalPlanes, maxByIndex));
    }

    private static long DefaultBudget(IlgpuBackend backend)
    {
        // The work buffers this backend already holds are reusable, so they count as free.
        long free = backend.FreeMemoryBytes();
        free = free > long.MaxValue - backend.BufferedBytes() ? long.MaxValue : free + backend.BufferedBytes();
        return backend.Accelerator.AcceleratorType switch
        {
            AcceleratorType.Cuda => free / 10 * 7,
            AcceleratorType.CPU => Math.Min(ComputeDevices.ManagedCpu.MemoryBytes / 4, 1L << 30),
            _ => free / 2,
        };
    }
}

/// <summary>Timings of one ILGPU marching-cubes run (milliseconds), for benchmarks; measuring adds synchronisation.</summary>
internal sealed class GpuRunStatistics
{
    public int Slabs { get; set; }

    public double UploadMs { get; set; }

    public double ComputeMs { get; set; }

    public double DownloadMs { get; set; }

    public long Vertices { get; set; }

    public long Triangles { get; set; }
}
