using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using VolumeMesh.Geometry;

namespace VolumeMesh.Processing;

/// <summary>
/// An O(1) bound, per current triangle, of the distance from its points to the input surface, by successive mappings
/// (the idea of Cohen, Manocha and Olano, "Simplifying polygonal models using successive mappings", 1997): a continuous
/// bijection φ from the current surface onto the input is kept implicitly, with, for each current triangle t, a bound
/// of |y − φ(y)| over the points y of t. <see cref="ErrorTracker"/> takes a new triangle whose bound is within the error
/// asked for as within it of the input, without searching the input.
/// </summary>
/// <remarks>
/// A collapse replaces the old region (the triangles around the survivor s and the removed vertex r) by the new fan
/// around the new vertex p; both are bounded by the same link polygon. Both are projected along the region's
/// area-weighted normal n; when every old and every new triangle keeps a positive area in that projection and the
/// new fan's angles around p sum to one turn, both regions are triangulations of the same simple polygon, and the map
/// that sends a new point to the old point with the same projection is a bijection, the identity on the link. Its
/// displacement is the height difference along n, linear on each cell of the overlay of the two triangulations, so
/// its largest value on a cell is reached at a cell corner. The corners are the link vertices, s, r, p and the
/// crossings of old interior edges (s–x, r–x, s–r) with new ones (p–x); each corner adds its height difference plus
/// the bound of the old triangle(s) it lies in to the new triangle(s) it lies in. Composing with the old φ, a new
/// triangle's bound is the largest of those sums. O(link²) arithmetic: no search of the input, no subdivision.
/// Conservative: displacements add up along the chain of collapses (so the bound grows faster than the distance),
/// and where the regions do not project one-to-one, or touch an open border, the bound becomes +∞.
/// Parallel sweeps: <see cref="CreateWorker"/> gives an instance that shares the per-triangle bounds but has its own
/// scratch; a computation reads and a commit writes only the bounds of the collapse's own triangles, which lie in the
/// sweep's slab, so the answer does not depend on which worker makes it.
/// </remarks>
internal sealed class MappingBound
{
    /// <summary>Relative slack of the containment and crossing tests: decides near-ties on the safe side.</summary>
    private const double Slack = 1e-9;

    /// <summary>Local vertices compared at once by <see cref="FindLocal"/> (the lookup array has this many entries of slack).</summary>
    private const int LookupWidth = 8;

    private readonly double[] _bound;
    private readonly byte[] _flags;

    // Local vertices: 0 = s, 1 = r, 2 = p, 3.. the link; projected coordinates and heights along the normal.
    private int _localCount;
    private Vector3D _origin, _normal, _e1, _e2; // the projection frame of the current computation (see AddLocal)
    private double[] _x = new double[64];
    private double[] _y = new double[64];
    private double[] _h = new double[64];
    private double[] _oldAt = new double[64];
    private double[] _edgeS = new double[64];
    private double[] _edgeR = new double[64];
    private int[] _vertexOf = new int[64 + LookupWidth]; // each local's vertex (-1: p), searched by FindLocal
    private int[] _newEdgeA = new int[64];
    private int[] _newEdgeB = new int[64];
    private int[] _next = new int[64]; // the link in the new fan's counter-clockwise order: the corner after x, before x
    private int[] _prev = new int[64];

    // Old triangles (star, t1, t2) and new triangles (star with p), as local corners; their bounds.
    private int[] _old = new int[3 * 64];
    private double[] _oldBound = new double[64];
    private double[] _oldArea = new double[64];
    private int[] _new = new int[3 * 64];
    private double[] _newArea = new double[64];
    private double[] _pending = new double[64];
    private int[] _pendingTri = new int[64];
    private int _pendingCount;

    private MappingBound(MappingBound shared)
    {
        _bound = shared._bound;
        _flags = shared._flags;
    }

    /// <summary>Bounds for the surface <paramref name="fans"/> describes (as built: no collapse yet, all 0), whose vertices carry the decimator's <paramref name="flags"/>.</summary>
    public MappingBound(TriangleFans fans, byte[] flags)
    {
        _bound = new double[fans.Triangles.Length / 3];
        _flags = flags;
    }

