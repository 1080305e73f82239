using VolumeMesh.Compute;
using VolumeMesh.Meshing;
using VolumeMesh.Pipeline;

namespace VolumeMesh.Execution;

/// <summary>
/// What travels through every stage of a run (in the spirit of ImageSharp's <c>Configuration</c>): the degree of
/// parallelism (one convention, <see cref="Parallelism"/>), the compute backend and its device, the buffer policy
/// (<see cref="Buffers"/>, a pool private to the context), progress and cancellation. The pipelines, the CLI and the
/// native exports each build one context per run and pass it on; disposing it releases the pooled host buffers and the
/// device's work buffers (compiled kernels stay cached per device and process).
/// </summary>
/// <remarks>A context is used by one run at a time; it is not meant to be shared by concurrent runs.</remarks>
public sealed class ComputeContext : IDisposable
{
    private bool _disposed;

    /// <summary>Creates a context on a backend.</summary>
    /// <param name="backend">The backend; <see cref="ManagedComputeBackend.Instance"/> when null.</param>
    /// <param name="maxDegreeOfParallelism">Threads: a positive count, or −1 (or 0) for every core.</param>
    /// <param name="progress">Receives every stage's progress; none when null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <param name="deviceNote">Why this device was chosen (for <c>auto</c>); null otherwise.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is below −1.</exception>
    public ComputeContext(
        IComputeBackend? backend = null,
        int maxDegreeOfParallelism = Parallelism.AllCores,
        IProgress<PipelineProgress>? progress = null,
        CancellationToken cancellationToken = default,
        string? deviceNote = null)
    {
        Backend = backend ?? ManagedComputeBackend.Instance;
        MaxDegreeOfParallelism = Parallelism.Validate(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        Progress = progress;
        CancellationToken = cancellationToken;
        DeviceNote = deviceNote;
    }

    /// <summary>Threads every stage may use: a positive count, or −1 (or 0) for every core (see <see cref="Parallelism"/>).</summary>
    public int MaxDegreeOfParallelism { get; }

    /// <summary>The number of threads <see cref="MaxDegreeOfParallelism"/> stands for.</summary>
    public int ThreadCount => Parallelism.ThreadCount(MaxDegreeOfParallelism);

    /// <summary>The backend that runs the stages.</summary>
    public IComputeBackend Backend { get; }

    /// <summary>The backend's device.</summary>
    public ComputeDevice Device => Backend.Device;

    /// <summary>For <c>auto</c>: what was chosen and why (e.g. that no GPU exists); null otherwise.</summary>
    public string? DeviceNote { get; }

    /// <summary>Receives every stage's progress; null for none.</summary>
    public IProgress<PipelineProgress>? Progress { get; }

    /// <summary>Cancels the run.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The context's private pool of large host buffers, emptied when the context is disposed.</summary>
    public ComputeBufferPool Buffers { get; } = new();

    /// <summary>
    /// Creates a context for a device name (<c>auto</c>, <c>cpu</c>, <c>cuda</c>, <c>opencl</c>, <c>ilgpu-cpu</c>, <c>cuda:N</c>, …;
    /// see <see cref="ComputeDevices"/>), starting the device now so a failure shows here. An explicitly named device that
    /// is missing or fails throws; only <c>auto</c> falls back to the managed CPU, and says so in <see cref="DeviceNote"/>.
    /// </summary>
    /// <param name="device">The device name.</param>
    /// <param name="maxDegreeOfParallelism">Threads: a positive count, or −1 (or 0) for every core.</param>
    /// <param name="progress">Receives every stage's progress; none when null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The context; dispose it after the run.</returns>
    /// <exception cref="ComputeDeviceException">An explicitly requested device does not exist or could not be started.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is below −1.</exception>
    public static ComputeContext Create(
        string device = "auto", int maxDegreeOfParallelism = Parallelism.AllCores, IProgress<PipelineProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Parallelism.Validate(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        (IComputeBackend backend, string? note) = StartBackend(device);
        return new ComputeContext(backend, maxDegreeOfParallelism, progress, cancellationToken, note);
    }

    /// <summary>A copy of this context's settings with another progress sink and token (the backend is shared; the buffer pool is new).</summary>
    /// <param name="progress">The progress sink.</param>
    /// <param name="cancellationToken">The token.</param>
    /// <returns>A new context; dispose it too.</returns>
    public ComputeContext With(IProgress<PipelineProgress>? progress, CancellationToken cancellationToken) =>
        new(Backend, MaxDegreeOfParallelism, progress, cancellationToken, DeviceNote);

    /// <summary>Parallel options with the context's thread limit and cancellation.</summary>
    /// <returns>The options.</returns>
    public ParallelOptions ParallelOptions() => Parallelism.Options(MaxDegreeOfParallelism, CancellationToken);

    /// <summary>A progress sink reporting one stage's fraction as <see cref="PipelineProgress"/>; null when the context has none.</summary>
    /// <param name="stage">The stage name.</param>
    /// <returns>The sink, or null.</returns>
    public IProgress<double>? StageProgress(string stage) => Progress is null ? null : new StageProgressSink(Progress, stage);

    /// <summary>Marching-cubes options with the context's threads and a progress sink for a stage.</summary>
    /// <param name="stage">The progress stage name.</param>
    /// <returns>The options.</returns>
    public MarchingCubesOptions MarchingCubesOptions(string stage = "mesh") => new()
    {
        MaxDegreeOfParallelism = MaxDegreeOfParallelism,
        Progress = StageProgress(stage),
    };

    /// <summary>Releases the pooled host buffers and the device's work buffers.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Buffers.Release();
        Backend.ReleaseBuffers();
    }

    /// <summary>Selects and starts the backend of a device name; <c>auto</c> falls back to the managed CPU with a note.</summary>
    internal static (IComputeBackend Backend, string? Note) StartBackend(string deviceName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(deviceName);
        bool auto = string.Equals(deviceName.Trim(), "auto", StringComparison.OrdinalIgnoreCase);
        DeviceSelection selection = ComputeDevices.Select(deviceName);
        try
        {
            return (ComputeBackends.Create(selection.Device), selection.Note);
        }
        catch (ComputeDeviceException ex) when (auto)
        {
            return (ManagedComputeBackend.Instance,
                $"auto: {selection.Device.Id} ({selection.Device.Name}) failed to start ({ex.Message}); using the managed CPU path.");
        }
    }

    private sealed class StageProgressSink(IProgress<PipelineProgress> target, string stage) : IProgress<double>
    {
        public void Report(double value) => target.Report(new PipelineProgress(stage, value));
    }
}
