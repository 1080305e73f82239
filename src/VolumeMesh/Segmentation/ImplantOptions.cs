namespace VolumeMesh.Segmentation;

/// <summary>Options of <see cref="ImplantSegmentation"/>.</summary>
public sealed record ImplantOptions
{
    /// <summary>The default options.</summary>
    public static ImplantOptions Default { get; } = new();

    /// <summary>The metal core: voxels in this range seed the implant (default <see cref="ThresholdPresets.Metal"/>, 2500 HU and
    /// above). Scanner dependent: 12-bit scanners clip metal at 3071 HU; extended-scale reconstructions reach 8000+ HU for
    /// steel; metal-artefact-reduction kernels lower the values.</summary>
    public HuRange MetalRange { get; init; } = ThresholdPresets.Metal;

    /// <summary>The value at which the implant surface is placed, in HU; null (the default) takes the half-maximum edge:
    /// halfway between the median of the metal core and the median of the voxels one to two voxels around it, which is
    /// where a blurred step edge crosses (its scanner dependence cancels). A value here fixes it instead.</summary>
    public double? SurfaceHu { get; init; }

    /// <summary>Bone within this distance of the implant is removed, in mm (default 1.5 mm): the partial-volume ring and the
    /// strongest streak artefacts around metal, so bone and implant do not touch.</summary>
    public double MarginMm { get; init; } = 1.5;

    /// <summary>Metal cores smaller than this, in mm³, are noise (bright streak voxels, calcifications, contrast), not implant
    /// (default 20 mm³).</summary>
    public double MinImplantVolumeMm3 { get; init; } = 20;

    /// <summary>Bone fragments that the margin cut off and that are smaller than this, in mm³, are dropped (default 50 mm³):
    /// streak artefacts between the metal and the bone, glued to neither once the margin is gone.</summary>
    public double MinFragmentVolumeMm3 { get; init; } = 50;

    /// <summary>Threads; −1 (the default) uses every core.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
