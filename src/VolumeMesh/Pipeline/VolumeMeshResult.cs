using VolumeMesh.Meshing;

namespace VolumeMesh.Pipeline;

/// <summary>The outcome of <see cref="VolumeMeshPipeline"/>: the mesh, its report and the time each stage took.</summary>
public sealed record VolumeMeshResult
{
    /// <summary>The mesh in patient LPS millimetres.</summary>
    public required Mesh Mesh { get; init; }

    /// <summary>The mesh's invariants and measures.</summary>
    public required MeshReport Report { get; init; }

    /// <summary>What was meshed, e.g. <c>threshold 226:3071</c> or <c>iso ≥ 0</c>.</summary>
    public required string Inside { get; init; }

    /// <summary>Time spent in marching cubes.</summary>
    public TimeSpan MeshTime { get; init; }

    /// <summary>Time spent computing the report.</summary>
    public TimeSpan ReportTime { get; init; }

    /// <summary>Every connected component found (ordered by label), when components were labelled; otherwise empty.</summary>
    public IReadOnlyList<Components.ComponentStatistics> Components { get; init; } = [];

    /// <summary>The labels of the components kept, when components were labelled; otherwise empty.</summary>
    public IReadOnlyList<int> KeptLabels { get; init; } = [];

    /// <summary>The device that ran marching cubes, e.g. <c>cpu</c> or <c>cuda:0</c>.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Why that device ran it, when <c>auto</c> chose or a stage fell back to the managed CPU path; null otherwise.</summary>
    public string? DeviceNote { get; init; }

    /// <summary>Every stage that ran, in order, with the device that ran it and its time (and why, where a stage ran on
    /// another device than the context's).</summary>
    public IReadOnlyList<Execution.StageReport> Stages { get; init; } = [];

    /// <summary>Triangles marching cubes produced, before shell removal, smoothing and decimation.</summary>
    public int TrianglesMeshed { get; init; }

    /// <summary>Shells dropped for enclosing less than <see cref="VolumeMeshPipelineOptions.MinShellVolumeMm3"/>.</summary>
    public int ShellsRemoved { get; init; }

    /// <summary>The decimation outcome (triangles before and after, error), when decimation ran; null otherwise.</summary>
    public Processing.DecimationResult? Decimation { get; init; }

    /// <summary>Time spent after meshing: shell removal, smoothing, decimation.</summary>
    public TimeSpan ProcessTime { get; init; }

    /// <summary>Time spent in segmentation stages before meshing (threshold mask, morphology, labelling, hole filling).</summary>
    public TimeSpan SegmentTime { get; init; }

    /// <summary>Time spent writing files (zero when nothing was written).</summary>
    public TimeSpan WriteTime { get; init; }
}
