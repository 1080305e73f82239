using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace VolumeMesh.Meshing;

/// <summary>Where a masked-range surface crosses a grid edge, shared by the byte-mask and the packed-mask fields.</summary>
internal static class MaskedRangeCrossing
{
    /// <summary>The crossing of the edge from an inside voxel (value <paramref name="a"/>) to an outside one
    /// (<paramref name="b"/>): interpolated to the range bound the outside value lies beyond; the edge's midpoint when the
    /// inside value is out of range or the outside one in range (the mask, not the values, decided the crossing).</summary>
    /// <param name="a">The inside voxel's value.</param>
    /// <param name="b">The outside voxel's value.</param>
    /// <param name="low">The range's low bound.</param>
    /// <param name="high">The range's high bound.</param>
    /// <returns>The fraction of the edge from the inside voxel.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Fraction(double a, double b, double low, double high)
    {
        if (a < low || a > high || (b >= low && b <= high))
        {
            return 0.5;
        }

        double level = b > high ? high : low;
        return (level - a) / (b - a);
    }

    /// <summary><see cref="Fraction(double, double, double, double)"/> of four edges, lane by lane with the same comparisons and
    /// operations, so each lane equals the scalar result bit for bit.</summary>
    /// <param name="a">The inside voxels' values.</param>
    /// <param name="b">The outside voxels' values.</param>
    /// <param name="low">The range's low bound.</param>
    /// <param name="high">The range's high bound.</param>
    /// <returns>The fractions of the edges from the inside voxels.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Fraction(Vector256<double> a, Vector256<double> b, double low, double high)
    {
        Vector256<double> lo = Vector256.Create(low), hi = Vector256.Create(high);
        Vector256<double> midway = Vector256.LessThan(a, lo) | Vector256.GreaterThan(a, hi)
            | (Vector256.GreaterThanOrEqual(b, lo) & Vector256.LessThanOrEqual(b, hi));
        Vector256<double> level = Vector256.ConditionalSelect(Vector256.GreaterThan(b, hi), hi, lo);
        return Vector256.ConditionalSelect(midway, Vector256.Create(0.5), (level - a) / (b - a));
    }
}
