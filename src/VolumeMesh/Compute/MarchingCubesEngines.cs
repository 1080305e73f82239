using VolumeMesh.Execution;

namespace VolumeMesh.Compute;

/// <summary>Creates the marching-cubes engine for a device.</summary>
public static class MarchingCubesEngines
{
    /// <summary>The engine for a device: <see cref="ManagedMarchingCubesEngine"/> for the managed CPU, else the device backend's.</summary>
    /// <param name="device">The device.</param>
    /// <returns>The engine.</returns>
    /// <exception cref="ComputeDeviceException">The device could not be started.</exception>
    public static IMarchingCubesEngine Create(ComputeDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return ComputeBackends.Create(device).MarchingCubes;
    }

    /// <summary>
    /// The engine for a device name (<c>auto</c>, <c>cpu</c>, <c>cuda</c>, <c>opencl</c>, <c>ilgpu-cpu</c>, …; see
    /// <see cref="ComputeDevices"/>). The device is started here, so a failure shows now. An explicit device that is
    /// missing or fails throws; <c>auto</c> falls back to the managed CPU and says so in <paramref name="note"/>.
    /// </summary>
    /// <param name="deviceName">The device name.</param>
    /// <param name="note">What <c>auto</c> chose and why; null for an explicit device.</param>
    /// <returns>The engine.</returns>
    /// <exception cref="ComputeDeviceException">An explicitly requested device does not exist or could not be started.</exception>
    public static IMarchingCubesEngine Create(string deviceName, out string? note)
    {
        (IComputeBackend backend, note) = ComputeContext.StartBackend(deviceName);
        return backend.MarchingCubes;
    }
}
