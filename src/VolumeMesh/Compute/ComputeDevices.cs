using System.Globalization;
using System.Text;

namespace VolumeMesh.Compute;

/// <summary>Lists the compute devices of this machine and chooses one by name.</summary>
/// <remarks>
/// Names: <c>auto</c> (the first CUDA device, else the first OpenCL device, else the managed CPU), <c>cpu</c> (managed),
/// <c>ilgpu-cpu</c> (ILGPU's CPU accelerator, for tests), <c>cuda</c> / <c>opencl</c> (the first supported device of that
/// kind, else the first one, which then fails to start with a clear message),
/// <c>cuda:N</c> / <c>opencl:N</c> (the N-th, from 0), or a device's full name as <see cref="ComputeDevice.Name"/> reports it.
/// The managed CPU is always present; the ILGPU devices are listed when the <c>VolumeMesh.Gpu</c> package is installed
/// (see <see cref="ComputeBackends"/>). An explicitly named device that is missing or fails is an error, never a silent fallback.
/// </remarks>
public static class ComputeDevices
{
    private static readonly object s_gate = new();
    private static IReadOnlyList<ComputeDevice>? s_devices;

    /// <summary>The managed CPU device (always present).</summary>
    public static ComputeDevice ManagedCpu { get; } = new(
        ComputeDeviceKind.Cpu,
        "cpu",
        $"Managed CPU ({Environment.ProcessorCount} threads)",
        GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
        null);

    /// <summary>Lists every device: the managed CPU first, then those of the registered providers (ILGPU's CPU accelerator, CUDA and OpenCL devices).</summary>
    /// <returns>The devices; never empty.</returns>
    public static IReadOnlyList<ComputeDevice> List()
    {
        lock (s_gate)
        {
            return s_devices ??= Enumerate();
        }
    }

    /// <summary>Forgets the device list after a provider is registered.</summary>
    internal static void Invalidate()
    {
        lock (s_gate)
        {
            s_devices = null;
        }
    }

    /// <summary>Chooses a device by name; see the class remarks for the names.</summary>
    /// <param name="name">The name, case-insensitive.</param>
    /// <returns>The device.</returns>
    /// <exception cref="ComputeDeviceException">No device matches; the message lists those that exist.</exception>
    public static ComputeDevice Get(string name) => Select(name).Device;

