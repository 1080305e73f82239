using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using VolumeMesh.Geometry;

namespace VolumeMesh.Processing;

/// <summary>
/// Whether an edge collapse keeps the topology and the surface: the edge has one or two triangles, the boundary rules
/// (no pinching through an interior edge, no closing of a hole, no collapse of a locked boundary), the opposite
/// corners keep a fan, the link condition (Dey et al. 1999), and with the new position no remaining triangle flips,
/// turns too far or becomes a worse sliver.
/// </summary>
internal sealed class CollapseValidity
{
    /// <summary>Below this quality a triangle's normal is not trusted.</summary>
    private const double SliverQuality = 0.05;

    private readonly TriangleFans _fans;
    private readonly int[] _tri;
    private readonly Vector3D[] _pos;
    private readonly byte[] _flags;
    private readonly int[] _mark;
    private readonly DecimationOptions _options;
    private readonly double _cosMaxNormalChange;

    /// <summary>Reads the decimator's live state; <paramref name="marks"/> is per-vertex scratch stamped by the sweeps.</summary>
    public CollapseValidity(TriangleFans fans, Vector3D[] positions, byte[] flags, int[] marks, DecimationOptions options)
    {
        _fans = fans;
        _tri = fans.Triangles;
        _pos = positions;
        _flags = flags;
        _mark = marks;
        _options = options;
        _cosMaxNormalChange = Math.Cos(Math.Clamp(options.MaxNormalChangeDegrees, 1e-3, 90) * Math.PI / 180);
    }

    /// <summary>
    /// Whether collapsing r into s keeps the topology: finds the edge's triangles t1 (and t2 unless it is open) and
    /// their opposite corners c1 (and c2), and checks the boundary rules, the opposite fans and the link condition.
    /// Every corner of both fans must lie in the sweep's range (all vertices for a serial sweep). When it allows the
    /// collapse, both fans are left gathered in the sweep (<see cref="CollapseSweep.Fans"/>).
    /// </summary>
    public bool TopologyAllows(CollapseSweep w, int s, int r, out int t1, out int t2, out int c1, out int c2)
    {
        // One walk over s's fan: every corner must lie in the sweep's range (a parallel sweep owns only those) and is
        // marked for the link condition below; the triangles holding r are the edge's, their third corners the opposite ones.
        int shared = 0;
        c1 = -1;
        c2 = -1;
        t1 = -1;
        t2 = -1;
        int stamp = ++w.Stamp;
        uint lo = (uint)w.Lo, span = (uint)(w.Hi - w.Lo);
        ReadOnlySpan<int> fanS = _fans.Fan(s), fanR = _fans.Fan(r);
        if (fanS.Length + fanR.Length > w.Fans.Length)
        {
            w.Fans = new FanCorner[2 * (fanS.Length + fanR.Length)];
        }

        FanCorner[] gathered = w.Fans;
        int n = 0;
        foreach (int t in fanS)
        {
            int x = _tri[3 * t], y = _tri[(3 * t) + 1], z = _tri[(3 * t) + 2];
            if ((uint)x - lo >= span || (uint)y - lo >= span || (uint)z - lo >= span)
            {
                return false;
            }

            _mark[x] = stamp;
            _mark[y] = stamp;
            _mark[z] = stamp;
            gathered[n] = Seen(t, s, x, y, z);
            PrefetchPosition(gathered[n++].Next);
            if (x == r || y == r || z == r)
            {
                int c = x != s && x != r ? x : y != s && y != r ? y : z;
                if (shared == 0)
                {
                    c1 = c;
                    t1 = t;
                }
                else
                {
                    c2 = c;
                    t2 = t;
                }

                shared++;
            }
        }

        if (shared == 0 || shared > 2)
        {
            return false;
        }

        bool boundaryEdge = shared == 1;
        bool bs = (_flags[s] & VertexFlags.Boundary) != 0, br = (_flags[r] & VertexFlags.Boundary) != 0;
        if (!boundaryEdge && bs && br)
        {
            return false; // an interior edge between two boundary vertices: collapsing it would pinch the surface
        }

        if (boundaryEdge && (_options.LockBoundary || !bs || !br))
        {
            return false;
        }

        // Opposite vertices must keep a fan: an interior one needs more than three triangles (else the shell is a tetrahedron).
        if (!OppositeKeepsFan(c1) || (c2 >= 0 && !OppositeKeepsFan(c2)))
        {
            return false;
        }

        // A commit removes the edge's triangles from the opposite corners' fans: their references are requested now.
        _fans.PrefetchFan(c1);
        if (c2 >= 0)
        {
            _fans.PrefetchFan(c2);
        }

        // Link condition (Dey et al. 1999): the common neighbours of s and r are exactly the opposite corners. Every corner
        // of r's fan must be the sweep's too.
        int split = n;
        foreach (int t in fanR)
        {
            int x = _tri[3 * t], y = _tri[(3 * t) + 1], z = _tri[(3 * t) + 2];
            if (!LinkAllows(x, lo, span, s, r, c1, c2, stamp) || !LinkAllows(y, lo, span, s, r, c1, c2, stamp)
                || !LinkAllows(z, lo, span, s, r, c1, c2, stamp))
            {
                return false;
            }

            gathered[n] = Seen(t, r, x, y, z);
            PrefetchPosition(gathered[n++].Next);
        }

        w.FanCount = n;
        w.FanSplit = split;
        return true;
    }

