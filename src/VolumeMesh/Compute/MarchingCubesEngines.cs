namespace VolumeMesh.Compute;

/// <summary>Creates the marching-cubes engine for a device.</summary>
public static class MarchingCubesEngines
{
    /// <summary>The engine for a device: <see cref="ManagedMarchingCubesEngine"/> for the managed CPU, else <see cref="GpuMarchingCubes"/>.</summary>
    /// <param name="device">The device.</param>
    /// <param name="options">Options of the ILGPU engine; ignored for the managed CPU.</param>
    /// <returns>The engine.</returns>
    public static IMarchingCubesEngine Create(ComputeDevice device, GpuMarchingCubesOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.IsIlgpu ? new GpuMarchingCubes(device, options) : ManagedMarchingCubesEngine.Instance;
    }

    /// <summary>
    /// The engine for a device name (<c>auto</c>, <c>cpu</c>, <c>cuda</c>, <c>opencl</c>, <c>ilgpu-cpu</c>, …; see
    /// <see cref="ComputeDevices"/>). The device is started here, so a failure shows now. An explicit device that is
    /// missing or fails throws; <c>auto</c> falls back to the managed CPU and says so in <paramref name="note"/>.
    /// </summary>
    /// <param name="deviceName">The device name.</param>
    /// <param name="note">What <c>auto</c> chose and why; null for an explicit device.</param>
    /// <param name="options">Options of the ILGPU engine.</param>
    /// <returns>The engine.</returns>
    /// <exception cref="ComputeDeviceException">An explicitly requested device does not exist or could not be started.</exception>
    public static IMarchingCubesEngine Create(string deviceName, out string? note, GpuMarchingCubesOptions? options = null)
    {
        bool auto = string.Equals(deviceName?.Trim(), "auto", StringComparison.OrdinalIgnoreCase);
        DeviceSelection selection = ComputeDevices.Select(deviceName!);
        note = selection.Note;
        if (!selection.Device.IsIlgpu)
        {
            return ManagedMarchingCubesEngine.Instance;
        }

        try
        {
            var engine = new GpuMarchingCubes(selection.Device, options);
            engine.Warm();
            return engine;
        }
        catch (ComputeDeviceException ex) when (auto)
        {
            note = $"auto: {selection.Device.Id} ({selection.Device.Name}) failed to start ({ex.Message}); using the managed CPU path.";
            return ManagedMarchingCubesEngine.Instance;
        }
    }
}