    /// <summary>
    /// A tracker for one parallel sweep at a time: the same per-triangle bounds, its own scratch (see the remarks).
    /// </summary>
    public MappingBound CreateWorker() => new(this);

    /// <summary>Starts triangle <paramref name="triangle"/> at a known bound (mm), e.g. its distance from an earlier surface.</summary>
    public void SetBound(int triangle, double bound) => _bound[triangle] = bound;

    /// <summary>Moves the per-triangle bounds with their triangles' renumbering (see <see cref="QuadricDecimator.Renumber"/>).</summary>
    public void Renumber(Renumbering triangles) => triangles.Apply(_bound);

    /// <summary>
    /// Computes the bounds the triangles of <paramref name="star"/> (those that remain around p when r collapses into
    /// s at p; t1 and t2, the triangles on the edge, go) would have; +∞ where the collapse's regions do not project
    /// one-to-one (the displacement is then unknown). Read them with <see cref="Pending"/>; <see cref="Commit"/> keeps them.
    /// </summary>
    public void Compute(int s, int r, Vector3D p, ReadOnlySpan<int> star, int t1, int t2, TriangleFans fans, Vector3D[] pos)
    {
        EnsurePending(star.Length);
        for (int i = 0; i < star.Length; i++)
        {
            _pendingTri[i] = star[i];
        }

        _pendingCount = star.Length;
        if (!TryCompute(s, r, p, star, t1, t2, fans, pos))
        {
            _pending.AsSpan(0, star.Length).Fill(double.PositiveInfinity);
        }
    }

    /// <summary>The bound that the i-th triangle of the star given to the last <see cref="Compute"/> would have.</summary>
    public double Pending(int i) => _pending[i];

