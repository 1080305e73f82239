using System.Globalization;

namespace VolumeMesh.Compute;

/// <summary>A device that can run the meshing kernels: the managed CPU, ILGPU's CPU accelerator, a CUDA or an OpenCL device.</summary>
/// <remarks>Obtain instances from <see cref="ComputeDevices.List"/> or <see cref="ComputeDevices.Get(string)"/>.</remarks>
public sealed class ComputeDevice
{
    internal ComputeDevice(
        ComputeDeviceKind kind, string id, string name, long memoryBytes, object? handle, string? limitation = null, IComputeBackendProvider? provider = null)
    {
        Provider = provider;
        Limitation = limitation;
        Kind = kind;
        Id = id;
        Name = name;
        MemoryBytes = memoryBytes;
        Handle = handle;
    }

    /// <summary>The kind of device.</summary>
    public ComputeDeviceKind Kind { get; }

    /// <summary>The identifier accepted by <see cref="ComputeDevices.Get(string)"/>: <c>cpu</c>, <c>ilgpu-cpu</c>, <c>cuda:N</c> or <c>opencl:N</c>.</summary>
    public string Id { get; }

    /// <summary>The device's name as its driver reports it.</summary>
    public string Name { get; }

    /// <summary>The device's memory in bytes (for the managed CPU, the memory available to the process).</summary>
    public long MemoryBytes { get; }

    /// <summary>
    /// Null for a device ILGPU supports; otherwise why it may not work (an OpenCL device without OpenCL 2.0's generic
    /// address space, which ILGPU requires). Such a device is listed and may be asked for explicitly, where starting it
    /// fails with a <see cref="ComputeDeviceException"/>; <c>auto</c> never chooses it.
    /// </summary>
    public string? Limitation { get; }

    /// <summary>Whether ILGPU supports the device (<see cref="Limitation"/> is null).</summary>
    public bool IsSupported => Limitation is null;

    /// <summary>Whether the device runs the ILGPU kernels (every kind except <see cref="ComputeDeviceKind.Cpu"/>).</summary>
    public bool IsIlgpu => Kind != ComputeDeviceKind.Cpu;

    /// <summary>The provider's own handle of the device (an ILGPU <c>Device</c> for the ILGPU devices); null for the managed CPU.</summary>
    internal object? Handle { get; }

    /// <summary>The provider that starts the device; null for the managed CPU.</summary>
    internal IComputeBackendProvider? Provider { get; }

    /// <inheritdoc/>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture, $"{Id} ({Kind}): {Name}, {MemoryBytes / (1024.0 * 1024 * 1024):F1} GiB{(Limitation is null ? string.Empty : $" [{Limitation}]")}");
}
