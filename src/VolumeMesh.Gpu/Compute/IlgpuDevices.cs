using ILGPU;
using ILGPU.Backends.OpenCL;
using ILGPU.Runtime;
using ILGPU.Runtime.OpenCL;

namespace VolumeMesh.Compute;

/// <summary>The process-wide ILGPU context and the ILGPU devices of this machine.</summary>
internal static class IlgpuDevices
{
    private static readonly Lazy<Context> s_context = new(CreateContext, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The ILGPU context, created once per process (thread-safe).</summary>
    /// <exception cref="ComputeDeviceException">ILGPU could not start.</exception>
    public static Context Context => s_context.Value;

    /// <summary>ILGPU's CPU accelerator, CUDA and OpenCL devices; empty when ILGPU cannot start.</summary>
    public static IReadOnlyList<ComputeDevice> Enumerate(IComputeBackendProvider provider)
    {
        var list = new List<ComputeDevice>();
        Context context;
        try
        {
            context = Context;
        }
        catch (ComputeDeviceException)
        {
            // Without ILGPU the managed path still works; requests for an ILGPU device then name what exists.
            return list;
        }

        long hostMemory = ComputeDevices.ManagedCpu.MemoryBytes;
        int cuda = 0;
        int openCl = 0;
        bool cpuSeen = false;
        foreach (Device device in context)
        {
            switch (device.AcceleratorType)
            {
                case AcceleratorType.CPU when !cpuSeen:
                    cpuSeen = true;
                    // ILGPU reports no real limit for its CPU accelerator; its memory is the host's.
                    list.Add(new ComputeDevice(ComputeDeviceKind.IlgpuCpu, "ilgpu-cpu", "ILGPU CPU accelerator", hostMemory, device, null, provider));
                    break;
                case AcceleratorType.Cuda:
                    list.Add(new ComputeDevice(ComputeDeviceKind.Cuda, $"cuda:{cuda++}", device.Name, device.MemorySize, device, null, provider));
                    break;
                case AcceleratorType.OpenCL:
                    string? limitation = device is CLDevice cl && !IsStandardOpenCl(cl)
                        ? $"OpenCL C {cl.CVersion} without the generic address space ILGPU needs; expected to fail"
                        : null;
                    list.Add(new ComputeDevice(ComputeDeviceKind.OpenCL, $"opencl:{openCl++}", device.Name, device.MemorySize, device, limitation, provider));
                    break;
            }
        }

        return list;
    }

    private static Context CreateContext()
    {
        try
        {
            // ILGPU's default takes only OpenCL devices with OpenCL 2.0's generic address space; the others (NVIDIA's
            // and pocl's OpenCL 3.0 drivers, for instance) are listed too, marked, so that they can be tried explicitly.
            return Context.Create(builder => builder.Default().OpenCL(device => !IsStandardOpenCl(device)).EnableAlgorithms());
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new ComputeDeviceException($"ILGPU could not start: {ex.Message}", ex);
        }
    }

    private static bool IsStandardOpenCl(CLDevice device) =>
        device.CLStdVersion >= CLBackend.MinimumVersion && device.Capabilities.GenericAddressSpace;
}
