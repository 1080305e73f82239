using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace VolumeMesh.Meshing;

/// <summary>
/// What the marching-cubes engine asks of a volume: which voxels of a row are inside, and where along an edge
/// from an inside voxel to an outside one the surface crosses.
/// </summary>
internal interface IVoxelField
{
    /// <summary>Writes the padded bit row of the run of <paramref name="length"/> voxels starting at <paramref name="offset"/>:
    /// bit x + 1 of <paramref name="bits"/> set for each inside voxel x, every other bit of the span cleared.</summary>
    void Classify(long offset, int length, Span<ulong> bits);

    /// <summary>The crossing parameter from the inside voxel toward the outside one, before clamping.</summary>
    double Crossing(long inside, long outside);

    /// <summary>The values a crossing reads at four voxels, converted as <see cref="Crossing(long, long)"/> converts them; the
    /// indices must lie in the volume (they are not checked).</summary>
    Vector256<double> Values(long a, long b, long c, long d);

    /// <summary>Asks the processor to bring voxels [<paramref name="index"/>, <paramref name="index"/> + <paramref name="count"/>)
    /// into its caches ahead of a read; a hint only (it never faults), and nothing where no values are read.</summary>
    void Prefetch(long index, int count);

    /// <summary><see cref="Crossing(long, long)"/> of four edges from their inside and outside values (<see cref="Values"/>),
    /// computed lane by lane with the same operations, so each lane equals the scalar result bit for bit.</summary>
    Vector256<double> Crossing(Vector256<double> inside, Vector256<double> outside);
}

/// <summary>Shared helpers for the vectorised classification.</summary>
internal static class FieldClassification
{
    /// <summary>Smallest crossing parameter; keeps the vertices of a voxel exactly at the iso value apart.</summary>
    public const double Epsilon = 1.0 / 256;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Clamp(double t) => t > Epsilon ? (t < 1 - Epsilon ? t : 1 - Epsilon) : Epsilon;

    /// <summary>Converts a level to the smallest voxel value at or above it (ceiling for integer types).</summary>
    public static bool TryCeiling<T>(double level, out T value)
        where T : unmanaged, INumber<T>
    {
        if (double.IsNaN(level))
        {
            throw new ArgumentException("The level is not a number.", nameof(level));
        }

        double target = IsInteger<T>() ? Math.Ceiling(level) : level;
        value = T.CreateSaturating(target);
        return double.CreateSaturating(value) >= target || double.IsNegativeInfinity(level);
    }

    /// <summary>Converts a level to the largest voxel value at or below it (floor for integer types).</summary>
    public static bool TryFloor<T>(double level, out T value)
        where T : unmanaged, INumber<T>
    {
        if (double.IsNaN(level))
        {
            throw new ArgumentException("The level is not a number.", nameof(level));
        }

        double target = IsInteger<T>() ? Math.Floor(level) : level;
        value = T.CreateSaturating(target);
        return double.CreateSaturating(value) <= target || double.IsPositiveInfinity(level);
    }

    /// <summary>Writes the padded bit row of a run: bit x + 1 of <paramref name="bits"/> set for each voxel x of the run that
    /// <paramref name="inside"/> accepts, every other bit cleared; 64 voxels make one word, assembled in a register.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ClassifyRun<T, TInside>(T[] voxels, long offset, int length, Span<ulong> bits, TInside inside)
        where T : unmanaged
        where TInside : struct, IInsideTest<T>
    {
        ref T start = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(voxels), (nint)offset);
        bool vectors = Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported;
        int w = 0;
        ulong carry = 0;
        for (int x = 0; x < length; x += 64)
        {
            ulong word = 0;
            int end = Math.Min(64, length - x), k = 0;
            if (vectors)
            {
                for (; k <= end - Vector256<T>.Count; k += Vector256<T>.Count)
                {
                    word |= (ulong)inside.Test(Vector256.LoadUnsafe(ref start, (nuint)(x + k))).ExtractMostSignificantBits() << k;
                }
            }

            for (; k < end; k++)
            {
                if (inside.Test(Unsafe.Add(ref start, x + k)))
                {
                    word |= 1UL << k;
                }
            }

            bits[w++] = (word << 1) | carry;
            carry = word >> 63;
        }

