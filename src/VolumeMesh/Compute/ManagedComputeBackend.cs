namespace VolumeMesh.Compute;

/// <summary>The managed CPU backend: every stage in managed C#, multi-threaded and vectorised; the oracle of the others.</summary>
public sealed class ManagedComputeBackend : IComputeBackend
{
    /// <summary>The shared instance.</summary>
    public static ManagedComputeBackend Instance { get; } = new();

    private ManagedComputeBackend()
    {
    }

    /// <inheritdoc/>
    public ComputeDevice Device => ComputeDevices.ManagedCpu;

    /// <inheritdoc/>
    public IThresholdStage Threshold => ManagedStages.Instance;

    /// <inheritdoc/>
    public IComponentsStage Components => ManagedStages.Instance;

    /// <inheritdoc/>
    public IHoleFillingStage HoleFilling => ManagedStages.Instance;

    /// <inheritdoc/>
    public IMorphologyStage Morphology => ManagedStages.Instance;

    /// <inheritdoc/>
    public IMarchingCubesEngine MarchingCubes => ManagedMarchingCubesEngine.Instance;

    /// <inheritdoc/>
    public IMaskedMeshingStage MaskedMeshing => ManagedStages.Instance;

    /// <inheritdoc/>
    public IResidentMeshingStage? Resident => null;

    /// <inheritdoc/>
    public string? ManagedReason(string stage) => null;

    /// <inheritdoc/>
    public void ReleaseBuffers()
    {
        // The managed stages keep nothing between calls.
    }
}
