using System.Numerics;
using VolumeMesh.Segmentation;

namespace VolumeMesh.Components;

/// <summary>The voxels of a volume inside an inclusive range, classified row by row exactly as <see cref="Threshold"/>
/// classifies them, so no mask of the whole volume is ever built.</summary>
internal readonly struct ThresholdRunSource<T>(T[] voxels, int sizeX, HuRange range) : IRunSource
    where T : unmanaged, INumber<T>
{
    public int ExtractRow(int row, Span<int> starts, Span<int> ends, Span<byte> scratch)
    {
        Threshold.ApplySpan<T>(voxels.AsSpan(row * sizeX, sizeX), scratch, range);
        return RunLabeler.ExtractRuns(scratch[..sizeX], invert: false, starts, ends);
    }
}
