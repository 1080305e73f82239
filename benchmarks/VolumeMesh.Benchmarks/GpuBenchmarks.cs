using BenchmarkDotNet.Attributes;
using ILGPU;
using ILGPU.Runtime;
using VolumeMesh.Compute;
using VolumeMesh.Compute.Kernels;
using VolumeMesh.Meshing;
using VolumeMesh.Segmentation;
using VolumeMesh.Volumes;

namespace VolumeMesh.Benchmarks;

/// <summary>
/// ILGPU marching cubes and threshold on the first CUDA device (else OpenCL, else ILGPU's CPU accelerator on a reduced
/// phantom): host to host, and on the device alone with the volume resident. <c>-- --filter '*GpuBenchmarks*'</c>.
/// For the equality checks and copy bandwidth, run <c>-- gpu-check</c> (see <see cref="GpuCheck"/>).
/// </summary>
[MemoryDiagnoser]
public class GpuBenchmarks
{
    private ComputeDevice? _device;
    private GpuMarchingCubes? _engine;
    private Volume<short>? _ct;
    private MemoryBuffer1D<short, Stride1D.Dense>? _resident;
    private SlabRun<short, Int16Reader>? _run;

    /// <summary>The device: the first CUDA or OpenCL device, else ilgpu-cpu.</summary>
    [ParamsSource(nameof(Devices))]
    public string Device { get; set; } = "ilgpu-cpu";

    public static IEnumerable<string> Devices()
    {
        ComputeDevice? gpu = ComputeDevices.List().FirstOrDefault(d => d.Kind is ComputeDeviceKind.Cuda or ComputeDeviceKind.OpenCL);
        yield return gpu?.Id ?? "ilgpu-cpu";
    }

    [GlobalSetup]
    public void Setup()
    {
        _device = ComputeDevices.Get(Device);
        _engine = new GpuMarchingCubes(_device);
        _engine.Warm();

        // The full 512×512×400 benchmark phantom on a GPU; a 128×128×100 one on the (slow) CPU accelerator.
        _ct = _device.Kind == ComputeDeviceKind.IlgpuCpu ? BenchmarkVolumes.CtForCpuAccelerator() : BenchmarkVolumes.Ct();
        IlgpuBackend backend = IlgpuBackend.For(_device);
        lock (backend.Gate)
        {
            using ScopedAcceleratorBinding binding = backend.Bind();
            _resident = backend.Accelerator.Allocate1D(_ct.Voxels);
            HuRange bone = ThresholdPresets.Bone;
            _run = new SlabRun<short, Int16Reader>(
                backend, _ct.Geometry, InsideTest.Range(Math.Ceiling(bone.Low), Math.Floor(bone.High), bone.Low, bone.High), _engine.PlanSlabPlanes(_ct.Geometry, 2), null);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _resident?.Dispose();

    /// <summary>Host volume to host mesh (upload, mesh, download), bone range 226..3071.</summary>
    [Benchmark]
    public int MarchingCubesHostToHost() => _engine!.FromRange(_ct!, ThresholdPresets.Bone.Low, ThresholdPresets.Bone.High).TriangleCount;

    /// <summary>Marching cubes on the device alone: the volume resident, the mesh left on the device.</summary>
    [Benchmark]
    public long MarchingCubesOnDevice()
    {
        IlgpuBackend backend = IlgpuBackend.For(_device!);
        lock (backend.Gate)
        {
            using ScopedAcceleratorBinding binding = backend.Bind();
            return _run!.MeshResident(_resident!.View, default).Triangles;
        }
    }

    /// <summary>Threshold to a mask, host to host.</summary>
    [Benchmark]
    public long ThresholdHostToHost() => GpuThreshold.Apply(_device!, _ct!, ThresholdPresets.Bone.Low, ThresholdPresets.Bone.High).Voxels.Length;
}
