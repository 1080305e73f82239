namespace VolumeMesh.Segmentation;

/// <summary>Named CT threshold ranges in Hounsfield units, as clinical segmentation tools offer them.</summary>
/// <remarks>
/// <para>The tissue ranges are the predefined CT threshold sets of Materialise Mimics ("Bone (CT)", "Compact Bone (Adult CT)",
/// "Soft Tissue (CT)", "Skin Tissue (Adult CT)"), which 3D Slicer users and the medical 3D-printing literature quote for bone
/// models (226–3071 HU is the usual "bone" range; 3071 is the top of the 12-bit CT scale, 4095 − 1024). The metal range is
/// this library's choice, explained on <see cref="Metal"/>. All are starting points: scanner, kernel and patient shift the
/// best value, so the CLI also accepts any <c>--threshold LO:HI</c>.</para>
/// <para>Names are matched case-insensitively by <see cref="TryGet"/>: <c>bone</c>, <c>cortical-bone</c>,
/// <c>soft-tissue</c>, <c>skin</c>, <c>metal</c>.</para>
/// </remarks>
public static class ThresholdPresets
{
    /// <summary>Bone, 226 to 3071 HU: all mineralised bone, cortical and cancellous (Mimics "Bone (CT)"; the default of the CLI).</summary>
    public static HuRange Bone { get; } = new(226, 3071);

    /// <summary>Cortical (compact) bone, 662 to 1988 HU (Mimics "Compact Bone (Adult CT)"): the dense outer shell without the spongy interior.</summary>
    public static HuRange CorticalBone { get; } = new(662, 1988);

    /// <summary>Soft tissue, −700 to 225 HU (Mimics "Soft Tissue (CT)"): everything between air/lung and bone.</summary>
    public static HuRange SoftTissue { get; } = new(-700, 225);

    /// <summary>Skin, −718 to −177 HU (Mimics "Skin Tissue (Adult CT)"); its lower bound separates the body surface from the surrounding air.</summary>
    public static HuRange Skin { get; } = new(-718, -177);

    /// <summary>Metal implants, 2500 HU and above (up to 32767, the top of int16 extended-HU scales).</summary>
    /// <remarks>Dense cortical bone stays below about 2000 HU (the Mimics compact-bone range ends at 1988), while titanium and
    /// steel implants saturate 12-bit scanners at 3071 HU and reach several thousand HU on extended scales; 2500 HU separates
    /// them with a margin for partial-volume voxels at the implant surface.</remarks>
    public static HuRange Metal { get; } = new(2500, short.MaxValue);

    /// <summary>The preset names <see cref="TryGet"/> accepts, in a fixed order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["bone", "cortical-bone", "soft-tissue", "skin", "metal"];

    /// <summary>Looks up a preset by name (case-insensitive; <c>_</c> and spaces are accepted in place of <c>-</c>).</summary>
    /// <param name="name">The preset name, e.g. <c>bone</c> or <c>Cortical-Bone</c>.</param>
    /// <param name="range">The range when found.</param>
    /// <returns><see langword="true"/> when <paramref name="name"/> names a preset.</returns>
    public static bool TryGet(string? name, out HuRange range)
    {
        string key = (name ?? string.Empty).Trim().Replace('_', '-').Replace(' ', '-').ToLowerInvariant();
        (bool found, range) = key switch
        {
            "bone" => (true, Bone),
            "cortical-bone" => (true, CorticalBone),
            "soft-tissue" => (true, SoftTissue),
            "skin" => (true, Skin),
            "metal" => (true, Metal),
            _ => (false, default(HuRange)),
        };
        return found;
    }
}
