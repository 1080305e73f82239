namespace VolumeMesh.Components;

/// <summary>An integer voxel index (i along a row, j along a column, k the slice).</summary>
/// <param name="I">Index along a row.</param>
/// <param name="J">Index along a column.</param>
/// <param name="K">Slice index.</param>
public readonly record struct VoxelIndex(int I, int J, int K)
{
    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"({I}, {J}, {K})");
}
