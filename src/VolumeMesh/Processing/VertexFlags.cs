namespace VolumeMesh.Processing;

/// <summary>The decimator's per-vertex state bits (see <see cref="VertexClassifier"/>), and the fan size it handles.</summary>
internal static class VertexFlags
{
    /// <summary>The vertex lies on an open edge.</summary>
    public const byte Boundary = 1;

    /// <summary>Non-manifold neighbourhood: never moved or removed.</summary>
    public const byte Frozen = 2;

    /// <summary>Removed by a collapse, or referenced by no triangle.</summary>
    public const byte Dead = 4;

    /// <summary><see cref="DecimationOptions.LockedVertices"/>: never moved; collapses only into it.</summary>
    public const byte Locked = 8;

    /// <summary>Larger fans are frozen (never seen on meshes from volumes).</summary>
    public const int MaxValence = 96;
}
