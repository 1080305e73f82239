using System.Collections.Concurrent;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Algorithms.ScanReduceOperations;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using VolumeMesh.Compute.Kernels;
using VolumeMesh.Meshing;

namespace VolumeMesh.Compute;

/// <summary>
/// One ILGPU accelerator with its compiled kernels, device tables and reusable work buffers, created once per device
/// and process. Every use takes <see cref="Gate"/>, so the library is safe to call from several threads (calls to one
/// device run one after another; different devices run in parallel).
/// </summary>
internal sealed class IlgpuBackend
{
    private static readonly ConcurrentDictionary<string, Lazy<IlgpuBackend>> s_backends = new(StringComparer.Ordinal);

    private readonly Dictionary<(Type, string), Delegate> _kernels = [];
    private readonly Dictionary<string, int> _compilations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MemoryBuffer> _buffers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IDisposable> _pageLocked = new(StringComparer.Ordinal);
    private AcceleratorStream? _copyStream;
    private Scan<int, Stride1D.Dense, Stride1D.Dense>? _scan;
    private MemoryBuffer1D<byte, Stride1D.Dense>? _table;
    private int _tableStride;

    private IlgpuBackend(ComputeDevice device)
    {
        Device = device;
        try
        {
            Accelerator = ((ILGPU.Runtime.Device)device.Handle!).CreateAccelerator(IlgpuDevices.Context);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new ComputeDeviceException($"Could not start {device.Id} ({device.Name}): {ex.Message}", ex) { Device = device.Id };
        }

        UseLibraryScan = Accelerator.AcceleratorType != AcceleratorType.CPU;

        LaunchThreads = LaunchThreadsFor(Accelerator);
    }

    /// <summary>
    /// The one launch rule of every kernel: grid-stride launches with enough threads to fill a GPU; on ILGPU's CPU
    /// accelerator each launched thread costs about a microsecond, so few threads walk the work there.
    /// </summary>
    /// <param name="accelerator">The accelerator.</param>
    /// <returns>Threads per launch.</returns>
    public static int LaunchThreadsFor(Accelerator accelerator) => accelerator.AcceleratorType == AcceleratorType.CPU
        ? Math.Max(accelerator.MaxNumThreads, 16)
        : Math.Max(accelerator.NumMultiprocessors * accelerator.MaxNumThreadsPerMultiprocessor, 1024);

    /// <summary>How many times each kernel was compiled for this accelerator (name and voxel type); each is compiled once.</summary>
    /// <returns>A snapshot: kernel key → compilations.</returns>
    public IReadOnlyDictionary<string, int> Compilations()
    {
        lock (_compilations)
        {
            return new Dictionary<string, int>(_compilations, StringComparer.Ordinal);
        }
    }

    /// <summary>The device.</summary>
    public ComputeDevice Device { get; }

    /// <summary>The accelerator; use only while holding <see cref="Gate"/>.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>The lock that serialises work on this accelerator.</summary>
    public object Gate { get; } = new();

    /// <summary>Threads per grid-stride launch.</summary>
    public int LaunchThreads { get; }

    /// <summary>The marching-cubes case table on the device: per case, the triangle count then its edge triples.</summary>
    public ArrayView<byte> Table
    {
        get
        {
            EnsureTable();
            return _table!.View;
        }
    }

    /// <summary>Entries per case in <see cref="Table"/>.</summary>
    public int TableStride
    {
        get
        {
            EnsureTable();
            return _tableStride;
        }
    }

    /// <summary>The backend of a device, created on first use.</summary>
    /// <param name="device">An ILGPU device.</param>
    /// <returns>The backend.</returns>
    /// <exception cref="ComputeDeviceException">The accelerator could not be created.</exception>
    public static IlgpuBackend For(ComputeDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (!device.IsIlgpu || device.Handle is not ILGPU.Runtime.Device)
        {
            throw new ArgumentException($"{device.Id} is the managed CPU path, not an ILGPU device.", nameof(device));
        }

        Lazy<IlgpuBackend> lazy = s_backends.GetOrAdd(device.Id, _ => new Lazy<IlgpuBackend>(() => new IlgpuBackend(device)));
        try
        {
            return lazy.Value;
        }
        catch (ComputeDeviceException)
        {
            // Let a later call try again rather than caching the failure.
            s_backends.TryRemove(new KeyValuePair<string, Lazy<IlgpuBackend>>(device.Id, lazy));
            throw;
        }
    }

    /// <summary>
    /// Makes the accelerator current on this thread until the binding is disposed (CUDA contexts are per thread, and
    /// calls come from any thread); take it right after <see cref="Gate"/>.
    /// </summary>
    /// <returns>The binding; dispose it to restore the thread's previous accelerator.</returns>
    public ScopedAcceleratorBinding Bind() => Accelerator.BindScoped();

