using System.Reflection;

namespace VolumeMesh.Compute;

/// <summary>
/// The registry of device providers and the factory of backends. The managed CPU is built in; the ILGPU devices come from
/// the <c>VolumeMesh.Gpu</c> package, found by itself when that assembly sits beside this one (its
/// <see cref="ComputeBackendProviderAttribute"/>), or registered explicitly with <see cref="Register"/>.
/// </summary>
public static class ComputeBackends
{
    /// <summary>The assembly probed for a provider when none is registered.</summary>
    public const string GpuAssemblyName = "VolumeMesh.Gpu";

    private static readonly object s_gate = new();
    private static readonly List<IComputeBackendProvider> s_providers = [];
    private static bool s_probed;

    /// <summary>Registers a provider (once; registering the same type again does nothing).</summary>
    /// <param name="provider">The provider.</param>
    public static void Register(IComputeBackendProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        lock (s_gate)
        {
            foreach (IComputeBackendProvider existing in s_providers)
            {
                if (existing.GetType() == provider.GetType())
                {
                    return;
                }
            }

            s_providers.Add(provider);
        }

        ComputeDevices.Invalidate();
    }

    /// <summary>The backend of a device: <see cref="ManagedComputeBackend.Instance"/> for the managed CPU, else its provider's.</summary>
    /// <param name="device">The device.</param>
    /// <returns>The backend.</returns>
    /// <exception cref="ComputeDeviceException">The device could not be started.</exception>
    public static IComputeBackend Create(ComputeDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.Kind == ComputeDeviceKind.Cpu)
        {
            return ManagedComputeBackend.Instance;
        }

        IComputeBackendProvider provider = device.Provider
            ?? throw new ComputeDeviceException($"{device.Id} ({device.Name}) has no backend provider.") { Device = device.Id };
        return provider.CreateBackend(device);
    }

    /// <summary>The registered providers, probing for <see cref="GpuAssemblyName"/> the first time.</summary>
    internal static IReadOnlyList<IComputeBackendProvider> Providers()
    {
        lock (s_gate)
        {
            if (!s_probed)
            {
                s_probed = true;
                Probe();
            }

            return [.. s_providers];
        }
    }

    private static void Probe()
    {
        Assembly assembly;
        try
        {
            assembly = Assembly.Load(new AssemblyName(GpuAssemblyName));
        }
        catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            // The package is not installed: only the managed CPU exists.
            return;
        }

        foreach (ComputeBackendProviderAttribute attribute in assembly.GetCustomAttributes<ComputeBackendProviderAttribute>())
        {
            if (Activator.CreateInstance(attribute.ProviderType) is IComputeBackendProvider provider
                && !s_providers.Exists(p => p.GetType() == provider.GetType()))
            {
                s_providers.Add(provider);
            }
        }
    }
}
