using VolumeMesh.Planning;
using VolumeMesh.Segmentation;

namespace VolumeMesh.Pipeline;

/// <summary>The outcome of <see cref="PlanningPipeline"/>: the parts in output order and the planning measurements.</summary>
public sealed record PlanningResult
{
    /// <summary>The parts: bones (in seed order), the implant, trajectories, landmarks.</summary>
    public required IReadOnlyList<PlanningPart> Parts { get; init; }

    /// <summary>What was meshed as bone, e.g. <c>threshold 226:3071, cropped, implant removed with a 1.5 mm margin</c>.</summary>
    public required string Inside { get; init; }

    /// <summary>The options the parts were made with.</summary>
    public required PlanningOptions Planning { get; init; }

    /// <summary>The implant segmentation, when asked; null otherwise.</summary>
    public ImplantSegmentationResult? Implant { get; init; }

    /// <summary>The files written, in part order (empty until written).</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>Time spent segmenting (threshold, crop, implant, morphology, selection, separation).</summary>
    public TimeSpan SegmentTime { get; init; }

    /// <summary>Time spent meshing and processing the parts.</summary>
    public TimeSpan MeshTime { get; init; }

    /// <summary>Time spent writing.</summary>
    public TimeSpan WriteTime { get; init; }

    /// <summary>Whether every part is closed and edge-manifold with consistent orientation.</summary>
    public bool AllWatertight
    {
        get
        {
            foreach (PlanningPart part in Parts)
            {
                if (!part.Report.IsWatertight)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>The trajectories (their angles are in <see cref="Trajectory"/>).</summary>
    public IReadOnlyList<Trajectory> Trajectories => Planning.Trajectories;
}
