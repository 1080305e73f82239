using VolumeMesh.Compute;

namespace VolumeMesh.Tests.Compute;

public sealed class ComputeDevicesTests
{
    [Fact]
    public void ListsTheManagedCpuFirstAndTheIlgpuCpuAccelerator()
    {
        IReadOnlyList<ComputeDevice> devices = ComputeDevices.List();
        Assert.Equal(ComputeDeviceKind.Cpu, devices[0].Kind);
        Assert.Equal("cpu", devices[0].Id);
        Assert.False(devices[0].IsIlgpu);
        ComputeDevice ilgpu = Assert.Single(devices, d => d.Kind == ComputeDeviceKind.IlgpuCpu);
        Assert.True(ilgpu.IsIlgpu);
        Assert.True(ilgpu.MemoryBytes > 0);
        Assert.All(devices, d => Assert.False(string.IsNullOrWhiteSpace(d.Name)));
        Assert.Equal(devices.Count, devices.Select(d => d.Id).Distinct().Count());
        Assert.Contains("ilgpu-cpu", ComputeDevices.Describe());
    }

    [Fact]
    public void ChoosesByKindIdAndName()
    {
        Assert.Equal(ComputeDeviceKind.Cpu, ComputeDevices.Get("cpu").Kind);
        Assert.Equal(ComputeDeviceKind.IlgpuCpu, ComputeDevices.Get("ILGPU-CPU").Kind);
        foreach (ComputeDevice device in ComputeDevices.List())
        {
            Assert.Same(device, ComputeDevices.Get(device.Id));
            Assert.Equal(device.Name, ComputeDevices.Get(device.Name).Name);
        }
    }

    [Fact]
    public void AutoPrefersCudaThenOpenClThenTheManagedCpuAndSaysSo()
    {
        DeviceSelection selection = ComputeDevices.Select("auto");
        Assert.NotNull(selection.Note);
        IReadOnlyList<ComputeDevice> devices = ComputeDevices.List();
        ComputeDevice? expected = devices.FirstOrDefault(d => d.Kind == ComputeDeviceKind.Cuda && d.IsSupported)
            ?? devices.FirstOrDefault(d => d.Kind == ComputeDeviceKind.OpenCL && d.IsSupported)
            ?? ComputeDevices.ManagedCpu;
        Assert.Same(expected, selection.Device);
        if (expected.Kind == ComputeDeviceKind.Cpu)
        {
            Assert.Contains("managed CPU", selection.Note);
        }

        Assert.Null(ComputeDevices.Select("cpu").Note);
    }

    [Fact]
    public void TheQuickCheckForAGpuRuntimeNeverHidesADevice()
    {
        // Auto (and cpu) skip listing the devices when no GPU runtime can be present: that must never be wrong the other way.
        bool mayBePresent = ComputeDevices.GpuRuntimeMayBePresent();
        if (!mayBePresent)
        {
            Assert.DoesNotContain(ComputeDevices.List(), d => d.Kind is ComputeDeviceKind.Cuda or ComputeDeviceKind.OpenCL);
            Assert.Same(ComputeDevices.ManagedCpu, ComputeDevices.Select("auto").Device);
        }

        // A registered OpenCL vendor path (or any system but Linux) always means: list the devices.
        string? saved = Environment.GetEnvironmentVariable("OCL_ICD_VENDORS");
        try
        {
            Environment.SetEnvironmentVariable("OCL_ICD_VENDORS", "/nonexistent/vendors");
            Assert.True(ComputeDevices.GpuRuntimeMayBePresent());
        }
        finally
        {
            Environment.SetEnvironmentVariable("OCL_ICD_VENDORS", saved);
        }

        Assert.Equal(mayBePresent, ComputeDevices.GpuRuntimeMayBePresent());
    }

