using System.Numerics;
using VolumeMesh.Geometry;

namespace VolumeMesh.Volumes;

/// <summary>
/// A binary segmentation packed one bit per voxel: every row (j, k) starts on a fresh 64-bit word, bit x of the row is
/// voxel (x, j, k), and the bits past the end of a row are always clear. An eighth of a byte <see cref="Mask"/>.
/// </summary>
/// <remarks>Rows are numbered r = j + SizeY·k as in <see cref="Volume{T}"/>. Rows own their words, so threads that write
/// different rows never touch the same word.</remarks>
internal sealed class BitMask
{
    private readonly ulong _lastWordBits;

    /// <summary>Creates an empty mask (all outside).</summary>
    /// <exception cref="ArgumentException">The volume holds more than 2³¹ voxels.</exception>
    public BitMask(VolumeGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (geometry.VoxelCount > Array.MaxLength)
        {
            throw new ArgumentException(
                $"A volume of {geometry.VoxelCount} voxels ({geometry.SizeX}×{geometry.SizeY}×{geometry.SizeZ}) exceeds one managed array; process it in z-slabs.",
                nameof(geometry));
        }

        Geometry = geometry;
        SizeX = geometry.SizeX;
        SizeY = geometry.SizeY;
        SizeZ = geometry.SizeZ;
        WordsPerRow = (SizeX + 63) >> 6;
        Words = new ulong[checked(WordsPerRow * SizeY * SizeZ)];
        int tail = SizeX & 63;
        _lastWordBits = tail == 0 ? ulong.MaxValue : (1UL << tail) - 1;
    }

    /// <summary>The geometry.</summary>
    public VolumeGeometry Geometry { get; }

    /// <summary>Voxels along a row.</summary>
    public int SizeX { get; }

    /// <summary>Rows per slice.</summary>
    public int SizeY { get; }

    /// <summary>Slices.</summary>
    public int SizeZ { get; }

    /// <summary>64-bit words per row.</summary>
    public int WordsPerRow { get; }

    /// <summary>The bits, row after row.</summary>
    public ulong[] Words { get; }

    /// <summary>The mask of the valid bits of a row's last word.</summary>
    public ulong LastWordBits => _lastWordBits;

    /// <summary>Whether voxel (i, j, k) is inside.</summary>
    public bool this[int i, int j, int k] => ((Words[((j + ((long)SizeY * k)) * WordsPerRow) + (i >> 6)] >> (i & 63)) & 1) != 0;

    /// <summary>The words of row r = j + SizeY·k.</summary>
    public Span<ulong> Row(int row) => Words.AsSpan(row * WordsPerRow, WordsPerRow);

    /// <summary>Sets voxels [start, end) of row r.</summary>
    public void SetRun(int row, int start, int end) => SetBits(Row(row), start, end);

    /// <summary>Sets bits [start, end) of a row of words.</summary>
    public static void SetBits(Span<ulong> words, int start, int end)
    {
        if (start >= end)
        {
            return;
        }

        int w0 = start >> 6;
        int w1 = (end - 1) >> 6;
        ulong first = ulong.MaxValue << (start & 63);
        ulong last = ulong.MaxValue >> (63 - ((end - 1) & 63));
        if (w0 == w1)
        {
            words[w0] |= first & last;
            return;
        }

        words[w0] |= first;
        words[(w0 + 1)..w1].Fill(ulong.MaxValue);
        words[w1] |= last;
    }

    /// <summary>Packs the non-zero bytes of one row into bits (the words are overwritten); the reference form of the packers.</summary>
    public static void Pack(ReadOnlySpan<byte> row, Span<ulong> words)
    {
        words.Clear();
        for (int x = 0; x < row.Length; x++)
        {
            if (row[x] != 0)
            {
                words[x >> 6] |= 1UL << (x & 63);
            }
        }
    }

    /// <summary>Packs a byte mask.</summary>
    public static BitMask FromMask(Mask mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var bits = new BitMask(mask.Geometry);
        Parallel.For(0, bits.SizeZ, k =>
        {
            for (int row = k * bits.SizeY; row < (k + 1) * bits.SizeY; row++)
            {
                Pack(mask.Voxels.AsSpan(row * bits.SizeX, bits.SizeX), bits.Row(row));
            }
        });
        return bits;
    }

    /// <summary>Unpacks into a byte mask (1 inside).</summary>
    public Mask ToMask()
    {
        var mask = new Mask(Geometry);
        byte[] voxels = mask.Voxels;
        Parallel.For(0, SizeZ, k =>
        {
            for (int row = k * SizeY; row < (k + 1) * SizeY; row++)
            {
                ReadOnlySpan<ulong> words = Row(row);
                Span<byte> target = voxels.AsSpan(row * SizeX, SizeX);
                for (int w = 0; w < words.Length; w++)
                {
                    ulong word = words[w];
                    while (word != 0)
                    {
                        target[(w << 6) + BitOperations.TrailingZeroCount(word)] = 1;
                        word &= word - 1;
                    }
                }
            }
        });
        return mask;
    }

    /// <summary>Counts the voxels inside.</summary>
    public long CountInside()
    {
        long count = 0;
        foreach (ulong word in Words)
        {
            count += BitOperations.PopCount(word);
        }

        return count;
    }
}
