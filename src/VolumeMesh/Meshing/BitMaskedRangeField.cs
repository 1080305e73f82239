using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using VolumeMesh.Volumes;

namespace VolumeMesh.Meshing;

/// <summary>
/// <see cref="MaskedRangeField{T}"/> over a packed mask: the inside bits of a row are the mask's words, copied as they are
/// (no byte per voxel is ever read); crossings are placed exactly as the byte-mask field places them.
/// </summary>
internal readonly struct BitMaskedRangeField<T> : IVoxelField
    where T : unmanaged, INumber<T>
{
    private readonly BitMask _mask;
    private readonly T[] _voxels;
    private readonly double _low;
    private readonly double _high;

    public BitMaskedRangeField(BitMask mask, T[] voxels, double low, double high)
    {
        _mask = mask;
        _voxels = voxels;
        _low = low;
        _high = high;
    }

    public void Classify(long offset, int length, Span<ulong> bits)
    {
        // The engine asks for whole rows: offset = SizeX · (j + SizeY · k). The mask's bit x becomes bit x + 1.
        ReadOnlySpan<ulong> row = _mask.Row((int)(offset / _mask.SizeX));
        ulong carry = 0;
        for (int w = 0; w < bits.Length; w++)
        {
            ulong word = w < row.Length ? row[w] : 0;
            bits[w] = (word << 1) | carry;
            carry = word >> 63;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Crossing(long inside, long outside) =>
        MaskedRangeCrossing.Fraction(double.CreateTruncating(_voxels[inside]), double.CreateTruncating(_voxels[outside]), _low, _high);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Values(long a, long b, long c, long d) => FieldClassification.Values(_voxels, a, b, c, d);

    public void Prefetch(long index, int count) => FieldClassification.Prefetch(_voxels, index, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Crossing(Vector256<double> inside, Vector256<double> outside) => MaskedRangeCrossing.Fraction(inside, outside, _low, _high);
}
