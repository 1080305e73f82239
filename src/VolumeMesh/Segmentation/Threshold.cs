using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using VolumeMesh.Volumes;

namespace VolumeMesh.Segmentation;

/// <summary>Threshold segmentation: the voxels whose value lies in an inclusive range become the inside of a <see cref="Mask"/>.</summary>
/// <remarks>
/// <para>Runs on the managed CPU path, parallel over slices and vectorised (<see cref="Vector256"/>, or <see cref="Vector128"/>
/// where 256-bit vectors are not accelerated): each vector of voxels is compared with both bounds and the all-ones lane masks
/// are narrowed to one byte per voxel. The result does not depend on the thread count or the instruction set.</para>
/// <para>Bounds are converted exactly to the voxel type: for integer voxels the range becomes [⌈low⌉, ⌊high⌋] clamped to the
/// type, for <see cref="float"/> the nearest floats inside the range, so a voxel is inside exactly when
/// <c>low ≤ (double)value ≤ high</c>. NaN voxels are outside.</para>
/// </remarks>
public static class Threshold
{
    /// <summary>Segments a volume by an inclusive value range.</summary>
    /// <typeparam name="T">The voxel type (<see cref="short"/> HU for CT; any primitive number type).</typeparam>
    /// <param name="volume">The volume.</param>
    /// <param name="range">The inclusive range, e.g. <see cref="ThresholdPresets.Bone"/>.</param>
    /// <param name="options">Options; <see cref="ThresholdOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>A new mask with the geometry of <paramref name="volume"/>: 1 inside, 0 outside.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="volume"/> is null.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public static Mask Apply<T>(Volume<T> volume, HuRange range, ThresholdOptions? options = null, CancellationToken cancellationToken = default)
        where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(volume);
        options ??= ThresholdOptions.Default;
        var mask = new Mask(volume.Geometry);
        int slices = volume.SizeZ;
        int sliceLength = volume.SliceLength;
        T[] source = volume.Voxels;
        byte[] target = mask.Voxels;
        IProgress<double>? progress = options.Progress;
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = Execution.Parallelism.ForParallelOptions(options.MaxDegreeOfParallelism),
            CancellationToken = cancellationToken,
        };

        int done = 0;
        Parallel.For(0, slices, parallel, k =>
        {
            int start = k * sliceLength;
            ApplySpan<T>(source.AsSpan(start, sliceLength), target.AsSpan(start, sliceLength), range);
            if (progress is not null)
            {
                progress.Report((double)Interlocked.Increment(ref done) / slices);
            }
        });

        return mask;
    }

    /// <summary>Writes 1 into <paramref name="destination"/> where the value in <paramref name="source"/> lies in the range, 0 elsewhere.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="source">The values.</param>
    /// <param name="destination">One byte per value; at least as long as <paramref name="source"/>.</param>
    /// <param name="range">The inclusive range.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="source"/>.</exception>
    public static void ApplySpan<T>(ReadOnlySpan<T> source, Span<byte> destination, HuRange range)
        where T : unmanaged, INumber<T>
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException(
                $"The destination has {destination.Length} bytes but the source has {source.Length} values.", nameof(destination));
        }

        destination = destination[..source.Length];
        switch (GetBounds(range, out T low, out T high))
        {
            case BoundKind.Empty:
                destination.Clear();
                return;
            case BoundKind.Exact:
                Compare(source, destination, low, high);
                return;
            default:
                // Number types without an exact conversion (Half, decimal, 128-bit integers): compare as doubles.
                for (int i = 0; i < source.Length; i++)
                {
                    destination[i] = range.Contains(double.CreateSaturating(source[i])) ? (byte)1 : (byte)0;
                }

                return;
        }
    }

    private enum BoundKind
    {
        Empty,
        Exact,
        ViaDouble,
    }

    private static BoundKind GetBounds<T>(HuRange range, out T low, out T high)
        where T : unmanaged, INumber<T>
    {
        low = high = default;
        if (typeof(T) == typeof(double))
        {
            low = T.CreateChecked(range.Low);
            high = T.CreateChecked(range.High);
            return BoundKind.Exact;
        }

        if (typeof(T) == typeof(float))
        {
            // The smallest float ≥ Low and the largest float ≤ High: the same set of floats as the double range.
            float lo = (float)range.Low;
            if (lo < range.Low)
            {
                lo = MathF.BitIncrement(lo);
            }

            float hi = (float)range.High;
            if (hi > range.High)
            {
                hi = MathF.BitDecrement(hi);
            }

            if (lo > hi)
            {
                return BoundKind.Empty;
            }

            low = T.CreateChecked(lo);
            high = T.CreateChecked(hi);
            return BoundKind.Exact;
        }

        if (typeof(T) == typeof(sbyte) || typeof(T) == typeof(byte) || typeof(T) == typeof(short) || typeof(T) == typeof(ushort) ||
            typeof(T) == typeof(int) || typeof(T) == typeof(uint) || typeof(T) == typeof(long) || typeof(T) == typeof(ulong))
        {
            double lo = Math.Ceiling(range.Low);
            double hi = Math.Floor(range.High);
            double typeMin = double.CreateChecked(T.CreateSaturating(double.MinValue));
            double typeMax = double.CreateChecked(T.CreateSaturating(double.MaxValue));
            if (lo > hi || hi < typeMin || lo > typeMax)
            {
                return BoundKind.Empty;
            }

            low = T.CreateSaturating(lo);
            high = T.CreateSaturating(hi);
            return BoundKind.Exact;
        }

        return BoundKind.ViaDouble;
    }

    private static void Compare<T>(ReadOnlySpan<T> source, Span<byte> destination, T low, T high)
        where T : unmanaged, INumber<T>
    {
        int n = source.Length;
        int i = 0;
        ref T src = ref MemoryMarshal.GetReference(source);
        ref byte dst = ref MemoryMarshal.GetReference(destination);
        int size = Unsafe.SizeOf<T>();

        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && size <= 8)
        {
            // One iteration produces 32 mask bytes from 32 voxels (1, 2, 4 or 8 input vectors).
            Vector256<T> lo = Vector256.Create(low);
            Vector256<T> hi = Vector256.Create(high);
            Vector256<byte> one = Vector256.Create((byte)1);
            int step = Vector256<T>.Count;
            for (; i <= n - 32; i += 32)
            {
                Vector256<byte> bytes;
                if (size == 1)
                {
                    bytes = In256(ref src, i, lo, hi).AsByte();
                }
                else if (size == 2)
                {
                    bytes = Vector256.Narrow(In256(ref src, i, lo, hi).AsUInt16(), In256(ref src, i + step, lo, hi).AsUInt16());
                }
                else if (size == 4)
                {
                    Vector256<ushort> a = Vector256.Narrow(In256(ref src, i, lo, hi).AsUInt32(), In256(ref src, i + step, lo, hi).AsUInt32());
                    Vector256<ushort> b = Vector256.Narrow(In256(ref src, i + (2 * step), lo, hi).AsUInt32(), In256(ref src, i + (3 * step), lo, hi).AsUInt32());
                    bytes = Vector256.Narrow(a, b);
                }
                else
                {
                    Vector256<uint> a = Vector256.Narrow(In256(ref src, i, lo, hi).AsUInt64(), In256(ref src, i + step, lo, hi).AsUInt64());
                    Vector256<uint> b = Vector256.Narrow(In256(ref src, i + (2 * step), lo, hi).AsUInt64(), In256(ref src, i + (3 * step), lo, hi).AsUInt64());
                    Vector256<uint> c = Vector256.Narrow(In256(ref src, i + (4 * step), lo, hi).AsUInt64(), In256(ref src, i + (5 * step), lo, hi).AsUInt64());
                    Vector256<uint> d = Vector256.Narrow(In256(ref src, i + (6 * step), lo, hi).AsUInt64(), In256(ref src, i + (7 * step), lo, hi).AsUInt64());
                    bytes = Vector256.Narrow(Vector256.Narrow(a, b), Vector256.Narrow(c, d));
                }

                (bytes & one).StoreUnsafe(ref dst, (nuint)i);
            }
        }
        else if (Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported && size <= 8)
        {
            Vector128<T> lo = Vector128.Create(low);
            Vector128<T> hi = Vector128.Create(high);
            Vector128<byte> one = Vector128.Create((byte)1);
            int step = Vector128<T>.Count;
            for (; i <= n - 16; i += 16)
            {
                Vector128<byte> bytes;
                if (size == 1)
                {
                    bytes = In128(ref src, i, lo, hi).AsByte();
                }
                else if (size == 2)
                {
                    bytes = Vector128.Narrow(In128(ref src, i, lo, hi).AsUInt16(), In128(ref src, i + step, lo, hi).AsUInt16());
                }
                else if (size == 4)
                {
                    Vector128<ushort> a = Vector128.Narrow(In128(ref src, i, lo, hi).AsUInt32(), In128(ref src, i + step, lo, hi).AsUInt32());
                    Vector128<ushort> b = Vector128.Narrow(In128(ref src, i + (2 * step), lo, hi).AsUInt32(), In128(ref src, i + (3 * step), lo, hi).AsUInt32());
                    bytes = Vector128.Narrow(a, b);
                }
                else
                {
                    Vector128<uint> a = Vector128.Narrow(In128(ref src, i, lo, hi).AsUInt64(), In128(ref src, i + step, lo, hi).AsUInt64());
                    Vector128<uint> b = Vector128.Narrow(In128(ref src, i + (2 * step), lo, hi).AsUInt64(), In128(ref src, i + (3 * step), lo, hi).AsUInt64());
                    Vector128<uint> c = Vector128.Narrow(In128(ref src, i + (4 * step), lo, hi).AsUInt64(), In128(ref src, i + (5 * step), lo, hi).AsUInt64());
                    Vector128<uint> d = Vector128.Narrow(In128(ref src, i + (6 * step), lo, hi).AsUInt64(), In128(ref src, i + (7 * step), lo, hi).AsUInt64());
                    bytes = Vector128.Narrow(Vector128.Narrow(a, b), Vector128.Narrow(c, d));
                }

                (bytes & one).StoreUnsafe(ref dst, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            T value = Unsafe.Add(ref src, i);
            Unsafe.Add(ref dst, i) = value >= low && value <= high ? (byte)1 : (byte)0;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> In256<T>(ref T source, int index, Vector256<T> low, Vector256<T> high)
        where T : unmanaged
    {
        Vector256<T> v = Vector256.LoadUnsafe(ref source, (nuint)index);
        return Vector256.GreaterThanOrEqual(v, low) & Vector256.LessThanOrEqual(v, high);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> In128<T>(ref T source, int index, Vector128<T> low, Vector128<T> high)
        where T : unmanaged
    {
        Vector128<T> v = Vector128.LoadUnsafe(ref source, (nuint)index);
        return Vector128.GreaterThanOrEqual(v, low) & Vector128.LessThanOrEqual(v, high);
    }
}
