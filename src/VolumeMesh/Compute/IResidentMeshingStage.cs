using VolumeMesh.Execution;
using VolumeMesh.Volumes;

namespace VolumeMesh.Compute;

/// <summary>
/// The whole segmentation and meshing of an int16 volume on one device: the volume goes up once, threshold → opening →
/// closing → labelling → selection → hole filling → marching cubes of the selected mask run there, and the mesh comes
/// back with the component statistics. The result equals the stage-by-stage run.
/// </summary>
public interface IResidentMeshingStage
{
    /// <summary>The device.</summary>
    ComputeDevice Device { get; }

    /// <summary>Runs the request on the device, or returns null (running nothing) when the volume does not fit it.</summary>
    /// <param name="volume">The HU volume.</param>
    /// <param name="request">What to do.</param>
    /// <param name="context">Threads, progress, cancellation.</param>
    /// <returns>The mesh, statistics and per-stage report; null when the caller must run stage by stage.</returns>
    ResidentMeshingResult? TryRun(Volume<short> volume, ResidentMeshingRequest request, ComputeContext context);
}
