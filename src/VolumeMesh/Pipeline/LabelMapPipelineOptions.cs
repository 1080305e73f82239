using VolumeMesh.IO;

namespace VolumeMesh.Pipeline;

/// <summary>Options of <see cref="LabelMapPipeline"/>: which labels, how each is processed, and how the parts are written.</summary>
public sealed record LabelMapPipelineOptions
{
    /// <summary>The default options: every label, STL in LPS, one file per part through <see cref="MeshFileWriter"/>.</summary>
    public static LabelMapPipelineOptions Default { get; } = new();

    /// <summary>The labels: <c>all</c>, or comma-separated ids and names (see <see cref="Labels.LabelTable.Select"/>). Default <c>all</c>.</summary>
    public string Labels { get; init; } = "all";

    /// <summary>
    /// Write one STL per label into the output folder, named <c>&lt;id&gt;_&lt;name&gt;.stl</c>; otherwise all parts go to the
    /// output path through <see cref="MeshFileWriter.Write"/> (one multi-part file where the format has parts).
    /// </summary>
    public bool Split { get; init; }

    /// <summary>The STL encoding written; binary by default.</summary>
    public StlFormat StlFormat { get; init; } = StlFormat.Binary;

    /// <summary>The coordinate system written; LPS by default.</summary>
    public CoordinateSpace Space { get; init; } = CoordinateSpace.Lps;

    /// <summary>Threads to use; −1 (the default) uses every core. The meshes are identical for any value.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Marching-cubes device: <c>auto</c> (default), <c>cpu</c>, <c>cuda</c>, <c>opencl</c>, <c>ilgpu-cpu</c>. Every device gives the same meshes.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>Drop shells of a label's mesh enclosing less than this volume in mm³; none when null.</summary>
    public double? MinShellVolumeMm3 { get; init; }

    /// <summary>Windowed-sinc smoothing iterations per label; 0 for none. Vertices shared with another label stay fixed.</summary>
    public int SmoothIterations { get; init; }

    /// <summary>Fraction of each label's triangles quadric decimation removes; none when null. Vertices shared with another label stay fixed.</summary>
    public double? DecimateRatio { get; init; }

    /// <summary>Largest geometric error decimation may introduce, in mm.</summary>
    public double? MaxErrorMm { get; init; }

    /// <summary>Where to write the per-label report as JSON; none when null.</summary>
    public string? ReportPath { get; init; }
}