    /// <summary>
    /// Asks the processor to start loading v's position (x86; elsewhere nothing): the placement and the star check read
    /// the positions of every corner of both fans after this walk, which only reads their numbers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe void PrefetchPosition(int v)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_pos), v)));
        }
    }

    /// <summary>Whether corner u of r's fan lies in the sweep's range and is no common neighbour of s and r other than the opposite corners.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool LinkAllows(int u, uint lo, uint span, int s, int r, int c1, int c2, int stamp) =>
        (uint)u - lo < span && (u == s || u == r || u == c1 || u == c2 || _mark[u] != stamp);

    /// <summary>Triangle t = (x, y, z) seen from its corner v.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FanCorner Seen(int t, int v, int x, int y, int z) =>
        x == v ? new FanCorner { Triangle = t, Corner = 0, Next = y, Last = z }
        : y == v ? new FanCorner { Triangle = t, Corner = 1, Next = z, Last = x }
        : new FanCorner { Triangle = t, Corner = 2, Next = x, Last = y };

    /// <summary>
    /// Whether the triangles left around s and r keep their orientation and quality with the new vertex at p; fills the
    /// sweep's star. Reads the fans <see cref="TopologyAllows"/> gathered.
    /// </summary>
    public bool StarAcceptable(CollapseSweep w, int s, int r, int t1, int t2, Vector3D p)
    {
        // The fan's area-weighted normal, the reference for slivers (whose own normal is unreliable): computed when needed.
        Vector3D fanNormal = default;
        bool haveFanNormal = false;

        // Normals and quality of the triangles that remain, with the new position.
        w.StarCount = 0;
        double minQuality = _options.MinTriangleQuality;
        FanCorner[] gathered = w.Fans;
        for (int pass = 0; pass < 2; pass++)
        {
            Vector3D pv = _pos[pass == 0 ? s : r];
            int end = pass == 0 ? w.FanSplit : w.FanCount;
            for (int i = pass == 0 ? 0 : w.FanSplit; i < end; i++)
            {
                ref readonly FanCorner f = ref gathered[i];
                int t = f.Triangle;
                if (t == t1 || t == t2)
                {
                    continue;
                }

                Vector3D pu = _pos[f.Next], pw = _pos[f.Last];
                Vector3D n0 = Vector3D.Cross(pu - pv, pw - pv);
                Vector3D n1 = Vector3D.Cross(pu - p, pw - p);
                double l0 = Vector3D.Dot(n0, n0), l1 = Vector3D.Dot(n1, n1);
                if (l1 == 0)
                {
                    return false;
                }

                // Qualities compared squared (see Quality2): no square root or division per triangle.
                double sum0 = EdgeSquares(pv, pu, pw);
                if (sum0 == 0 || 12 * l0 < SliverQuality * SliverQuality * sum0 * sum0)
                {
                    if (!haveFanNormal)
                    {
                        fanNormal = FanNormal(s, r);
                        haveFanNormal = true;
                    }

                    // A sliver's normal says little: only refuse a flip against the fan's normal.
                    if (Vector3D.Dot(n1, fanNormal) <= 0)
                    {
                        return false;
                    }
                }
                else
                {
                    double dot = Vector3D.Dot(n0, n1);
                    if (dot < 0 || dot * dot < _cosMaxNormalChange * _cosMaxNormalChange * l0 * l1)
                    {
                        return false;
                    }
                }

                // Worse than the minimum quality and than before: q1 < min and q1 < q0. The new triangle is not degenerate
                // (l1 > 0), so its sum of squared edges is positive.
                if (minQuality > 0)
                {
                    double sum1 = EdgeSquares(p, pu, pw);
                    if (12 * l1 < minQuality * minQuality * sum1 * sum1 && sum0 > 0 && l1 * sum0 * sum0 < l0 * sum1 * sum1)
                    {
                        return false;
                    }
                }

                if (w.StarCount == w.StarTris.Length)
                {
                    Array.Resize(ref w.StarTris, 2 * w.StarTris.Length);
                }

                w.StarTris[w.StarCount++] = t;
            }
        }

        return true;
    }

    /// <summary>
    /// The sum of the squared edge lengths of the triangle (a, b, c). A triangle's quality (see
    /// <see cref="DecimationOptions.MinTriangleQuality"/>) is q = 2√3·|n| / that sum, with n the cross product of two
    /// edges, so q² = 12·|n|² / sum²: qualities are compared through that, without roots or divisions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double EdgeSquares(Vector3D a, Vector3D b, Vector3D c) =>
        Vector3D.Dot(b - a, b - a) + Vector3D.Dot(c - b, c - b) + Vector3D.Dot(a - c, a - c);

    private Vector3D FanNormal(int s, int r)
    {
        Vector3D sum = default;
        for (int pass = 0; pass < 2; pass++)
        {
            foreach (int t in _fans.Fan(pass == 0 ? s : r))
            {
                Vector3D a0 = _pos[_tri[3 * t]], a1 = _pos[_tri[(3 * t) + 1]], a2 = _pos[_tri[(3 * t) + 2]];
                sum += Vector3D.Cross(a1 - a0, a2 - a0);
            }
        }

        return sum;
    }

    private bool OppositeKeepsFan(int c)
    {
        int live = _fans.Count[c];
        return (_flags[c] & VertexFlags.Boundary) != 0 ? live > 1 : live > 3;
    }
}
