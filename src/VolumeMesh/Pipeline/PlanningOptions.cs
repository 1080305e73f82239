using VolumeMesh.Geometry;
using VolumeMesh.Planning;
using VolumeMesh.Segmentation;

namespace VolumeMesh.Pipeline;

/// <summary>What <see cref="PlanningPipeline"/> adds to the plain bone model: a region of interest, one part per bone, the
/// implant as its own part, and planning geometry (trajectories, landmarks) as further parts. Every point is patient LPS mm.</summary>
public sealed record PlanningOptions
{
    /// <summary>Keep only the voxels whose centre lies in this box; null keeps the whole volume.</summary>
    public CropBox? Crop { get; init; }

    /// <summary>One seed per bone: the bone region is split into one part per seed (<see cref="BoneSeparation"/>); empty for one
    /// bone part.</summary>
    public IReadOnlyList<Vector3D> SeparationSeedsLps { get; init; } = [];

    /// <summary>Options of the separation.</summary>
    public SeparationOptions Separation { get; init; } = SeparationOptions.Default;

    /// <summary>Segment the metal implant as its own part and remove it, with a margin, from the bone; null for no implant part.</summary>
    public ImplantOptions? Implant { get; init; }

    /// <summary>Trajectories written as closed cylinders (parts <c>trajectory</c>, or <c>trajectory-1</c>… for several).</summary>
    public IReadOnlyList<Trajectory> Trajectories { get; init; } = [];

    /// <summary>Landmarks written as small spheres (parts <c>landmark-NAME</c>).</summary>
    public IReadOnlyList<Landmark> Landmarks { get; init; } = [];

    /// <summary>Whether nothing is asked beyond the plain model.</summary>
    public bool IsEmpty => Crop is null && SeparationSeedsLps.Count == 0 && Implant is null && Trajectories.Count == 0 && Landmarks.Count == 0;
}
