using VolumeMesh.Geometry;

namespace VolumeMesh.Processing;

/// <summary>
/// A sufficient test that a triangle lies within a distance of the union of two triangles sharing an edge. The plane
/// through the shared edge and the mean of the two unit normals cuts the triangle into two convex polygons, whose
/// corners are the triangle's corners on that side and the points where its edges cross the plane. The distance to a
/// triangle is convex, so a polygon whose corners are all within the distance of one triangle lies within it whole:
/// the polygon on the first triangle's side is checked against it, the other against the second.
/// </summary>
internal static class PairCover
{
    /// <summary>
    /// Whether every point of the triangle (x, y, z) is proved within √<paramref name="max2"/> of the union of covering
    /// triangles <paramref name="i"/> and <paramref name="j"/> (three positions each in <paramref name="cover"/>). False
    /// when it cannot be proved this way: the triangles share no edge, they fold onto one side of the plane, or a
    /// polygon corner is too far.
    /// </summary>
    public static bool Covers(Vector3D x, Vector3D y, Vector3D z, ReadOnlySpan<Vector3D> cover, int i, int j, double max2)
    {
        // The edge the two triangles share (their corners are copies of the same positions).
        Vector3D i0 = cover[3 * i], i1 = cover[(3 * i) + 1], i2 = cover[(3 * i) + 2];
        Vector3D j0 = cover[3 * j], j1 = cover[(3 * j) + 1], j2 = cover[(3 * j) + 2];
        int shared = 0;
        Vector3D e0 = default, e1 = default, oi = default;
        for (int k = 0; k < 3; k++)
        {
            Vector3D c = k == 0 ? i0 : k == 1 ? i1 : i2;
            if (c == j0 || c == j1 || c == j2)
            {
                if (shared == 0)
                {
                    e0 = c;
                }
                else
                {
                    e1 = c;
                }

                shared++;
            }
            else
            {
                oi = c;
            }
        }

        if (shared != 2)
        {
            return false;
        }

        Vector3D oj = j0 != e0 && j0 != e1 ? j0 : j1 != e0 && j1 != e1 ? j1 : j2;
        Vector3D ni = Vector3D.Cross(i1 - i0, i2 - i0), nj = Vector3D.Cross(j1 - j0, j2 - j0);
        double li = ni.Length, lj = nj.Length;
        if (!(li > 0 && lj > 0))
        {
            return false;
        }

        Vector3D plane = Vector3D.Cross(e1 - e0, (ni / li) + (nj / lj));
        double si = Vector3D.Dot(oi - e0, plane), sj = Vector3D.Dot(oj - e0, plane);
        if (!(si * sj < 0))
        {
            return false; // folded onto one side of the plane
        }

        if (si > 0)
        {
            plane = -plane; // triangle i on the negative side
        }

        var pair = new Pair(cover, i, j, max2);
        double dx = Vector3D.Dot(x - e0, plane), dy = Vector3D.Dot(y - e0, plane), dz = Vector3D.Dot(z - e0, plane);
        return pair.Side(x, dx) && pair.Side(y, dy) && pair.Side(z, dz)
            && pair.Crossing(x, dx, y, dy) && pair.Crossing(y, dy, z, dz) && pair.Crossing(z, dz, x, dx);
    }

    /// <summary>The two triangles and the squared bound.</summary>
    private readonly ref struct Pair(ReadOnlySpan<Vector3D> cover, int i, int j, double max2)
    {
        private readonly ReadOnlySpan<Vector3D> _cover = cover;

        /// <summary>A corner at signed distance d from the plane: within the bound of triangle i on the negative side, of j on the positive side (of both on the plane).</summary>
        public bool Side(Vector3D q, double d) => (d > 0 || Within(q, i)) && (d < 0 || Within(q, j));

        /// <summary>Where the edge (q, r) crosses the plane, the crossing point lies within the bound of both triangles.</summary>
        public bool Crossing(Vector3D q, double dq, Vector3D r, double dr)
        {
            if (!(dq * dr < 0))
            {
                return true;
            }

            Vector3D crossing = q + ((r - q) * (dq / (dq - dr)));
            return Within(crossing, i) && Within(crossing, j);
        }

        private bool Within(Vector3D q, int t) => Distance2(q, _cover, t) <= max2;
    }

    /// <summary>The squared distance from q to triangle i of <paramref name="cover"/> (three positions per triangle).</summary>
    public static double Distance2(Vector3D q, ReadOnlySpan<Vector3D> cover, int i) =>
        TriangleDistance.Squared(q, cover[3 * i], cover[(3 * i) + 1], cover[(3 * i) + 2]);
}
