using System.Globalization;
using ILGPU.Runtime;

namespace VolumeMesh.Compute;

/// <summary>A device that can run the meshing kernels: the managed CPU, ILGPU's CPU accelerator, a CUDA or an OpenCL device.</summary>
/// <remarks>Obtain instances from <see cref="ComputeDevices.List"/> or <see cref="ComputeDevices.Get(string)"/>.</remarks>
public sealed class ComputeDevice
{
    internal ComputeDevice(ComputeDeviceKind kind, string id, string name, long memoryBytes, Device? ilgpuDevice, string? limitation = null)
    {
        Limitation = limitation;
        Kind = kind;
        Id = id;
        Name = name;
        MemoryBytes = memoryBytes;
        IlgpuDevice = ilgpuDevice;
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
    public bool IsIlgpu => IlgpuDevice is not null;

    internal Device? IlgpuDevice { get; }

    /// <inheritdoc/>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture, $"{Id} ({Kind}): {Name}, {MemoryBytes / (1024.0 * 1024 * 1024):F1} GiB{(Limitation is null ? string.Empty : $" [{Limitation}]")}");
}
