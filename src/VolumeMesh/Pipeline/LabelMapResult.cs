namespace VolumeMesh.Pipeline;

/// <summary>The result of <see cref="LabelMapPipeline.Run"/>.</summary>
public sealed record LabelMapResult
{
    /// <summary>One entry per selected label, in the order selected.</summary>
    public required IReadOnlyList<LabelPartResult> Parts { get; init; }

    /// <summary>Every file written.</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>The marching-cubes device used.</summary>
    public required string Device { get; init; }

    /// <summary>What <c>auto</c> device selection chose and why; null otherwise.</summary>
    public string? DeviceNote { get; init; }

    /// <summary>Time spent meshing (all labels).</summary>
    public TimeSpan MeshTime { get; init; }

    /// <summary>Time spent processing (cleanup, smoothing, decimation).</summary>
    public TimeSpan ProcessTime { get; init; }

    /// <summary>Time spent writing.</summary>
    public TimeSpan WriteTime { get; init; }
}