        for (; w < bits.Length; w++)
        {
            bits[w] = carry;
            carry = 0;
        }
    }

    /// <summary>Four voxels as doubles, read without bounds checks: the caller guarantees the indices lie in the array.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Values<T>(T[] voxels, long a, long b, long c, long d)
        where T : unmanaged, INumber<T>
    {
        ref T start = ref MemoryMarshal.GetArrayDataReference(voxels);
        return Vector256.Create(
            double.CreateTruncating(Unsafe.Add(ref start, (nint)a)),
            double.CreateTruncating(Unsafe.Add(ref start, (nint)b)),
            double.CreateTruncating(Unsafe.Add(ref start, (nint)c)),
            double.CreateTruncating(Unsafe.Add(ref start, (nint)d)));
    }

    /// <summary>
    /// Prefetches every cache line that elements [index, index + count) of <paramref name="voxels"/> touch (x86 only;
    /// elsewhere nothing). Any array will do; the loop over lines suits whole rows (for a few addresses a call costs more
    /// than the hints: the decimator issues its own inline).
    /// </summary>
    public static unsafe void Prefetch<T>(T[] voxels, long index, int count)
        where T : unmanaged
    {
        if (!Sse.IsSupported || (ulong)index >= (ulong)voxels.Length || count <= 0)
        {
            return;
        }

        // A prefetch is a hint that never faults, so the address needs no pinning: were the array moved meanwhile, the
        // hint would only be wasted. Lines are walked from the one holding the first byte to the one holding the last, so
        // a range that starts inside a line gets its last line too.
        byte* start = (byte*)Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(voxels), (nint)index));
        long bytes = Math.Min(count, voxels.Length - index) * (long)sizeof(T);
        nuint last = (nuint)(start + bytes - 1);
        for (nuint line = (nuint)start & ~(nuint)63; line <= last; line += 64)
        {
            Sse.Prefetch0((void*)line);
        }
    }

    public static bool IsInteger<T>()
        where T : unmanaged, INumber<T> =>
        typeof(T) != typeof(float) && typeof(T) != typeof(double) && typeof(T) != typeof(Half) && typeof(T) != typeof(decimal);
}

