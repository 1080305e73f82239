using ILGPU.Runtime;

namespace VolumeMesh.Compute;

/// <summary>The ILGPU backend of one device: every stage on the device, except those <see cref="ManagedReason"/> names.</summary>
internal sealed class IlgpuComputeBackend : IComputeBackend
{
    /// <summary>Why meshing a selected mask of a float volume runs managed on an ILGPU device.</summary>
    internal const string FloatMaskedMeshReason =
        "meshing a selected mask on the device packs the mask into int16 values; this volume is float, so the mesh ran on the managed CPU";

    private readonly IlgpuBackend _backend;
    private readonly IlgpuStages _stages;

    public IlgpuComputeBackend(IlgpuBackend backend)
    {
        _backend = backend;
        _stages = new IlgpuStages(backend);
        var marchingCubes = new GpuMarchingCubes(backend.Device);
        MarchingCubes = marchingCubes;
        MaskedMeshing = new IlgpuMaskedMeshing(marchingCubes);
        Resident = new IlgpuResidentMeshing(backend, marchingCubes);
    }

    public ComputeDevice Device => _backend.Device;

    public IThresholdStage Threshold => _stages;

    public IComponentsStage Components => _stages;

    public IHoleFillingStage HoleFilling => _stages;

    public IMorphologyStage Morphology => _stages;

    public IMarchingCubesEngine MarchingCubes { get; }

    public IMaskedMeshingStage MaskedMeshing { get; }

    public IResidentMeshingStage? Resident { get; }

    /// <summary>The device's backend (kernels, buffers), for tests.</summary>
    internal IlgpuBackend Ilgpu => _backend;

    public string? ManagedReason(string stage) => stage == "masked mesh float" ? FloatMaskedMeshReason : null;

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