    private bool TryCompute(int s, int r, Vector3D p, ReadOnlySpan<int> star, int t1, int t2, TriangleFans fans, Vector3D[] pos)
    {
        if (t2 < 0 || ((_flags[s] | _flags[r]) & VertexFlags.Boundary) != 0)
        {
            return false; // the old region is not a disc bounded by its link
        }

        int[] tri = fans.Triangles;
        int oldCount = star.Length + 2;
        EnsureTriangles(oldCount);

        // The projection direction: the old region's area-weighted normal.
        Vector3D normal = Vector3D.Zero;
        for (int i = 0; i < oldCount; i++)
        {
            int t = i < star.Length ? star[i] : i == star.Length ? t1 : t2;
            Vector3D a = pos[tri[3 * t]];
            normal += Vector3D.Cross(pos[tri[(3 * t) + 1]] - a, pos[tri[(3 * t) + 2]] - a);
        }

        double length = normal.Length;
        if (!(length > 0))
        {
            return false;
        }

        Vector3D n = normal / length;
        Vector3D e1 = Vector3D.Cross(n, Math.Abs(n.X) < 0.6 ? new Vector3D(1, 0, 0) : new Vector3D(0, 1, 0)).Normalized();
        Vector3D e2 = Vector3D.Cross(n, e1); // (e1, e2, n) is right-handed: projected areas of front-facing triangles are positive
        _origin = pos[s];
        _normal = n;
        _e1 = e1;
        _e2 = e2;

        // Local vertices and triangles.
        _localCount = 0;
        AddLocal(s, pos[s]);
        AddLocal(r, pos[r]);
        AddLocal(-1, p);
        for (int i = 0; i < oldCount; i++)
        {
            int t = i < star.Length ? star[i] : i == star.Length ? t1 : t2;
            for (int k = 0; k < 3; k++)
            {
                int v = tri[(3 * t) + k];
                int local = v == s ? 0 : v == r ? 1 : FindLocal(v); // every old triangle has s or r
                if (local < 0)
                {
                    local = AddLocal(v, pos[v]);
                }

                _old[(3 * i) + k] = local;
                if (i < star.Length)
                {
                    _new[(3 * i) + k] = local <= 1 ? 2 : local;
                }
            }

            // Per local vertex, the largest bound of the old triangles around it, and of those on its old edge from s (from r).
            double bound = _bound[t];
            _oldBound[i] = bound;
            int o0 = _old[3 * i], o1 = _old[(3 * i) + 1], o2 = _old[(3 * i) + 2];
            _oldAt[o0] = Math.Max(_oldAt[o0], bound);
            _oldAt[o1] = Math.Max(_oldAt[o1], bound);
            _oldAt[o2] = Math.Max(_oldAt[o2], bound);
            if (o0 == 0 || o1 == 0 || o2 == 0)
            {
                StarEdges(_edgeS, o0, o1, o2, bound);
            }

            if (o0 == 1 || o1 == 1 || o2 == 1)
            {
                StarEdges(_edgeR, o0, o1, o2, bound);
            }

            _oldArea[i] = Area(o0, o1, o2);
            if (!(_oldArea[i] > 0))
            {
                return false;
            }

            if (i < star.Length)
            {
                _newArea[i] = Area(_new[3 * i], _new[(3 * i) + 1], _new[(3 * i) + 2]);
                if (!(_newArea[i] > 0))
                {
                    return false;
                }
            }
        }

        double edgeSR = Math.Max(_oldBound[star.Length], _oldBound[star.Length + 1]);

        // Link corners (no displacement), the new edges p–x with their one or two triangles and the link's cyclic order;
        // and the winding: the new fan must turn once around p, for then its border, the link polygon, is simple and both
        // regions tile it. Each new triangle turns counter-clockwise about p by less than half a turn (the areas being
        // positive), so the fan's winding number is how many of them sweep across the ray from p along +x, from below it
        // (y < 0) to on or above it (y ≥ 0).
        int turns = 0;
        double py = _y[2];
        for (int i = 0; i < star.Length; i++)
        {
            (int from, int to) = Spoke(i);
            _next[from] = to;
            _prev[to] = from;
            AddToNewEdge(from, i);
            AddToNewEdge(to, i);
            _pending[i] = Math.Max(_oldAt[from], _oldAt[to]);
            if (_y[from] - py < 0 && _y[to] - py >= 0)
            {
                turns++;
            }
        }

        if (turns != 1)
        {
            return false;
        }

        // s and r: in the new triangles whose projection holds them (the first of which is where their old edges start).
        int sectorS = LocateInNewFan(0, star.Length);
        int sectorR = sectorS < 0 ? -1 : LocateInNewFan(1, star.Length);
        if (sectorR < 0)
        {
            return false;
        }

        // p: in every new triangle; over the old triangles whose projection holds it.
        double atP = -1;
        for (int i = 0; i < oldCount; i++)
        {
            if (HeightAt(_old, i, _oldArea[i], _x[2], _y[2], out double height))
            {
                atP = Math.Max(atP, Math.Abs(_h[2] - height) + _oldBound[i]);
            }
        }

        if (atP < 0)
        {
            return false;
        }

        for (int i = 0; i < star.Length; i++)
        {
            _pending[i] = Math.Max(_pending[i], atP);
        }

        // Crossings of the old interior edges (s–r, s–y, r–y) with the new ones (p–x), found by walking the link from the
        // new triangle that holds the old edge's start towards its end.
        int start0 = Spoke(sectorS).From, start1 = Spoke(sectorR).From;
        bool walked = Walk(0, 1, edgeSR, start0, _next[start1], start1);
        for (int y = 3; y < _localCount; y++)
        {
            if (_edgeS[y] >= 0)
            {
                walked &= Walk(0, y, _edgeS[y], start0, y, y);
            }

            if (_edgeR[y] >= 0)
            {
                walked &= Walk(1, y, _edgeR[y], start1, y, y);
            }
        }

        return walked;
    }

