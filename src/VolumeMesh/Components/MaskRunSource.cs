namespace VolumeMesh.Components;

/// <summary>The non-zero (or, inverted, the zero) bytes of a byte mask.</summary>
internal readonly struct MaskRunSource(byte[] voxels, int sizeX, bool invert) : IRunSource
{
    public int ExtractRow(int row, Span<int> starts, Span<int> ends, Span<byte> scratch) =>
        RunLabeler.ExtractRuns(voxels.AsSpan(row * sizeX, sizeX), invert, starts, ends);
}
