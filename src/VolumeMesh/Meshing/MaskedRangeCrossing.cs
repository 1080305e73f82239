using System.Runtime.CompilerServices;

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
}
