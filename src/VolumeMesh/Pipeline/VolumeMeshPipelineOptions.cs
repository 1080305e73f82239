using VolumeMesh.IO;
using VolumeMesh.Segmentation;

namespace VolumeMesh.Pipeline;

/// <summary>Options of <see cref="VolumeMeshPipeline"/>. Set at most one of <see cref="Range"/> and <see cref="Iso"/>; with
/// neither the inside is <see cref="ThresholdPresets.Bone"/>.</summary>
public sealed record VolumeMeshPipelineOptions
{
    /// <summary>The default options: bone preset, binary STL in LPS, all cores.</summary>
    public static VolumeMeshPipelineOptions Default { get; } = new();

    /// <summary>The inside as an inclusive value range (e.g. a preset); null for <see cref="Iso"/> or the default.</summary>
    public HuRange? Range { get; init; }

    /// <summary>The inside as values ≥ this iso value; null for <see cref="Range"/> or the default.</summary>
    public double? Iso { get; init; }

    /// <summary>The STL encoding written; binary by default.</summary>
    public StlFormat StlFormat { get; init; } = StlFormat.Binary;

    /// <summary>The coordinate system written; LPS by default.</summary>
    public CoordinateSpace Space { get; init; } = CoordinateSpace.Lps;

    /// <summary>Threads to use; −1 (the default) uses every core. The mesh is identical for any value.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Where to write the <see cref="Meshing.MeshReport"/> as JSON; none when null.</summary>
    public string? ReportPath { get; init; }
}