    /// <summary>
    /// Raises <paramref name="edges"/>[v] to <paramref name="bound"/> for the corners v of an old triangle (o0, o1, o2)
    /// at s or r. Only the link corners' entries (local ≥ 3) are read; those of s, r and p take the raise too, without a
    /// branch on which corner is which, a data-dependent branch that changes from triangle to triangle.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StarEdges(double[] edges, int o0, int o1, int o2, double bound)
    {
        edges[o0] = Math.Max(edges[o0], bound);
        edges[o1] = Math.Max(edges[o1], bound);
        edges[o2] = Math.Max(edges[o2], bound);
    }

    /// <summary>New triangle i's link corners, counter-clockwise about p: the one it starts at and the one it ends at.</summary>
    private (int From, int To) Spoke(int i)
    {
        int c0 = _new[3 * i], c1 = _new[(3 * i) + 1], c2 = _new[(3 * i) + 2];
        return c0 == 2 ? (c1, c2) : c1 == 2 ? (c2, c0) : (c0, c1);
    }

    /// <summary>
    /// Local vertex k (s or r) in the new triangles whose projection holds it: each gets k's height difference plus the
    /// largest bound around k; returns the first of them (where k's old edges start), or -1 if none holds it.
    /// </summary>
    private int LocateInNewFan(int k, int newCount)
    {
        int sector = -1;
        for (int i = 0; i < newCount; i++)
        {
            if (HeightAt(_new, i, _newArea[i], _x[k], _y[k], out double height))
            {
                sector = sector < 0 ? i : sector;
                _pending[i] = Math.Max(_pending[i], Math.Abs(_h[k] - height) + _oldAt[k]);
            }
        }

        return sector;
    }

    /// <summary>
    /// The crossings of the old edge (a, b) (a: s or r, lying in the new triangle that starts at link corner
    /// <paramref name="start"/>; b: r or a link corner; its triangles' largest bound <paramref name="bound"/>) with the new
    /// edges p–x. Both regions tile the same polygon, which is star-shaped about p (the new fan turns once with positive
    /// areas), so the segment a–b, seen from p, sweeps less than half a turn from a's direction to b's and crosses exactly
    /// the new edges whose corners lie between: those met walking the link from a's triangle towards b, counter-clockwise
    /// or clockwise as b lies from a. The walk ends at a link corner b, or, for b = r, after the far corner of r's
    /// triangle (<paramref name="farCcw"/> or <paramref name="farCw"/>, an end where r's own corner may lie); the
    /// near corner of a's triangle is tested too. The near and far corners get the range test (they may not cross); the
    /// edges between them are crossings and get none (one walked past by rounding could only raise the bound). When p
    /// lies on the line through a and b (within the slack) every new edge is range-tested. False if the walk does not
    /// end (the link is not one cycle).
    /// </summary>
    private bool Walk(int a, int b, double bound, int start, int farCcw, int farCw)
    {
        double px = _x[2], py = _y[2];
        double ax = _x[a] - px, ay = _y[a] - py, bx = _x[b] - px, by = _y[b] - py;
        double turn = (ax * by) - (ay * bx);
        if (!(turn * turn > Slack * Slack * ((ax * ax) + (ay * ay)) * ((bx * bx) + (by * by))))
        {
            for (int x = 3; x < _localCount; x++)
            {
                if (x != b && _newEdgeA[x] >= 0)
                {
                    Cross(a, b, bound, x);
                }
            }

            return true;
        }

        bool ccw = turn > 0;
        int end = _next[start];
        int near = ccw ? start : end, step = ccw ? end : start, far = ccw ? farCcw : farCw;
        if (near != b)
        {
            Cross(a, b, bound, near);
        }

        // The terms that do not depend on x, once: the old edge's direction and p − a.
        double dx1 = _x[b] - _x[a], dy1 = _y[b] - _y[a];
        double ex = -ax, ey = -ay;
        double un = (ex * dy1) - (ey * dx1);
        for (int guard = _localCount; step != b; step = ccw ? _next[step] : _prev[step])
        {
            if (--guard < 0)
            {
                return false;
            }

            if (step == far)
            {
                Cross(a, b, bound, step); // r's triangle's far side: r may lie on it
                break;
            }

            // Between a's direction and b's: a crossing, so no range test (a value from an edge walked past by
            // rounding would only raise the bound).
            double dx2 = _x[step] - px, dy2 = _y[step] - py;
            Crossing(a, b, bound, step, dx1, dy1, dx2, dy2, (ex * dy2) - (ey * dx2), un, ranged: false);
        }

        return true;
    }