    /// <summary>Free device memory in bytes, as the driver reports it (CUDA), else the device's memory size.</summary>
    /// <returns>Bytes.</returns>
    public long FreeMemoryBytes() => Accelerator is CudaAccelerator cuda ? cuda.GetFreeMemory() : Accelerator.MemorySize;

    /// <summary>A kernel, compiled on first use for this accelerator and cached.</summary>
    /// <typeparam name="TDelegate">The launcher's delegate type.</typeparam>
    /// <param name="type">The voxel type it is specialised for (or <see langword="void"/>).</param>
    /// <param name="name">The kernel's name.</param>
    /// <param name="load">Loads it.</param>
    /// <returns>The launcher.</returns>
    public TDelegate Kernel<TDelegate>(Type type, string name, Func<Accelerator, TDelegate> load)
        where TDelegate : Delegate
    {
        if (!_kernels.TryGetValue((type, name), out Delegate? kernel))
        {
            kernel = Guard(name, () => load(Accelerator));
            _kernels.Add((type, name), kernel);
            CountCompilation($"{name}<{type.Name}>");
        }

        return (TDelegate)kernel;
    }

    /// <summary>
    /// Whether <see cref="ExclusiveScan"/> uses ILGPU.Algorithms' scan (the default on GPUs) or the tiled scan of
    /// <see cref="ScanKernels"/> (the default on ILGPU's CPU accelerator, where the library's single-pass scan is slow).
    /// Both give the same sums; change it only while holding <see cref="Gate"/>.
    /// </summary>
    public bool UseLibraryScan { get; set; }

    /// <summary>Exclusive prefix sum of int32 values, with its temporary storage.</summary>
    /// <param name="input">The values.</param>
    /// <param name="output">The exclusive sums.</param>
    public void ExclusiveScan(ArrayView<int> input, ArrayView<int> output)
    {
        AcceleratorStream stream = Accelerator.DefaultStream;
        if (UseLibraryScan)
        {
            if (_scan is null)
            {
                _scan = Guard("scan", () => Accelerator.CreateScan<int, Stride1D.Dense, Stride1D.Dense, AddInt32>(ScanKind.Exclusive));
                CountCompilation("library-scan");
            }

            long temp = Accelerator.ComputeScanTempStorageSize<int>(input.Length);
            ArrayView<int> tempView = Buffer<int>("scan-temp", Math.Max(temp, 1));
            _scan(stream, input, output, tempView);
            return;
        }

        var tileSums = Kernel(typeof(void), "scan-tile-sums", a => a.LoadAutoGroupedKernel<Index1D, int, int, ArrayView<int>, ArrayView<int>>(ScanKernels.TileSums));
        var scanSums = Kernel(typeof(void), "scan-sums", a => a.LoadAutoGroupedKernel<Index1D, int, ArrayView<int>>(ScanKernels.ScanTileSums));
        var scanTiles = Kernel(typeof(void), "scan-tiles", a => a.LoadAutoGroupedKernel<Index1D, int, int, ArrayView<int>, ArrayView<int>, ArrayView<int>>(ScanKernels.ScanTiles));
        int count = checked((int)input.Length);
        int tiles = (int)Math.Clamp((count + 63L) / 64, 1, LaunchThreads);
        int tileSize = (count + tiles - 1) / tiles;
        tiles = Math.Max(1, (count + tileSize - 1) / tileSize);
        ArrayView<int> sums = Buffer<int>("scan-sums", tiles);
        tileSums(stream, tiles, count, tileSize, input, sums);
        scanSums(stream, 1, tiles, sums);
        scanTiles(stream, tiles, count, tileSize, input, sums, output);
    }

    /// <summary>A reusable device buffer of at least <paramref name="length"/> elements (grown, never shrunk, until <see cref="Trim"/>).</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="name">The buffer's role.</param>
    /// <param name="length">Elements needed.</param>
    /// <returns>A view of exactly <paramref name="length"/> elements.</returns>
    public ArrayView<T> Buffer<T>(string name, long length)
        where T : unmanaged
    {
        length = Math.Max(length, 1);
        if (_buffers.TryGetValue(name, out MemoryBuffer? existing) && existing is MemoryBuffer1D<T, Stride1D.Dense> typed && typed.Length >= length)
        {
            return typed.View.SubView(0, length);
        }

        existing?.Dispose();
        _buffers.Remove(name);
        long capacity = length + (length / 8);
        MemoryBuffer1D<T, Stride1D.Dense> buffer;
        try
        {
            buffer = Accelerator.Allocate1D<T>(capacity);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new ComputeDeviceException(
                $"{Device.Id} ({Device.Name}) could not allocate {capacity * System.Runtime.CompilerServices.Unsafe.SizeOf<T>():N0} bytes for '{name}': {ex.Message}", ex)
            { Device = Device.Id };
        }

        _buffers[name] = buffer;
        return buffer.View.SubView(0, length);
    }

