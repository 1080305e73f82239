using System.Runtime.CompilerServices;
using VolumeMesh.Geometry;

namespace VolumeMesh.Processing;

/// <summary>
/// Quadric error algebra (Garland &amp; Heckbert 1997): a vertex's quadric is the weighted sum of squared distances to
/// planes, stored as <see cref="Size"/> doubles — the symmetric 3×3 matrix A (6), the vector b (3), the constant c,
/// and the accumulated triangle area as a weight.
/// </summary>
internal static class Quadric
{
    /// <summary>Doubles per quadric: A (6), b (3), c, weight.</summary>
    public const int Size = 11;

    /// <summary>
    /// The quadric of every vertex from its fan (in parallel, no write sharing): the area-weighted planes of its
    /// triangles and, on open edges unless the boundary is locked, a plane through the edge perpendicular to the face.
    /// </summary>
    public static void AccumulateAll(TriangleFans fans, Vector3D[] pos, byte[] flags, DecimationOptions options, double[] q, ParallelOptions parallel)
    {
        int vertexCount = fans.VertexCount;
        int[] tri = fans.Triangles;
        Parallel.For(0, (vertexCount + 4095) / 4096, parallel, chunk =>
        {
            int end = Math.Min(vertexCount, (chunk + 1) * 4096);
            for (int v = chunk * 4096; v < end; v++)
            {
                Span<double> qv = q.AsSpan(Size * v, Size);
                bool edgePlanes = !options.LockBoundary && (flags[v] & VertexFlags.Boundary) != 0;
                if (!edgePlanes)
                {
                    AccumulateFaces(fans.Fan(v), tri, pos, qv);
                    continue;
                }

                qv.Clear();
                foreach (int t in fans.Fan(v))
                {
                    if (!FacePlane(tri, pos, t, out Vector3D n, out double d, out double area))
                    {
                        continue;
                    }

                    AddPlane(qv, n, d, area);
                    qv[10] += area;

                    // Boundary edges of this triangle that start or end at v: a plane through the edge, perpendicular to the face.
                    int corner = fans.CornerOf(t, v);
                    int nextV = tri[(3 * t) + ((corner + 1) % 3)];
                    int prevV = tri[(3 * t) + ((corner + 2) % 3)];
                    if (fans.IsOpenEdge(v, nextV))
                    {
                        AddEdgePlane(qv, pos[v], pos[nextV], n, options.BoundaryWeight);
                    }

                    if (fans.IsOpenEdge(v, prevV))
                    {
                        AddEdgePlane(qv, pos[v], pos[prevV], n, options.BoundaryWeight);
                    }
                }
            }
        });
    }

    /// <summary>
    /// Writes the quadric of the area-weighted planes of <paramref name="fan"/>'s triangles to <paramref name="qv"/>: the
    /// terms of <see cref="AddPlane"/> (up to rounding), summed in registers rather than added to memory triangle by
    /// triangle.
    /// </summary>
    private static void AccumulateFaces(ReadOnlySpan<int> fan, int[] tri, Vector3D[] pos, Span<double> qv)
    {
        // With c the cross product of two edges (|c| twice the area, n = c / |c|) and e = −c·a, the plane's terms
        // area·n·nᵀ, area·n·d and area·d² are c·cᵀ, c·e and e² over 2|c|: one division per triangle, not three.
        double q0 = 0, q1 = 0, q2 = 0, q3 = 0, q4 = 0, q5 = 0, q6 = 0, q7 = 0, q8 = 0, q9 = 0, weight = 0;
        foreach (int t in fan)
        {
            Vector3D a = pos[tri[3 * t]], b = pos[tri[(3 * t) + 1]], c = pos[tri[(3 * t) + 2]];
            Vector3D n = Vector3D.Cross(b - a, c - a);
            double len = n.Length;
            if (len == 0)
            {
                continue;
            }

            double k = 0.5 / len;
            double e = -Vector3D.Dot(n, a);
            double kx = k * n.X, ky = k * n.Y, kz = k * n.Z;
            q0 += kx * n.X;
            q1 += kx * n.Y;
            q2 += kx * n.Z;
            q3 += ky * n.Y;
            q4 += ky * n.Z;
            q5 += kz * n.Z;
            q6 += kx * e;
            q7 += ky * e;
            q8 += kz * e;
            q9 += k * e * e;
            weight += 0.5 * len;
        }

        qv[10] = weight;
        qv[0] = q0;
        qv[1] = q1;
        qv[2] = q2;
        qv[3] = q3;
        qv[4] = q4;
        qv[5] = q5;
        qv[6] = q6;
        qv[7] = q7;
        qv[8] = q8;
        qv[9] = q9;
    }

    /// <summary>Triangle t's plane n·x + d = 0 (n of unit length) and its area; false when it has no area.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool FacePlane(int[] tri, Vector3D[] pos, int t, out Vector3D n, out double d, out double area)
    {
        Vector3D a = pos[tri[3 * t]], b = pos[tri[(3 * t) + 1]], c = pos[tri[(3 * t) + 2]];
        n = Vector3D.Cross(b - a, c - a);
        double len = n.Length;
        if (len == 0)
        {
            d = 0;
            area = 0;
            return false;
        }

        area = len / 2;
        n /= len;
        d = -Vector3D.Dot(n, a);
        return true;
    }

    /// <summary>Adds the plane n·x + d = 0 (n of unit length) with weight w.</summary>
    public static void AddPlane(Span<double> q, Vector3D n, double d, double w)
    {
        q[0] += w * n.X * n.X;
        q[1] += w * n.X * n.Y;
        q[2] += w * n.X * n.Z;
        q[3] += w * n.Y * n.Y;
        q[4] += w * n.Y * n.Z;
        q[5] += w * n.Z * n.Z;
        q[6] += w * n.X * d;
        q[7] += w * n.Y * d;
        q[8] += w * n.Z * d;
        q[9] += w * d * d;
    }

    /// <summary>Adds the plane through the edge (from, to) perpendicular to the face, weighted by weight × the squared edge length.</summary>
    public static void AddEdgePlane(Span<double> q, Vector3D from, Vector3D to, Vector3D faceNormal, double weight)
    {
        Vector3D e = to - from;
        Vector3D m = Vector3D.Cross(e, faceNormal);
        double len = m.Length;
        if (len == 0)
        {
            return;
        }

        m /= len;
        AddPlane(q, m, -Vector3D.Dot(m, from), weight * Vector3D.Dot(e, e));
    }

    /// <summary>The quadric's value at p (never negative).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Evaluate(ReadOnlySpan<double> q, Vector3D p)
    {
        double v = (q[0] * p.X * p.X) + (q[3] * p.Y * p.Y) + (q[5] * p.Z * p.Z)
            + (2 * ((q[1] * p.X * p.Y) + (q[2] * p.X * p.Z) + (q[4] * p.Y * p.Z)))
            + (2 * ((q[6] * p.X) + (q[7] * p.Y) + (q[8] * p.Z))) + q[9];
        return Math.Max(0, v);
    }
}
