using System.Runtime.CompilerServices;
using VolumeMesh.Geometry;

namespace VolumeMesh.Processing;

/// <summary>Squared distance from a point to a triangle (closest point by Voronoi regions of the triangle, Ericson 2005 §5.1.5).</summary>
internal static class TriangleDistance
{
    /// <summary>The squared distance from p to the triangle (a, b, c).</summary>
    /// <remarks>
    /// Not inlined into its callers on purpose: the error checks call it from large loops, where the inlined copies
    /// exhausted the JIT's inlining budget and left the vector arithmetic inside as calls.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static double Squared(in Vector3D p, in Vector3D a, in Vector3D b, in Vector3D c)
    {
        Vector3D ab = b - a, ac = c - a, ap = p - a;
        double d1 = Vector3D.Dot(ab, ap), d2 = Vector3D.Dot(ac, ap);
        if (d1 <= 0 && d2 <= 0)
        {
            return Vector3D.Dot(ap, ap);
        }

        Vector3D bp = p - b;
        double d3 = Vector3D.Dot(ab, bp), d4 = Vector3D.Dot(ac, bp);
        if (d3 >= 0 && d4 <= d3)
        {
            return Vector3D.Dot(bp, bp);
        }

        double vc = (d1 * d4) - (d3 * d2);
        if (vc <= 0 && d1 >= 0 && d3 <= 0)
        {
            double v = d1 / (d1 - d3);
            return Length2(ap - (ab * v));
        }

        Vector3D cp = p - c;
        double d5 = Vector3D.Dot(ab, cp), d6 = Vector3D.Dot(ac, cp);
        if (d6 >= 0 && d5 <= d6)
        {
            return Vector3D.Dot(cp, cp);
        }

        double vb = (d5 * d2) - (d1 * d6);
        if (vb <= 0 && d2 >= 0 && d6 <= 0)
        {
            double w = d2 / (d2 - d6);
            return Length2(ap - (ac * w));
        }

        double va = (d3 * d6) - (d5 * d4);
        if (va <= 0 && (d4 - d3) >= 0 && (d5 - d6) >= 0)
        {
            double w = (d4 - d3) / ((d4 - d3) + (d5 - d6));
            return Length2(bp - ((c - b) * w));
        }

        double denom = 1 / (va + vb + vc);
        double vv = vb * denom, ww = vc * denom;
        return Length2(ap - (ab * vv) - (ac * ww));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Length2(in Vector3D v) => Vector3D.Dot(v, v);
}
