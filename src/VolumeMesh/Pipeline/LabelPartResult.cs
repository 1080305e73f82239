using VolumeMesh.IO;
using VolumeMesh.Meshing;

namespace VolumeMesh.Pipeline;

/// <summary>The outcome for one selected label of <see cref="LabelMapPipeline"/>.</summary>
public sealed record LabelPartResult
{
    /// <summary>The label id.</summary>
    public required int Id { get; init; }

    /// <summary>The label's name (from the table, or <c>label_&lt;id&gt;</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The part's colour.</summary>
    public required PartColor Color { get; init; }

    /// <summary>Whether it was written, absent from the map, or empty.</summary>
    public required LabelPartStatus Status { get; init; }

    /// <summary>Voxels holding the id.</summary>
    public long VoxelCount { get; init; }

    /// <summary>The processed mesh; null when absent.</summary>
    public Mesh? Mesh { get; init; }

    /// <summary>The processed mesh's report; null when absent.</summary>
    public MeshReport? Report { get; init; }

    /// <summary>Vertices kept fixed because they lie on a face shared with another label.</summary>
    public int SharedVertices { get; init; }

    /// <summary>The files this part was written to (several parts may share one multi-part file).</summary>
    public IReadOnlyList<string> Files { get; init; } = [];
}