    /// <summary>A second stream for uploads that overlap kernels on the default stream.</summary>
    public AcceleratorStream CopyStream => _copyStream ??= Guard("create stream", () => Accelerator.CreateStream());

    /// <summary>A reusable page-locked host array of at least <paramref name="length"/> elements, for asynchronous copies.</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="name">The array's role.</param>
    /// <param name="length">Elements needed.</param>
    /// <returns>The array (possibly longer than asked).</returns>
    public PageLockedArray1D<T> PageLocked<T>(string name, long length)
        where T : unmanaged
    {
        length = Math.Max(length, 1);
        if (_pageLocked.TryGetValue(name, out IDisposable? existing) && existing is PageLockedArray1D<T> typed && typed.Length >= length)
        {
            return typed;
        }

        existing?.Dispose();
        _pageLocked.Remove(name);
        PageLockedArray1D<T> array = Guard("page-locked allocation", () => Accelerator.AllocatePageLocked1D<T>(length));
        _pageLocked[name] = array;
        return array;
    }

    /// <summary>Bytes held in work buffers.</summary>
    /// <returns>Bytes.</returns>
    public long BufferedBytes()
    {
        long total = 0;
        foreach (MemoryBuffer buffer in _buffers.Values)
        {
            total += buffer.LengthInBytes;
        }

        return total;
    }

    /// <summary>Frees the work buffers (the kernels and tables stay).</summary>
    public void Trim()
    {
        foreach (MemoryBuffer buffer in _buffers.Values)
        {
            buffer.Dispose();
        }

        _buffers.Clear();
        foreach (IDisposable array in _pageLocked.Values)
        {
            array.Dispose();
        }

        _pageLocked.Clear();
    }

    /// <summary>Waits for the accelerator, turning a device failure into a <see cref="ComputeDeviceException"/> naming the device.</summary>
    public void Synchronize() => Guard("synchronize", () =>
    {
        Accelerator.Synchronize();
        return 0;
    });

    /// <summary>Runs device work, turning a driver or compiler failure into a <see cref="ComputeDeviceException"/> naming the device.</summary>
    /// <typeparam name="TResult">Result type.</typeparam>
    /// <param name="what">What was being done.</param>
    /// <param name="action">The work.</param>
    /// <returns>Its result.</returns>
    public TResult Guard<TResult>(string what, Func<TResult> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (IsDeviceFailure(ex))
        {
            throw Failure(what, ex);
        }
    }

    /// <summary>Whether an exception from device work should become a <see cref="ComputeDeviceException"/>.</summary>
    /// <param name="ex">The exception.</param>
    /// <returns>True for driver and compiler failures.</returns>
    public static bool IsDeviceFailure(Exception ex) =>
        ex is not (OutOfMemoryException or OperationCanceledException or ComputeDeviceException or ArgumentException or NotSupportedException or InvalidOperationException);

    /// <summary>The exception for a device failure, naming the device.</summary>
    /// <param name="what">What was being done.</param>
    /// <param name="ex">The failure.</param>
    /// <returns>The exception to throw.</returns>
    public ComputeDeviceException Failure(string what, Exception ex) =>
        new($"{Device.Id} ({Device.Name}) failed in '{what}': {ex.Message}", ex) { Device = Device.Id };

    private void CountCompilation(string key)
    {
        lock (_compilations)
        {
            _compilations[key] = _compilations.GetValueOrDefault(key) + 1;
        }
    }

    private void EnsureTable()
    {
        if (_table is not null)
        {
            return;
        }

        byte[] counts = MarchingCubesTables.TriangleCounts;
        int[] offsets = MarchingCubesTables.CaseOffsets;
        byte[] edges = MarchingCubesTables.TriangleEdges;
        int max = 0;
        foreach (byte count in counts)
        {
            max = Math.Max(max, count);
        }

        int stride = 1 + (3 * max);
        var table = new byte[256 * stride];
        for (int c = 0; c < 256; c++)
        {
            table[c * stride] = counts[c];
            edges.AsSpan(offsets[c], offsets[c + 1] - offsets[c]).CopyTo(table.AsSpan((c * stride) + 1));
        }

        _table = Guard("table upload", () =>
        {
            MemoryBuffer1D<byte, Stride1D.Dense> buffer = Accelerator.Allocate1D<byte>(table.Length);
            buffer.View.CopyFromCPU(table);
            return buffer;
        });
        _tableStride = stride;
    }
}
