namespace VolumeMesh.Compute;

/// <summary>
/// A source of devices and their backends beyond the managed CPU (the <c>VolumeMesh.Gpu</c> package provides the ILGPU
/// devices). Register one with <see cref="ComputeBackends.Register"/>, or mark an assembly with
/// <see cref="ComputeBackendProviderAttribute"/> so that it is found when loaded.
/// </summary>
public interface IComputeBackendProvider
{
    /// <summary>The devices of this machine the provider serves; empty when none (never throws for a missing driver).</summary>
    /// <returns>The devices.</returns>
    IReadOnlyList<ComputeDevice> EnumerateDevices();

    /// <summary>Starts a device and returns its backend (created once per device and process, then shared).</summary>
    /// <param name="device">One of <see cref="EnumerateDevices"/>.</param>
    /// <returns>The backend.</returns>
    /// <exception cref="ComputeDeviceException">The device could not be started.</exception>
    IComputeBackend CreateBackend(ComputeDevice device);
}