    /// <summary>Keeps the bounds computed by the last <see cref="Compute"/> (the collapse was made).</summary>
    public void Commit()
    {
        for (int i = 0; i < _pendingCount; i++)
        {
            _bound[_pendingTri[i]] = _pending[i];
        }

        _pendingCount = 0;
    }

    /// <summary>The crossing of the old edge (a, b), whose triangles' largest bound is <paramref name="bound"/>, with the new edge (p, x).</summary>
    private void Cross(int a, int b, double bound, int x)
    {
        double ax = _x[a], ay = _y[a];
        double dx1 = _x[b] - ax, dy1 = _y[b] - ay;
        double px = _x[2], py = _y[2];
        double dx2 = _x[x] - px, dy2 = _y[x] - py;
        double ex = px - ax, ey = py - ay;
        Crossing(a, b, bound, x, dx1, dy1, dx2, dy2, (ex * dy2) - (ey * dx2), (ex * dy1) - (ey * dx1), ranged: true);
    }

    /// <summary>
    /// Where the old edge a + t (d1) meets the new edge p + u (d2), t = tn / den and u = un / den with den = d1 × d2:
    /// when both lie in [0, 1] (with a little slack; tested only when <paramref name="ranged"/>, the walk knowing its
    /// crossings) the height difference there, plus <paramref name="bound"/>, goes to the new triangles on (p, x). The
    /// range is decided from the numerators and the sign of den, with no division.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Crossing(int a, int b, double bound, int x, double dx1, double dy1, double dx2, double dy2, double tn, double un, bool ranged)
    {
        // Made non-negative by an exact sign product, and the four comparisons combined without short-circuits: one
        // branch instead of five hard to predict.
        double den = (dx1 * dy2) - (dy1 * dx2);
        double sign = Math.CopySign(1.0, den);
        den *= sign;
        tn *= sign;
        un *= sign;
        double low = -Slack * den, high = (1 + Slack) * den;
        if (ranged && !((tn >= low) & (tn <= high) & (un >= low) & (un <= high)))
        {
            return; // no crossing (parallel, den = 0: only when both are 0, decided below)
        }

        // Nearly parallel (den ≤ Slack·|d1|·|d2|, compared squared: den is not negative here, and no square root is
        // needed): a shared stretch ends at corners already counted.
        if (!(den * den > Slack * Slack * ((dx1 * dx1) + (dy1 * dy1)) * ((dx2 * dx2) + (dy2 * dy2))))
        {
            return;
        }

        double t = Math.Clamp(tn / den, 0, 1);
        double u = Math.Clamp(un / den, 0, 1);
        double delta = Math.Abs(_h[a] + (t * (_h[b] - _h[a])) - (_h[2] + (u * (_h[x] - _h[2]))));
        double value = delta + bound;
        int first = _newEdgeA[x], second = _newEdgeB[x];
        _pending[first] = Math.Max(_pending[first], value);
        if (second >= 0)
        {
            _pending[second] = Math.Max(_pending[second], value);
        }
    }

    /// <summary>Records new triangle i as one of the (one or two) on the new edge p–x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddToNewEdge(int x, int i)
    {
        if (_newEdgeA[x] < 0)
        {
            _newEdgeA[x] = i;
        }
        else
        {
            _newEdgeB[x] = i;
        }
    }

