using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using VolumeMesh.Geometry;

namespace VolumeMesh.Processing;

/// <summary>
/// Where an edge collapse puts the remaining vertex and what that costs: which endpoint survives (locks and open
/// edges), the minimum of the summed quadric (optionally under the constraint that the enclosed volume does not
/// change, Lindstrom &amp; Turk 1998), and the fallbacks when the system is singular or its solution far off.
/// </summary>
internal sealed class CollapsePlacement
{
    private readonly Vector3D[] _pos;
    private readonly double[] _q;
    private readonly byte[] _flags;
    private readonly DecimationOptions _options;

    /// <summary>Reads the decimator's live state: positions, quadrics (<see cref="Quadric.Size"/> per vertex) and flags (the fans come gathered with each collapse).</summary>
    public CollapsePlacement(Vector3D[] positions, double[] quadrics, byte[] flags, DecimationOptions options)
    {
        _pos = positions;
        _q = quadrics;
        _flags = flags;
        _options = options;
    }

    /// <summary>The survivor of collapsing the edge (a, b), or -1 when the boundary rules forbid the collapse.</summary>
    /// <param name="a">One endpoint.</param>
    /// <param name="b">The other.</param>
    /// <param name="pinned">Whether the survivor must stay where it is (locked, or on a locked boundary).</param>
    public int Survivor(int a, int b, out bool pinned)
    {
        pinned = false;
        bool la = (_flags[a] & VertexFlags.Locked) != 0, lb = (_flags[b] & VertexFlags.Locked) != 0;
        if (la || lb)
        {
            if (la && lb)
            {
                return -1;
            }

            pinned = true;
            return la ? a : b;
        }

        bool ba = (_flags[a] & VertexFlags.Boundary) != 0, bb = (_flags[b] & VertexFlags.Boundary) != 0;
        if (!ba && !bb)
        {
            return a;
        }

        if (_options.LockBoundary)
        {
            if (ba && bb)
            {
                return -1;
            }

            pinned = true;
            return ba ? a : b;
        }

        if (ba && bb)
        {
            return a; // allowed only along a boundary edge; checked by the collapse
        }

        return ba ? a : b;
    }

    /// <summary>The quadric cost of collapsing the edge (a, b) at its optimal position, without the volume constraint; <see cref="double.MaxValue"/> when forbidden.</summary>
    public double EdgeCost(int a, int b)
    {
        int s = Survivor(a, b, out bool pinned);
        if (s < 0)
        {
            return double.MaxValue;
        }

        Place(s, s == a ? b : a, pinned, null, out _, out double cost);
        return cost;
    }