    [Fact]
    public void AnUnknownOrMissingDeviceThrowsListingWhatExists()
    {
        var ex = Assert.Throws<ComputeDeviceException>(() => ComputeDevices.Get("tpu"));
        Assert.Contains("'tpu'", ex.Message);
        Assert.Contains("ilgpu-cpu", ex.Message);
        Assert.Contains("cpu", ex.Message);
        Assert.Equal("tpu", ex.Device);

        foreach (string kind in new[] { "cuda", "opencl" })
        {
            bool present = ComputeDevices.List().Any(d => d.Id.StartsWith(kind + ":", StringComparison.Ordinal));
            if (!present)
            {
                var missing = Assert.Throws<ComputeDeviceException>(() => ComputeDevices.Get(kind));
                Assert.Contains("ilgpu-cpu", missing.Message);
            }
        }

        Assert.Throws<ComputeDeviceException>(() => ComputeDevices.Get("cuda:99"));
    }

    [Fact]
    public void EngineFactoryMapsDevicesToEngines()
    {
        Assert.IsType<ManagedMarchingCubesEngine>(MarchingCubesEngines.Create(ComputeDevices.ManagedCpu));
        IMarchingCubesEngine gpu = MarchingCubesEngines.Create("ilgpu-cpu", out string? note);
        Assert.IsType<GpuMarchingCubes>(gpu);
        Assert.Null(note);
        Assert.Equal(ComputeDeviceKind.IlgpuCpu, gpu.Device.Kind);
        IMarchingCubesEngine auto = MarchingCubesEngines.Create("auto", out string? autoNote);
        Assert.NotNull(autoNote);
        Assert.Same(ComputeDevices.Select("auto").Device.IsIlgpu ? auto.Device : ComputeDevices.ManagedCpu, auto.Device);
        Assert.Throws<ArgumentException>(() => new GpuMarchingCubes(ComputeDevices.ManagedCpu));
        Assert.Throws<ComputeDeviceException>(() => MarchingCubesEngines.Create("opencl:42", out _));
    }

    [SkippableFact]
    public void AnUnsupportedDeviceAskedForExplicitlyFailsNamingItAndAutoNeverChoosesIt()
    {
        // With an OpenCL driver lacking the generic address space (pocl, NVIDIA's OpenCL 3.0) this runs; on CI there is none.
        ComputeDevice? unsupported = ComputeDevices.List().FirstOrDefault(d => !d.IsSupported);
        Skip.If(unsupported is null, "no unsupported OpenCL device on this machine");
        Assert.Contains(unsupported!.Limitation!, unsupported.ToString());
        Assert.NotSame(unsupported, ComputeDevices.Select("auto").Device);
        var ex = Assert.Throws<ComputeDeviceException>(() => MarchingCubesEngines.Create(unsupported.Id, out _));
        Assert.Contains(unsupported.Id, ex.Message);
        Assert.Equal(unsupported.Id, ex.Device);
    }
}

public sealed class IlgpuBackendTests
{
    [Fact]
    public void DeviceFailuresBecomeExceptionsNamingTheDevice()
    {
        IlgpuBackend backend = IlgpuBackend.For(GpuTestSupport.IlgpuCpu);
        var ex = Assert.Throws<ComputeDeviceException>(() => backend.Guard<int>("test kernel", () => throw new InvalidCastException("driver said no")));
        Assert.Contains("ilgpu-cpu", ex.Message);
        Assert.Contains("test kernel", ex.Message);
        Assert.Contains("driver said no", ex.Message);
        Assert.Equal("ilgpu-cpu", ex.Device);
        Assert.IsType<InvalidCastException>(ex.InnerException);

        // Caller errors and cancellation pass through unchanged.
        Assert.Throws<ArgumentException>(() => backend.Guard<int>("x", () => throw new ArgumentException("bad")));
        Assert.Throws<OperationCanceledException>(() => backend.Guard<int>("x", () => throw new OperationCanceledException()));
    }

    [Fact]
    public void TheBackendIsCreatedOncePerDevice()
    {
        Assert.Same(IlgpuBackend.For(GpuTestSupport.IlgpuCpu), IlgpuBackend.For(ComputeDevices.Get("ilgpu-cpu")));
        Assert.Throws<ArgumentException>(() => IlgpuBackend.For(ComputeDevices.ManagedCpu));
    }
}