    /// <summary>When (x, y) lies in the projection of triangle i (closed, with a little slack), the triangle's height there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool HeightAt(int[] corners, int i, double area, double x, double y, out double height)
    {
        int a = corners[3 * i], b = corners[(3 * i) + 1], c = corners[(3 * i) + 2];
        double slack = -Slack * area;
        height = 0;
        // All three sides, combined without short-circuits: which triangle holds the point varies from collapse to
        // collapse, so one branch on the combination costs less than a hard-to-predict branch per side.
        double wa = Orient(x, y, b, c), wb = Orient(x, y, c, a), wc = Orient(x, y, a, b);
        if ((wa < slack) | (wb < slack) | (wc < slack))
        {
            return false;
        }

        double sum = wa + wb + wc;
        height = ((wa * _h[a]) + (wb * _h[b]) + (wc * _h[c])) / sum;
        return true;
    }

    /// <summary>Twice the signed area of the projected triangle (point, b, c).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double Orient(double x, double y, int b, int c) =>
        ((_x[b] - x) * (_y[c] - y)) - ((_y[b] - y) * (_x[c] - x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double Area(int a, int b, int c) => Orient(_x[a], _y[a], b, c);

    /// <summary>
    /// The local number of vertex v, or -1: the locals' vertices compared <see cref="LookupWidth"/> at a time. A region
    /// has a dozen or so, so this is a few vector compares with one predictable branch each, where a hash table's probes
    /// branched on every collision and had to be emptied per collapse.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int FindLocal(int v)
    {
        ref int vertices = ref MemoryMarshal.GetArrayDataReference(_vertexOf);
        Vector256<int> key = Vector256.Create(v);
        for (int i = 0; i < _localCount; i += LookupWidth)
        {
            uint hits = Vector256.Equals(Vector256.LoadUnsafe(ref vertices, (nuint)i), key).ExtractMostSignificantBits();
            int left = _localCount - i;
            if (left < LookupWidth)
            {
                hits &= (1u << left) - 1; // past the count: stale entries of an earlier region
            }

            if (hits != 0)
            {
                return i + BitOperations.TrailingZeroCount(hits);
            }
        }

        return -1;
    }

    /// <summary>Adds vertex v (-1: the new vertex, which is never looked up) at <paramref name="position"/>, projected into the current frame; returns its local number.</summary>
    private int AddLocal(int v, Vector3D position)
    {
        int local = _localCount++;
        if (local == _x.Length)
        {
            GrowLocals();
        }

        _vertexOf[local] = v;
        _oldAt[local] = 0;
        _edgeS[local] = -1;
        _edgeR[local] = -1;
        _newEdgeA[local] = -1;
        _newEdgeB[local] = -1;
        Vector3D d = position - _origin;
        _x[local] = Vector3D.Dot(d, _e1);
        _y[local] = Vector3D.Dot(d, _e2);
        _h[local] = Vector3D.Dot(d, _normal);
        return local;
    }

    /// <summary>Doubles the local vertices' arrays (rare: a region of more vertices than any before).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void GrowLocals()
    {
        int size = 2 * _x.Length;
        Array.Resize(ref _x, size);
        Array.Resize(ref _y, size);
        Array.Resize(ref _h, size);
        Array.Resize(ref _oldAt, size);
        Array.Resize(ref _edgeS, size);
        Array.Resize(ref _edgeR, size);
        Array.Resize(ref _newEdgeA, size);
        Array.Resize(ref _newEdgeB, size);
        Array.Resize(ref _next, size);
        Array.Resize(ref _prev, size);
        Array.Resize(ref _vertexOf, size + LookupWidth);
    }

    private void EnsureTriangles(int count)
    {
        if (_oldBound.Length < count)
        {
            int size = Math.Max(count, 2 * _oldBound.Length);
            Array.Resize(ref _old, 3 * size);
            Array.Resize(ref _new, 3 * size);
            Array.Resize(ref _oldBound, size);
            Array.Resize(ref _oldArea, size);
            Array.Resize(ref _newArea, size);
        }
    }

    private void EnsurePending(int count)
    {
        if (_pending.Length < count)
        {
            Array.Resize(ref _pending, Math.Max(count, 2 * _pending.Length));
            Array.Resize(ref _pendingTri, _pending.Length);
        }
    }
}