    /// <summary>Chooses a device by name and says why, for <c>auto</c>, that device was chosen.</summary>
    /// <param name="name">The name, case-insensitive; see the class remarks.</param>
    /// <returns>The device and, for <c>auto</c>, a note on the choice.</returns>
    /// <exception cref="ComputeDeviceException">No device matches; the message lists those that exist.</exception>
    public static DeviceSelection Select(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        string key = name.Trim().ToLowerInvariant();

        // The managed CPU needs no device list, and neither does auto on a machine without a GPU runtime: listing the
        // devices starts ILGPU (its context and its probes of the CUDA and OpenCL runtimes), which a CPU-only run pays
        // for at every start.
        if (key == "cpu")
        {
            return new DeviceSelection(ManagedCpu, null);
        }

        if (key == "auto" && !GpuRuntimeMayBePresent())
        {
            return new DeviceSelection(ManagedCpu, NoGpuNote);
        }

        IReadOnlyList<ComputeDevice> devices = List();
        switch (key)
        {
            case "auto":
                ComputeDevice? gpu = First(devices, ComputeDeviceKind.Cuda) ?? First(devices, ComputeDeviceKind.OpenCL);
                return gpu is not null
                    ? new DeviceSelection(gpu, $"auto: using {gpu.Id} ({gpu.Name}).")
                    : new DeviceSelection(ManagedCpu, NoGpuNote);
            case "cuda":
            case "opencl":
            case "ilgpu-cpu":
                ComputeDeviceKind kind = key switch
                {
                    "cuda" => ComputeDeviceKind.Cuda,
                    "opencl" => ComputeDeviceKind.OpenCL,
                    _ => ComputeDeviceKind.IlgpuCpu,
                };
                return new DeviceSelection(First(devices, kind) ?? FirstUnsupported(devices, kind) ?? throw NotFound(name, devices), null);
        }

        foreach (ComputeDevice device in devices)
        {
            if (string.Equals(device.Id, key, StringComparison.OrdinalIgnoreCase)
                || string.Equals(device.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return new DeviceSelection(device, null);
            }
        }

        throw NotFound(name, devices);
    }

    /// <summary>Describes every device, one per line, as <c>volumemesh devices</c> prints them.</summary>
    /// <returns>The text.</returns>
    public static string Describe()
    {
        var text = new StringBuilder();
        foreach (ComputeDevice device in List())
        {
            text.AppendLine(device.ToString());
        }

        return text.ToString();
    }

    /// <summary>
    /// Whether a CUDA or OpenCL device could exist here, decided without starting either runtime: false only on Linux
    /// when the CUDA driver library (<c>libcuda.so.1</c>) does not load and no OpenCL driver is registered with the ICD
    /// loader (no <c>*.icd</c> file in <c>/etc/OpenCL/vendors</c> and neither <c>OCL_ICD_VENDORS</c> nor
    /// <c>OPENCL_VENDOR_PATH</c> set). Anywhere else, or in doubt, true: the devices are then listed.
    /// </summary>
    internal static bool GpuRuntimeMayBePresent()
    {
        if (!OperatingSystem.IsLinux()
            || Environment.GetEnvironmentVariable("OCL_ICD_VENDORS") is not null
            || Environment.GetEnvironmentVariable("OPENCL_VENDOR_PATH") is not null)
        {
            return true;
        }

        if (System.Runtime.InteropServices.NativeLibrary.TryLoad("libcuda.so.1", out IntPtr cuda))
        {
            System.Runtime.InteropServices.NativeLibrary.Free(cuda);
            return true;
        }

        try
        {
            return Directory.Exists(OpenClVendors) && Directory.EnumerateFiles(OpenClVendors, "*.icd").Any();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    private const string OpenClVendors = "/etc/OpenCL/vendors";

    private const string NoGpuNote = "auto: no CUDA or OpenCL device found; using the managed CPU path.";

    private static ComputeDevice? First(IReadOnlyList<ComputeDevice> devices, ComputeDeviceKind kind)
    {
        foreach (ComputeDevice device in devices)
        {
            if (device.Kind == kind && device.IsSupported)
            {
                return device;
            }
        }

        return null;
    }

    private static ComputeDevice? FirstUnsupported(IReadOnlyList<ComputeDevice> devices, ComputeDeviceKind kind)
    {
        foreach (ComputeDevice device in devices)
        {
            if (device.Kind == kind)
            {
                return device;
            }
        }

        return null;
    }

    private static ComputeDeviceException NotFound(string name, IReadOnlyList<ComputeDevice> devices)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"No compute device matches '{name}'. Devices on this machine:");
        foreach (ComputeDevice device in devices)
        {
            text.Append(CultureInfo.InvariantCulture, $" {device.Id} ({device.Name});");
        }

        text.Append(" names: auto, cpu, ilgpu-cpu, cuda, opencl, cuda:N, opencl:N or a device name.");
        if (devices.Count == 1)
        {
            text.Append(CultureInfo.InvariantCulture, $" The ILGPU devices (ilgpu-cpu, cuda, opencl) come with the {ComputeBackends.GpuAssemblyName} package.");
        }

        return new ComputeDeviceException(text.ToString()) { Device = name };
    }

    private static IReadOnlyList<ComputeDevice> Enumerate()
    {
        var list = new List<ComputeDevice> { ManagedCpu };
        foreach (IComputeBackendProvider provider in ComputeBackends.Providers())
        {
            list.AddRange(provider.EnumerateDevices());
        }

        return list;
    }
}
