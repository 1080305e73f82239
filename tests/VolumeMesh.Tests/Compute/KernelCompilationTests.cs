using System.Reflection;
using ILGPU;
using ILGPU.Backends;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.OpenCL;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;
using VolumeMesh.Compute;
using VolumeMesh.Compute.Kernels;

namespace VolumeMesh.Tests.Compute;

/// <summary>
/// Compiles every kernel to PTX (for an H100: sm_90 capabilities; ILGPU 1.5.3 emits .target sm_80 code for it here) and to OpenCL C without a GPU, so that a construct the GPU
/// back ends reject shows here rather than first on the GPU machine. Running them is tested on the CPU accelerator.
/// </summary>
public sealed class KernelCompilationTests
{
    public static TheoryData<string> Kernels() => new(KernelMethods().Keys);

    [Theory]
    [MemberData(nameof(Kernels))]
    public void CompilesToPtxForSm90(string name)
    {
        using var backend = new PTXBackend(IlgpuDevices.Context, new CudaCapabilityContext(CudaArchitecture.SM_90), CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, null);
        var kernel = (PTXCompiledKernel)Compile(backend, name);
        Assert.Contains(".entry", kernel.PTXAssembly);
        Assert.Contains(".target sm_", kernel.PTXAssembly);
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void CompilesToOpenClC(string name)
    {
        using var backend = new CLBackend(IlgpuDevices.Context, new CLCapabilityContext(false, true, true, true, true), CLDeviceVendor.Nvidia, CLCVersion.CL20);
        var kernel = (CLCompiledKernel)Compile(backend, name);
        Assert.Contains("kernel", kernel.Source);
    }

    private static CompiledKernel Compile(Backend backend, string name)
    {
        MethodInfo method = KernelMethods()[name];
        EntryPointDescription entry = EntryPointDescription.FromImplicitlyGroupedKernel(method);
        return backend.Compile(entry, KernelSpecialization.Empty);
    }

    private static Dictionary<string, MethodInfo> KernelMethods()
    {
        static MethodInfo Of(Delegate kernel) => kernel.Method;
        return new Dictionary<string, MethodInfo>
        {
            ["classify-int16"] = Of(MarchingCubesKernels.ClassifyPoints<short, Int16Reader>),
            ["classify-float"] = Of(MarchingCubesKernels.ClassifyPoints<float, SingleReader>),
            ["count"] = Of(MarchingCubesKernels.CountWords),
            ["totals"] = Of(MarchingCubesKernels.Totals),
            ["compact"] = Of(MarchingCubesKernels.CompactWords),
            ["generate-int16"] = Of(MarchingCubesKernels.Generate<short, Int16Reader>),
            ["generate-byte"] = Of(MarchingCubesKernels.Generate<byte, ByteReader>),
            ["generate-double"] = Of(MarchingCubesKernels.Generate<double, DoubleReader>),
            ["threshold-int16"] = Of(ThresholdKernels.Threshold<short, Int16Reader>),
            ["scan-tile-sums"] = Of(ScanKernels.TileSums),
            ["scan-sums"] = Of(ScanKernels.ScanTileSums),
            ["scan-tiles"] = Of(ScanKernels.ScanTiles),
            ["resident-bounds"] = Of(ResidentKernels.Bounds),
            ["resident-component-sums"] = Of(ResidentKernels.ComponentSums),
            ["resident-slice-counts"] = Of(ResidentKernels.SliceCounts),
            ["resident-keep"] = Of(ResidentKernels.KeepMask),
            ["resident-invert"] = Of(ResidentKernels.Invert),
            ["resident-border"] = Of(ResidentKernels.BorderFlags),
            ["resident-fill"] = Of(ResidentKernels.Fill),
            ["resident-pack"] = Of(ResidentKernels.Pack),
            ["generate-masked-int32"] = Of(MarchingCubesKernels.Generate<int, Int32Reader>),
        };
    }
}
