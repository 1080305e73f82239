using ILGPU.Runtime;

namespace VolumeMesh.Compute;

/// <summary>The ILGPU backend of one device: every stage on the device, except those <see cref="ManagedReason"/> names.</summary>
internal sealed class IlgpuComputeBackend : IComputeBackend
{
    /// <summary>Why meshing a selected mask runs managed on an ILGPU device.</summary>
    internal const string MaskedMeshReason =
        "meshing a selected mask on the field has no ILGPU kernel yet (the marching-cubes kernels read a value range, not a range within a mask); it ran on the managed CPU";

    private readonly IlgpuBackend _backend;
    private readonly IlgpuStages _stages;

    public IlgpuComputeBackend(IlgpuBackend backend)
    {
        _backend = backend;
        _stages = new IlgpuStages(backend);
        MarchingCubes = new GpuMarchingCubes(backend.Device);
    }

    public ComputeDevice Device => _backend.Device;

    public IThresholdStage Threshold => _stages;

    public IComponentsStage Components => _stages;

    public IHoleFillingStage HoleFilling => _stages;

    public IMorphologyStage Morphology => _stages;

    public IMarchingCubesEngine MarchingCubes { get; }

    public IMaskedMeshingStage MaskedMeshing => ManagedStages.Instance;

    /// <summary>The device's backend (kernels, buffers), for tests.</summary>
    internal IlgpuBackend Ilgpu => _backend;

    public string? ManagedReason(string stage) => stage == "masked mesh" ? MaskedMeshReason : null;

    public void ReleaseBuffers()
    {
        lock (_backend.Gate)
        {
            using ScopedAcceleratorBinding binding = _backend.Bind();
            _backend.Trim();
        }
    }

    /// <summary>Starts the device and uploads the case table now, so a failure shows here.</summary>
    public void Warm() => ((GpuMarchingCubes)MarchingCubes).Warm();
}
