using VolumeMesh.Geometry;

namespace VolumeMesh.Processing;

/// <summary>
/// Checks each collapse against the original surface when a maximum error is asked for. Every input vertex is kept
/// attached to the current triangle nearest to it; a collapse is refused when a vertex attached to the changed fan is
/// farther than the bound from every new triangle, or when the new vertex, a new edge's midpoint or a new triangle's
/// centroid is farther than the bound from every input triangle of that region.
/// </summary>
internal sealed class ErrorTracker
{
    private readonly Vector3D[] _origPos;
    private readonly int[] _origTri;
    private readonly int[] _origStart;
    private readonly int[] _origList;
    private readonly int[] _head;
    private readonly int[] _next;
    private readonly double _max2;
    private readonly int[] _origMark;
    private int _origStamp;

    private int[] _points = new int[256];
    private int[] _best = new int[256];
    private double[] _bestDist2 = new double[256];
    private int _pointCount;
    private int[] _candidates = new int[1024];
    private int _candidateCount;
    private Vector3D[] _corners = new Vector3D[3 * 64];
    private double _maxMeasured2;

    public ErrorTracker(Vector3D[] positions, int[] triangles, int vertexCount, int[] refStart, int[] refCount, int[] refs, double maxErrorMm)
    {
        _origPos = (Vector3D[])positions.Clone();
        _origTri = (int[])triangles.Clone();
        _max2 = maxErrorMm * maxErrorMm;
        int triangleCount = triangles.Length / 3;
        _origStart = new int[vertexCount + 1];
        _origList = new int[triangles.Length];
        for (int v = 0; v < vertexCount; v++)
        {
            _origStart[v + 1] = _origStart[v] + refCount[v];
            Array.Copy(refs, refStart[v], _origList, _origStart[v], refCount[v]);
        }

        _origMark = new int[triangleCount];
        _head = new int[triangleCount];
        _next = new int[vertexCount];
        Array.Fill(_head, -1);
        for (int v = 0; v < vertexCount; v++)
        {
            if (refCount[v] > 0)
            {
                int t = refs[refStart[v]];
                _next[v] = _head[t];
                _head[t] = v;
            }
        }
    }

    /// <summary>The largest distance from an input vertex to the current surface, in mm.</summary>
    public double MaxMeasured => Math.Sqrt(_maxMeasured2);

    /// <summary>Whether collapsing r into s at p keeps the error bound; on success the new attachments wait for <see cref="Commit"/>.</summary>
    public bool Check(int s, int r, Vector3D p, ReadOnlySpan<int> star, int t1, int t2, int[] tri, Vector3D[] pos)
    {
        if (_corners.Length < 3 * star.Length)
        {
            _corners = new Vector3D[6 * star.Length];
        }

        for (int i = 0; i < star.Length; i++)
        {
            for (int k = 0; k < 3; k++)
            {
                int v = tri[(3 * star[i]) + k];
                _corners[(3 * i) + k] = v == s || v == r ? p : pos[v];
            }
        }

        // Input vertices attached to the changed triangles move to the nearest new triangle.
        _pointCount = 0;
        for (int i = -2; i < star.Length; i++)
        {
            int t = i == -2 ? t1 : i == -1 ? t2 : star[i];
            if (t < 0)
            {
                continue;
            }

            for (int v = _head[t]; v >= 0; v = _next[v])
            {
                double best = double.MaxValue;
                int bestTri = -1;
                Vector3D q = _origPos[v];
                for (int j = 0; j < star.Length; j++)
                {
                    double d2 = TriangleDistance.Squared(q, _corners[3 * j], _corners[(3 * j) + 1], _corners[(3 * j) + 2]);
                    if (d2 < best)
                    {
                        best = d2;
                        bestTri = star[j];
                    }
                }

                if (best > _max2)
                {
                    return false;
                }

                if (_pointCount == _points.Length)
                {
                    Array.Resize(ref _points, 2 * _points.Length);
                    Array.Resize(ref _best, 2 * _best.Length);
                    Array.Resize(ref _bestDist2, 2 * _bestDist2.Length);
                }

                _points[_pointCount] = v;
                _best[_pointCount] = bestTri;
                _bestDist2[_pointCount] = best;
                _pointCount++;
            }
        }

        // The input triangles of the region: around the attached input vertices and around the fan's own vertices.
        int stamp = ++_origStamp;
        _candidateCount = 0;
        for (int i = 0; i < _pointCount; i++)
        {
            AddCandidates(_points[i], stamp);
        }

        AddCandidates(s, stamp);
        AddCandidates(r, stamp);
        for (int i = 0; i < star.Length; i++)
        {
            for (int k = 0; k < 3; k++)
            {
                AddCandidates(tri[(3 * star[i]) + k], stamp);
            }
        }

        // The new surface near p: p itself, the midpoints of its new edges and the centroids of its new triangles.
        if (!Near(p))
        {
            return false;
        }

        for (int i = 0; i < star.Length; i++)
        {
            Vector3D a = _corners[3 * i], b = _corners[(3 * i) + 1], c = _corners[(3 * i) + 2];
            if (!Near((a + b + c) / 3) || !Near((a + b) * 0.5) || !Near((b + c) * 0.5) || !Near((c + a) * 0.5))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Applies the attachments computed by the last successful <see cref="Check"/>.</summary>
    public void Commit(ReadOnlySpan<int> star, int t1, int t2)
    {
        _head[t1] = -1;
        if (t2 >= 0)
        {
            _head[t2] = -1;
        }

        foreach (int t in star)
        {
            _head[t] = -1;
        }

        for (int i = 0; i < _pointCount; i++)
        {
            int v = _points[i], t = _best[i];
            _next[v] = _head[t];
            _head[t] = v;
            _maxMeasured2 = Math.Max(_maxMeasured2, _bestDist2[i]);
        }
    }

    private void AddCandidates(int v, int stamp)
    {
        for (int k = _origStart[v]; k < _origStart[v + 1]; k++)
        {
            int t = _origList[k];
            if (_origMark[t] == stamp)
            {
                continue;
            }

            _origMark[t] = stamp;
            if (_candidateCount == _candidates.Length)
            {
                Array.Resize(ref _candidates, 2 * _candidates.Length);
            }

            _candidates[_candidateCount++] = t;
        }
    }

    private bool Near(Vector3D q)
    {
        for (int i = 0; i < _candidateCount; i++)
        {
            int t = 3 * _candidates[i];
            if (TriangleDistance.Squared(q, _origPos[_origTri[t]], _origPos[_origTri[t + 1]], _origPos[_origTri[t + 2]]) <= _max2)
            {
                return true;
            }
        }

        return false;
    }
}
