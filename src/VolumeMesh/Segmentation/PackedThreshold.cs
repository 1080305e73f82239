using System.Numerics;
using System.Runtime.Intrinsics;
using VolumeMesh.Volumes;

namespace VolumeMesh.Segmentation;

/// <summary><see cref="Threshold"/> into a packed mask: each row is classified into a row-sized byte buffer and packed, so no
/// byte per voxel of the whole volume is ever held.</summary>
internal static class PackedThreshold
{
    /// <summary>The voxels inside an inclusive range, as <see cref="Threshold.Apply{T}"/> classifies them, one bit each.</summary>
    /// <exception cref="ArgumentException">The volume holds more than 2³¹ voxels.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public static BitMask Apply<T>(Volume<T> volume, HuRange range, int maxDegreeOfParallelism, CancellationToken cancellationToken)
        where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(volume);
        var mask = new BitMask(volume.Geometry);
        int sizeX = volume.SizeX;
        int sizeY = volume.SizeY;
        T[] voxels = volume.Voxels;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : -1, CancellationToken = cancellationToken };
        Parallel.For(0, volume.SizeZ, parallel, () => new byte[sizeX], (k, _, scratch) =>
        {
            for (int row = k * sizeY; row < (k + 1) * sizeY; row++)
            {
                Threshold.ApplySpan<T>(voxels.AsSpan(row * sizeX, sizeX), scratch, range);
                Pack(scratch, mask.Row(row));
            }

            return scratch;
        }, _ => { });
        return mask;
    }

    /// <summary>Packs the non-zero bytes of a row into bits (the words are overwritten).</summary>
    internal static void Pack(ReadOnlySpan<byte> row, Span<ulong> words)
    {
        words.Clear();
        int x = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; x + 32 <= row.Length; x += 32)
            {
                uint inside = ~Vector256.Equals(Vector256.Create(row.Slice(x, 32)), Vector256<byte>.Zero).ExtractMostSignificantBits();
                words[x >> 6] |= (ulong)inside << (x & 63);
            }
        }

        for (; x < row.Length; x++)
        {
            if (row[x] != 0)
            {
                words[x >> 6] |= 1UL << (x & 63);
            }
        }
    }
}
