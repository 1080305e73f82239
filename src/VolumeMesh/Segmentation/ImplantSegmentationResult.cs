using VolumeMesh.Volumes;

namespace VolumeMesh.Segmentation;

/// <summary>The outcome of <see cref="ImplantSegmentation"/>: the implant, the bone without it, and how they were cut.</summary>
public sealed record ImplantSegmentationResult
{
    /// <summary>The implant voxels (metal core and its partial-volume surface voxels).</summary>
    public required Mask Implant { get; init; }

    /// <summary>The bone mask less the implant, the margin around it and the fragments the margin cut off.</summary>
    public required Mask Bone { get; init; }

    /// <summary>The voxels removed from the bone: the implant dilated by the margin.</summary>
    public required Mask Removed { get; init; }

    /// <summary>The value the implant surface is meshed at, in HU.</summary>
    public required double SurfaceHu { get; init; }

    /// <summary>Metal core components kept as implant.</summary>
    public required int ImplantComponents { get; init; }

    /// <summary>Metal core components dropped as smaller than <see cref="ImplantOptions.MinImplantVolumeMm3"/>.</summary>
    public required int NoiseComponentsDropped { get; init; }

    /// <summary>Bone fragments dropped next to the margin.</summary>
    public required int FragmentsDropped { get; init; }
}
