using System.Numerics;
using VolumeMesh.Volumes;

namespace VolumeMesh.Components;

/// <summary>The set (or, inverted, the clear) bits of a <see cref="BitMask"/>, found a word at a time.</summary>
internal readonly struct BitMaskRunSource(BitMask mask, bool invert) : IRunSource
{
    public int ExtractRow(int row, Span<int> starts, Span<int> ends, Span<byte> scratch) => ExtractRuns(mask.Row(row), mask.SizeX, invert, starts, ends);

    /// <summary>The runs of set bits (clear bits with <paramref name="invert"/>) among the first <paramref name="length"/> bits.</summary>
    public static int ExtractRuns(ReadOnlySpan<ulong> words, int length, bool invert, Span<int> starts, Span<int> ends)
    {
        int count = 0;
        int x = 0;
        while (x < length)
        {
            int start = Next(words, x, length, invert, wantSet: true);
            if (start >= length)
            {
                break;
            }

            int end = Next(words, start, length, invert, wantSet: false);
            starts[count] = start;
            ends[count] = end;
            count++;
            x = end;
        }

        return count;
    }

    /// <summary>The first position ≥ <paramref name="from"/> whose (possibly inverted) bit is set (or clear); <paramref name="length"/> when none.</summary>
    private static int Next(ReadOnlySpan<ulong> words, int from, int length, bool invert, bool wantSet)
    {
        ulong flip = invert == wantSet ? ulong.MaxValue : 0UL; // turns the wanted state into set bits
        int w = from >> 6;
        ulong word = (words[w] ^ flip) & (ulong.MaxValue << (from & 63));
        while (true)
        {
            if (word != 0)
            {
                return Math.Min(length, (w << 6) + BitOperations.TrailingZeroCount(word));
            }

            if (++w >= words.Length)
            {
                return length;
            }

            word = words[w] ^ flip;
        }
    }
}