/// <summary>Inside when value ≥ level.</summary>
internal readonly struct IsoField<T> : IVoxelField
    where T : unmanaged, INumber<T>
{
    private readonly T[] _voxels;
    private readonly T _threshold;
    private readonly double _iso;

    public IsoField(T[] voxels, T threshold, double iso)
    {
        _voxels = voxels;
        _threshold = threshold;
        _iso = iso;
    }

    public void Classify(long offset, int length, Span<ulong> bits) =>
        FieldClassification.ClassifyRun(_voxels, offset, length, bits, new AtLeast<T>(_threshold));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Crossing(long inside, long outside)
    {
        double a = double.CreateTruncating(_voxels[inside]);
        double b = double.CreateTruncating(_voxels[outside]);
        return (_iso - a) / (b - a);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Values(long a, long b, long c, long d) => FieldClassification.Values(_voxels, a, b, c, d);

    public void Prefetch(long index, int count) => FieldClassification.Prefetch(_voxels, index, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Crossing(Vector256<double> inside, Vector256<double> outside) =>
        (Vector256.Create(_iso) - inside) / (outside - inside);
}

/// <summary>Inside when low ≤ value ≤ high.</summary>
internal readonly struct RangeField<T> : IVoxelField
    where T : unmanaged, INumber<T>
{
    private readonly T[] _voxels;
    private readonly T _lowValue;
    private readonly T _highValue;
    private readonly double _low;
    private readonly double _high;

    public RangeField(T[] voxels, T lowValue, T highValue, double low, double high)
    {
        _voxels = voxels;
        _lowValue = lowValue;
        _highValue = highValue;
        _low = low;
        _high = high;
    }

    public void Classify(long offset, int length, Span<ulong> bits) =>
        FieldClassification.ClassifyRun(_voxels, offset, length, bits, new Between<T>(_lowValue, _highValue));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Crossing(long inside, long outside)
    {
        double a = double.CreateTruncating(_voxels[inside]);
        double b = double.CreateTruncating(_voxels[outside]);
        double level = b > _high ? _high : _low;
        return (level - a) / (b - a);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Values(long a, long b, long c, long d) => FieldClassification.Values(_voxels, a, b, c, d);

    public void Prefetch(long index, int count) => FieldClassification.Prefetch(_voxels, index, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Crossing(Vector256<double> inside, Vector256<double> outside)
    {
        Vector256<double> high = Vector256.Create(_high);
        Vector256<double> level = Vector256.ConditionalSelect(Vector256.GreaterThan(outside, high), high, Vector256.Create(_low));
        return (level - inside) / (outside - inside);
    }
}

/// <summary>Inside when the mask byte is non-zero; crossings midway.</summary>
internal readonly struct MaskField : IVoxelField
{
    private readonly byte[] _voxels;

    public MaskField(byte[] voxels) => _voxels = voxels;

    public void Classify(long offset, int length, Span<ulong> bits) =>
        FieldClassification.ClassifyRun(_voxels, offset, length, bits, default(NonZero));

    public double Crossing(long inside, long outside) => 0.5;

    public Vector256<double> Values(long a, long b, long c, long d) => Vector256<double>.Zero;

    public void Prefetch(long index, int count)
    {
    }

    public Vector256<double> Crossing(Vector256<double> inside, Vector256<double> outside) => Vector256.Create(0.5);
}

/// <summary>
/// Inside when the mask byte is non-zero; where an inside voxel in [low, high] meets an outside voxel beyond the range, the
/// crossing is interpolated at the level it passes (as <see cref="RangeField{T}"/>); elsewhere (a voxel dropped by component
/// selection, or added by hole filling or morphology) it lies midway.
/// </summary>
internal readonly struct MaskedRangeField<T> : IVoxelField
    where T : unmanaged, INumber<T>
{
    private readonly MaskField _mask;
    private readonly T[] _voxels;
    private readonly double _low;
    private readonly double _high;

    public MaskedRangeField(byte[] mask, T[] voxels, double low, double high)
    {
        _mask = new MaskField(mask);
        _voxels = voxels;
        _low = low;
        _high = high;
    }

    public void Classify(long offset, int length, Span<ulong> bits) => _mask.Classify(offset, length, bits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Crossing(long inside, long outside) =>
        MaskedRangeCrossing.Fraction(double.CreateTruncating(_voxels[inside]), double.CreateTruncating(_voxels[outside]), _low, _high);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Values(long a, long b, long c, long d) => FieldClassification.Values(_voxels, a, b, c, d);

    public void Prefetch(long index, int count) => FieldClassification.Prefetch(_voxels, index, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<double> Crossing(Vector256<double> inside, Vector256<double> outside) => MaskedRangeCrossing.Fraction(inside, outside, _low, _high);
}

/// <summary>The inside test of one voxel and of a vector of voxels (all-ones lanes inside).</summary>
internal interface IInsideTest<T>
    where T : unmanaged
{
    bool Test(T value);

    Vector256<T> Test(Vector256<T> values);
}

/// <summary>Inside when value ≥ threshold.</summary>
internal readonly struct AtLeast<T>(T threshold) : IInsideTest<T>
    where T : unmanaged, INumber<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Test(T value) => value >= threshold;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Test(Vector256<T> values) => Vector256.GreaterThanOrEqual(values, Vector256.Create(threshold));
}

/// <summary>Inside when low ≤ value ≤ high.</summary>
internal readonly struct Between<T>(T low, T high) : IInsideTest<T>
    where T : unmanaged, INumber<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Test(T value) => value >= low && value <= high;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Test(Vector256<T> values) =>
        Vector256.GreaterThanOrEqual(values, Vector256.Create(low)) & Vector256.LessThanOrEqual(values, Vector256.Create(high));
}

/// <summary>Inside when the byte is non-zero.</summary>
internal readonly struct NonZero : IInsideTest<byte>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Test(byte value) => value != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<byte> Test(Vector256<byte> values) => ~Vector256.Equals(values, Vector256<byte>.Zero);
}
