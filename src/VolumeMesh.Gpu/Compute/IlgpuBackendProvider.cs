namespace VolumeMesh.Compute;

/// <summary>
/// The provider of the ILGPU devices (ILGPU's CPU accelerator, CUDA, OpenCL). The core library finds it by itself when this
/// assembly is present (<see cref="ComputeBackendProviderAttribute"/>); <see cref="Register"/> registers it explicitly.
/// </summary>
public sealed class IlgpuBackendProvider : IComputeBackendProvider
{
    /// <summary>Registers the ILGPU devices with <see cref="ComputeBackends"/> (idempotent).</summary>
    public static void Register() => ComputeBackends.Register(new IlgpuBackendProvider());

    /// <inheritdoc/>
    public IReadOnlyList<ComputeDevice> EnumerateDevices() => IlgpuDevices.Enumerate(this);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The device is not an ILGPU device.</exception>
    public IComputeBackend CreateBackend(ComputeDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        IlgpuBackend backend = IlgpuBackend.For(device);
        var compute = new IlgpuComputeBackend(backend);
        compute.Warm();
        return compute;
    }
}
