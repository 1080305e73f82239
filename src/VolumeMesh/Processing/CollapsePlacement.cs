using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
    /// The costs of the edges (a[k], b[k]) (as <see cref="EdgeCost"/>, rounded to float), four at a time where the
    /// processor has AVX. One edge's solve is a dependent chain of about a hundred cycles and its code fills
    /// the processor's reordering window, so edges costed one by one never overlap (about 50 ns each, in cache); four in
    /// the lanes of one vector take about the time of one. The lanes do the scalar code's operations in its order (no
    /// fused multiply-adds), so each cost is the same to the bit. Edges off the common case (a locked or open end:
    /// another survivor, or a pinned one) and lanes whose solve falls back (singular, implausible, not finite) are
    /// costed by <see cref="EdgeCost"/>.
    /// </summary>
    public void EdgeCosts(ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<float> costs)
    {
        Span<int> lanes = stackalloc int[4];
        int filled = 0;
        bool vectors = Avx.IsSupported;
        for (int k = 0; k < a.Length; k++)
        {
            if (!vectors || ((_flags[a[k]] | _flags[b[k]]) & (VertexFlags.Locked | VertexFlags.Boundary)) != 0)
            {
                costs[k] = (float)EdgeCost(a[k], b[k]);
                continue;
            }

            lanes[filled++] = k;
            if (filled == 4)
            {
                FreeCosts4(a, b, lanes, 4, costs);
                filled = 0;
            }
        }

        if (filled == 1)
        {
            costs[lanes[0]] = (float)EdgeCost(a[lanes[0]], b[lanes[0]]);
        }
        else if (filled > 1)
        {
            FreeCosts4(a, b, lanes, filled, costs);
        }
    }

    /// <summary>
    /// <see cref="Place"/>'s free solve and cost (no star) for a[k] surviving b[k], unpinned, for the first
    /// <paramref name="count"/> edges k of <paramref name="lanes"/>, one per lane; unused lanes repeat the first edge and
    /// are dropped.
    /// </summary>
    [SkipLocalsInit]
    private void FreeCosts4(ReadOnlySpan<int> a, ReadOnlySpan<int> b, ReadOnlySpan<int> lanes, int count, Span<float> costs)
    {
        int k0 = lanes[0], k1 = count > 1 ? lanes[1] : k0, k2 = count > 2 ? lanes[2] : k0, k3 = count > 3 ? lanes[3] : k0;
        int s0i = Quadric.Size * a[k0], s1i = Quadric.Size * a[k1], s2i = Quadric.Size * a[k2], s3i = Quadric.Size * a[k3];
        int r0i = Quadric.Size * b[k0], r1i = Quadric.Size * b[k1], r2i = Quadric.Size * b[k2], r3i = Quadric.Size * b[k3];
        // The summed quadric, lane by lane (qs + qr as the scalar code adds them): each lane's sums of coefficients 0–3,
        // 4–7 and 8–9 as loaded, then transposed so that each vector holds one coefficient of the four edges.
        ref double q = ref MemoryMarshal.GetArrayDataReference(_q);
        Transpose(Row(ref q, s0i, r0i, 0), Row(ref q, s1i, r1i, 0), Row(ref q, s2i, r2i, 0), Row(ref q, s3i, r3i, 0), out Vector256<double> s0, out Vector256<double> s1, out Vector256<double> s2, out Vector256<double> s3);
        Transpose(Row(ref q, s0i, r0i, 4), Row(ref q, s1i, r1i, 4), Row(ref q, s2i, r2i, 4), Row(ref q, s3i, r3i, 4), out Vector256<double> s4, out Vector256<double> s5, out Vector256<double> s6, out Vector256<double> s7);
        Vector256<double> w02 = Vector256.Create(Pair(ref q, s0i, r0i), Pair(ref q, s2i, r2i));
        Vector256<double> w13 = Vector256.Create(Pair(ref q, s1i, r1i), Pair(ref q, s3i, r3i));
        Vector256<double> s8 = Avx.UnpackLow(w02, w13), s9 = Avx.UnpackHigh(w02, w13);

        Vector3D ps0 = _pos[a[k0]], ps1 = _pos[a[k1]], ps2 = _pos[a[k2]], ps3 = _pos[a[k3]];
        Vector3D pr0 = _pos[b[k0]], pr1 = _pos[b[k1]], pr2 = _pos[b[k2]], pr3 = _pos[b[k3]];
        Vector256<double> psx = Vector256.Create(ps0.X, ps1.X, ps2.X, ps3.X);
        Vector256<double> psy = Vector256.Create(ps0.Y, ps1.Y, ps2.Y, ps3.Y);
        Vector256<double> psz = Vector256.Create(ps0.Z, ps1.Z, ps2.Z, ps3.Z);
        Vector256<double> prx = Vector256.Create(pr0.X, pr1.X, pr2.X, pr3.X);
        Vector256<double> pry = Vector256.Create(pr0.Y, pr1.Y, pr2.Y, pr3.Y);
        Vector256<double> prz = Vector256.Create(pr0.Z, pr1.Z, pr2.Z, pr3.Z);
        Vector256<double> half = Vector256.Create(0.5);
        Vector256<double> mx = (psx + prx) * half, my = (psy + pry) * half, mz = (psz + prz) * half;
        Vector256<double> dx = prx - psx, dy = pry - psy, dz = prz - psz;
        Vector256<double> edge2 = (dx * dx) + (dy * dy) + (dz * dz);

        Vector256<double> eps = (Vector256.Create(1e-6) * (s0 + s3 + s5)) + Vector256.Create(1e-30);
        Vector256<double> a00 = s0 + eps, a11 = s3 + eps, a22 = s5 + eps;
        Vector256<double> gx = (s0 * mx) + (s1 * my) + (s2 * mz) + s6;
        Vector256<double> gy = (s1 * mx) + (s3 * my) + (s4 * mz) + s7;
        Vector256<double> gz = (s2 * mx) + (s4 * my) + (s5 * mz) + s8;
        Vector256<double> c00 = (a11 * a22) - (s4 * s4), c01 = (s2 * s4) - (s1 * a22), c02 = (s1 * s4) - (s2 * a11);
        Vector256<double> c11 = (a00 * a22) - (s2 * s2), c12 = (s1 * s2) - (a00 * s4), c22 = (a00 * a11) - (s1 * s1);
        Vector256<double> det = (a00 * c00) + (s1 * c01) + (s2 * c02);
        Vector256<double> inv = Vector256<double>.One / det;
        Vector256<double> fx = -((c00 * gx) + (c01 * gy) + (c02 * gz)) * inv;
        Vector256<double> fy = -((c01 * gx) + (c11 * gy) + (c12 * gz)) * inv;
        Vector256<double> fz = -((c02 * gx) + (c12 * gy) + (c22 * gz)) * inv;
        Vector256<double> len2 = (fx * fx) + (fy * fy) + (fz * fz);
        Vector256<double> px = mx + fx, py = my + fy, pz = mz + fz;
        Vector256<double> two = Vector256.Create(2.0);
        Vector256<double> value = (s0 * px * px) + (s3 * py * py) + (s5 * pz * pz)
            + (two * ((s1 * px * py) + (s2 * px * pz) + (s4 * py * pz)))
            + (two * ((s6 * px) + (s7 * py) + (s8 * pz))) + s9;

        // A lane stands when the scalar code would take the free solution: det > 0 and finite, the offset finite and no
        // longer than the edge; and its value is a number (Math.Max(0, v) is then v > 0 ? v : +0).
        Vector256<double> infinity = Vector256.Create(double.PositiveInfinity);
        Vector256<double> zero = Vector256<double>.Zero;
        Vector256<double> ok = Vector256.GreaterThan(det, zero) & Vector256.LessThan(det, infinity)
            & Vector256.LessThan(len2, infinity) & Vector256.LessThanOrEqual(len2, edge2) & Vector256.Equals(value, value);
        Vector256<double> cost = Vector256.ConditionalSelect(Vector256.GreaterThan(value, zero), value, zero);
        uint good = ok.ExtractMostSignificantBits();
        for (int i = 0; i < count; i++)
        {
            int k = lanes[i];
            costs[k] = (good & (1u << i)) != 0 ? (float)cost.GetElement(i) : (float)EdgeCost(a[k], b[k]);
        }
    }

    /// <summary>Coefficients c..c+3 of the quadric at s plus those of the quadric at r (both within the quadrics' 11).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Row(ref double q, int s, int r, int c) =>
        Vector256.LoadUnsafe(ref q, (nuint)(s + c)) + Vector256.LoadUnsafe(ref q, (nuint)(r + c));

    /// <summary>Coefficients 8 and 9 of the quadric at s plus those of the quadric at r.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> Pair(ref double q, int s, int r) =>
        Vector128.LoadUnsafe(ref q, (nuint)(s + 8)) + Vector128.LoadUnsafe(ref q, (nuint)(r + 8));

    /// <summary>The 4 × 4 transpose of the rows r0..r3: c0 holds element 0 of each row, and so on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(
        Vector256<double> r0, Vector256<double> r1, Vector256<double> r2, Vector256<double> r3,
        out Vector256<double> c0, out Vector256<double> c1, out Vector256<double> c2, out Vector256<double> c3)
    {
        Vector256<double> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<double> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        c0 = Avx.Permute2x128(t0, t2, 0x20);
        c1 = Avx.Permute2x128(t1, t3, 0x20);
        c2 = Avx.Permute2x128(t0, t2, 0x31);
        c3 = Avx.Permute2x128(t1, t3, 0x31);
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