    /// <summary>
    /// Asks the processor to start loading v's quadric and position (x86; elsewhere nothing). Costing several edges one
    /// after the other otherwise waits for each neighbour's data in turn; prefetched first, the loads overlap.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Prefetch(int v)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        // The hints never fault, so the addresses need no pinning (see FieldClassification.Prefetch). The quadric's 88
        // bytes touch at most three cache lines, and coefficients 0, 5 and 10 lie in each of them; the position's 24
        // bytes at most two, its first and last coordinates.
        ref double q = ref _q[Quadric.Size * v];
        Sse.Prefetch0(Unsafe.AsPointer(ref q));
        Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref q, 5)));
        Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref q, Quadric.Size - 1)));
        ref Vector3D p = ref _pos[v];
        Sse.Prefetch0(Unsafe.AsPointer(ref p));
        Sse.Prefetch0((byte*)Unsafe.AsPointer(ref p) + sizeof(Vector3D) - 1);
    }

    /// <summary>The summed quadric of s and r at p.</summary>
    public double QuadricCost(int s, int r, Vector3D p)
    {
        Span<double> q = stackalloc double[Quadric.Size];
        ReadOnlySpan<double> qs = _q.AsSpan(Quadric.Size * s, Quadric.Size), qr = _q.AsSpan(Quadric.Size * r, Quadric.Size);
        for (int i = 0; i < Quadric.Size; i++)
        {
            q[i] = qs[i] + qr[i];
        }

        return Quadric.Evaluate(q, p);
    }

    /// <summary>The weight (accumulated area) of v's quadric.</summary>
    public double Weight(int v) => _q[(Quadric.Size * v) + 10];

    /// <summary>
    /// Chooses the position of the vertex that replaces s and r, and its quadric cost; with <paramref name="star"/> (the
    /// sweep that gathered both fans, see <see cref="CollapseValidity.TopologyAllows"/>) under the volume constraint
    /// where <see cref="DecimationOptions.PreserveVolume"/> asks for it, otherwise free.
    /// </summary>
    [SkipLocalsInit]
    public void Place(int s, int r, bool pinned, CollapseSweep? star, out Vector3D p, out double cost)
    {
        Span<double> q = stackalloc double[Quadric.Size];
        ReadOnlySpan<double> qs = _q.AsSpan(Quadric.Size * s, Quadric.Size), qr = _q.AsSpan(Quadric.Size * r, Quadric.Size);
        for (int i = 0; i < Quadric.Size; i++)
        {
            q[i] = qs[i] + qr[i];
        }

        Vector3D ps = _pos[s], pr = _pos[r];
        if (pinned)
        {
            p = ps;
            cost = Quadric.Evaluate(q, p);
            return;
        }

        // Work relative to the midpoint m for precision: Q(m + d) = dᵀAd + 2 gradᵀd + Q(m).
        Vector3D m = (ps + pr) * 0.5;
        double edge2 = Vector3D.Dot(pr - ps, pr - ps);

        // A small pull towards the midpoint makes the system regular where the planes leave a line or plane of minima
        // (flat and staircase regions), choosing the minimum nearest the midpoint.
        double eps = (1e-6 * (q[0] + q[3] + q[5])) + 1e-30;
        double a00 = q[0] + eps, a01 = q[1], a02 = q[2], a11 = q[3] + eps, a12 = q[4], a22 = q[5] + eps;
        double gx = (q[0] * m.X) + (a01 * m.Y) + (a02 * m.Z) + q[6];
        double gy = (a01 * m.X) + (q[3] * m.Y) + (a12 * m.Z) + q[7];
        double gz = (a02 * m.X) + (a12 * m.Y) + (q[5] * m.Z) + q[8];

        // The symmetric inverse by cofactors.
        double c00 = (a11 * a22) - (a12 * a12), c01 = (a02 * a12) - (a01 * a22), c02 = (a01 * a12) - (a02 * a11);
        double c11 = (a00 * a22) - (a02 * a02), c12 = (a01 * a02) - (a00 * a12), c22 = (a00 * a11) - (a01 * a01);
        double det = (a00 * c00) + (a01 * c01) + (a02 * c02);
        if (det > 0 && double.IsFinite(det))
        {
            double inv = 1 / det;
            var free = new Vector3D(
                -((c00 * gx) + (c01 * gy) + (c02 * gz)) * inv,
                -((c01 * gx) + (c11 * gy) + (c12 * gz)) * inv,
                -((c02 * gx) + (c12 * gy) + (c22 * gz)) * inv);
            bool freeOk = Plausible(free, edge2);
            if (star != null && _options.PreserveVolume && ((_flags[s] | _flags[r]) & VertexFlags.Boundary) == 0)
            {
                // Lagrange: minimise Q subject to gᵀd = h (the enclosed volume does not change, Lindstrom & Turk 1998):
                // d = free + y (h − gᵀfree) / (gᵀy) with y = A⁻¹g.
                StarVolumeConstraint(star, s, r, m, out Vector3D vg, out double vh);
                var y = new Vector3D(
                    ((c00 * vg.X) + (c01 * vg.Y) + (c02 * vg.Z)) * inv,
                    ((c01 * vg.X) + (c11 * vg.Y) + (c12 * vg.Z)) * inv,
                    ((c02 * vg.X) + (c12 * vg.Y) + (c22 * vg.Z)) * inv);
                double gy2 = Vector3D.Dot(vg, y);
                if (gy2 > 0 && double.IsFinite(gy2))
                {
                    Vector3D held = free + (y * ((vh - Vector3D.Dot(vg, free)) / gy2));
                    if (Plausible(held, edge2))
                    {
                        Vector3D pv = m + held;
                        double cv = Quadric.Evaluate(q, pv);

                        // Keep the volume unless that costs far more than the free optimum: where the fan is nearly
                        // flat or folded, holding the volume would push the vertex far off the surface.
                        double cf = freeOk ? Quadric.Evaluate(q, m + free) : double.MaxValue;
                        if (cv <= (4 * cf) + (0.0025 * edge2 * q[10]))
                        {
                            p = pv;
                            cost = cv;
                            return;
                        }
                    }
                }
            }

            if (freeOk)
            {
                p = m + free;
                cost = Quadric.Evaluate(q, p);
                return;
            }
        }

        // Fallback: the best of the endpoints and the midpoint.
        p = m;
        cost = Quadric.Evaluate(q, m);
        double cs = Quadric.Evaluate(q, ps), cr = Quadric.Evaluate(q, pr);
        if (cs < cost)
        {
            p = ps;
            cost = cs;
        }

        if (cr < cost)
        {
            p = pr;
            cost = cr;
        }
    }

    /// <summary>Whether a solved offset from the midpoint is finite and no longer than the edge.</summary>
    private static bool Plausible(Vector3D d, double edge2)
    {
        double len2 = Vector3D.Dot(d, d);
        return double.IsFinite(len2) && len2 <= edge2;
    }

    /// <summary>
    /// The linear constraint gᵀd = h on the new vertex m + d under which the collapse leaves the enclosed volume
    /// unchanged: the fan's signed tetrahedra (about m) before the collapse equal those after it. Reads the fans the
    /// sweep gathered (every triangle in them is live).
    /// </summary>
    private void StarVolumeConstraint(CollapseSweep star, int s, int r, Vector3D m, out Vector3D g, out double h)
    {
        g = default;
        h = 0;
        FanCorner[] gathered = star.Fans;
        for (int pass = 0; pass < 2; pass++)
        {
            int v = pass == 0 ? s : r;
            int other = pass == 0 ? r : s;
            int end = pass == 0 ? star.FanSplit : star.FanCount;
            for (int i = pass == 0 ? 0 : star.FanSplit; i < end; i++)
            {
                int u = gathered[i].Next, w = gathered[i].Last;
                bool shared = u == other || w == other;
                if (shared && pass == 1)
                {
                    continue; // counted once, from s's fan
                }

                Vector3D pu = _pos[u] - m, pw = _pos[w] - m, pv = _pos[v] - m;
                Vector3D cross = Vector3D.Cross(pu, pw);
                h += Vector3D.Dot(pv, cross);
                if (!shared)
                {
                    g += cross;
                }
            }
        }
    }
}
