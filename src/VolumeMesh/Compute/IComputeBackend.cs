namespace VolumeMesh.Compute;

/// <summary>
/// One device's implementation of every stage. The managed backend (<see cref="ManagedComputeBackend"/>) is the oracle;
/// the ILGPU backend of the <c>VolumeMesh.Gpu</c> package gives the same results on CUDA, OpenCL and ILGPU's CPU accelerator.
/// </summary>
/// <remarks>A stage the device cannot run is served by the managed implementation: its <c>Device</c> is then the managed
/// CPU and <see cref="ManagedReason"/> says why, so a pipeline reports it rather than falling back silently.</remarks>
public interface IComputeBackend
{
    /// <summary>The device.</summary>
    ComputeDevice Device { get; }

    /// <summary>Threshold segmentation.</summary>
    IThresholdStage Threshold { get; }

    /// <summary>Connected-component labelling and selection.</summary>
    IComponentsStage Components { get; }

    /// <summary>Hole filling.</summary>
    IHoleFillingStage HoleFilling { get; }

    /// <summary>Morphology (open, close, dilate, erode).</summary>
    IMorphologyStage Morphology { get; }

    /// <summary>Marching cubes of an iso value, a range or a mask.</summary>
    IMarchingCubesEngine MarchingCubes { get; }

    /// <summary>Marching cubes of a selected mask on the field.</summary>
    IMaskedMeshingStage MaskedMeshing { get; }

    /// <summary>The device-resident run of the whole segmentation and meshing; null when the backend has none (the managed one).</summary>
    IResidentMeshingStage? Resident { get; }

    /// <summary>Why a stage of this backend runs on the managed CPU rather than <see cref="Device"/>; null when it runs on the device.</summary>
    /// <param name="stage">The stage name (<c>threshold</c>, <c>label</c>, <c>fill holes</c>, <c>open</c>, <c>close</c>, <c>mesh</c>, <c>masked mesh float</c>).</param>
    /// <returns>The reason, or null.</returns>
    string? ManagedReason(string stage);

    /// <summary>Frees the work buffers the backend keeps between calls (compiled kernels stay).</summary>
    void ReleaseBuffers();
}
