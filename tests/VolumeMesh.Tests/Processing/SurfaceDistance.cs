using System.Numerics;
using VolumeMesh.Meshing;

namespace VolumeMesh.Tests.Processing;

/// <summary>
/// Test oracle, written apart from the library: distances between triangle surfaces by sampling points on one
/// surface and finding the nearest point of the other through a uniform grid of triangle bounding boxes.
/// </summary>
internal sealed class SurfaceDistance
{
    private readonly Vector3[] _v;
    private readonly int[] _f;
    private readonly Vector3 _origin;
    private readonly float _cell;
    private readonly int _nx, _ny, _nz;
    private readonly List<int>[] _cells;

    public SurfaceDistance(Mesh target)
    {
        _v = target.Vertices;
        _f = target.Indices;
        var min = new Vector3(float.MaxValue);
        var max = new Vector3(float.MinValue);
        foreach (int i in _f)
        {
            min = Vector3.Min(min, _v[i]);
            max = Vector3.Max(max, _v[i]);
        }

        Vector3 size = max - min;
        double avgArea = 0;
        for (int t = 0; t < _f.Length / 3; t++)
        {
            avgArea += Vector3.Cross(_v[_f[(3 * t) + 1]] - _v[_f[3 * t]], _v[_f[(3 * t) + 2]] - _v[_f[3 * t]]).Length() / 2;
        }

        avgArea /= Math.Max(1, _f.Length / 3);
        _cell = Math.Max((float)Math.Sqrt(avgArea) * 2, Math.Max(size.X, Math.Max(size.Y, size.Z)) / 200) + 1e-3f;
        _origin = min - new Vector3(_cell);
        _nx = (int)(size.X / _cell) + 3;
        _ny = (int)(size.Y / _cell) + 3;
        _nz = (int)(size.Z / _cell) + 3;
        _cells = new List<int>[_nx * _ny * _nz];
        for (int t = 0; t < _f.Length / 3; t++)
        {
            Vector3 a = _v[_f[3 * t]], b = _v[_f[(3 * t) + 1]], c = _v[_f[(3 * t) + 2]];
            (int x0, int y0, int z0) = CellOf(Vector3.Min(a, Vector3.Min(b, c)));
            (int x1, int y1, int z1) = CellOf(Vector3.Max(a, Vector3.Max(b, c)));
            for (int z = z0; z <= z1; z++)
            {
                for (int y = y0; y <= y1; y++)
                {
                    for (int x = x0; x <= x1; x++)
                    {
                        (_cells[x + (_nx * (y + (_ny * z)))] ??= []).Add(t);
                    }
                }
            }
        }
    }

    /// <summary>The symmetric Hausdorff distance between two meshes, both sampled.</summary>
    public static double Hausdorff(Mesh a, Mesh b, int samplesPerEdge = 3) =>
        Math.Max(new SurfaceDistance(b).MaxDistanceFrom(a, samplesPerEdge), new SurfaceDistance(a).MaxDistanceFrom(b, samplesPerEdge));

    /// <summary>The largest distance from sample points of <paramref name="source"/> (vertices and a barycentric grid on each triangle) to this surface.</summary>
    public double MaxDistanceFrom(Mesh source, int samplesPerEdge)
    {
        double worst = 0;
        Vector3[] v = source.Vertices;
        int[] f = source.Indices;
        for (int t = 0; t < f.Length / 3; t++)
        {
            Vector3 a = v[f[3 * t]], b = v[f[(3 * t) + 1]], c = v[f[(3 * t) + 2]];
            for (int i = 0; i <= samplesPerEdge; i++)
            {
                for (int j = 0; i + j <= samplesPerEdge; j++)
                {
                    float u = i / (float)samplesPerEdge, w = j / (float)samplesPerEdge;
                    Vector3 p = a + (u * (b - a)) + (w * (c - a));
                    worst = Math.Max(worst, Distance(p));
                }
            }
        }

        return worst;
    }

    /// <summary>Distance from a point to the surface: rings of grid cells around the point until no closer triangle can exist.</summary>
    public double Distance(Vector3 p)
    {
        (int cx, int cy, int cz) = CellOf(p);
        double best = double.MaxValue;
        int maxRing = Math.Max(_nx, Math.Max(_ny, _nz));
        for (int ring = 0; ring <= maxRing; ring++)
        {
            for (int z = cz - ring; z <= cz + ring; z++)
            {
                for (int y = cy - ring; y <= cy + ring; y++)
                {
                    for (int x = cx - ring; x <= cx + ring; x++)
                    {
                        bool shell = Math.Abs(x - cx) == ring || Math.Abs(y - cy) == ring || Math.Abs(z - cz) == ring;
                        if (!shell || x < 0 || y < 0 || z < 0 || x >= _nx || y >= _ny || z >= _nz)
                        {
                            continue;
                        }

                        List<int>? list = _cells[x + (_nx * (y + (_ny * z)))];
                        if (list == null)
                        {
                            continue;
                        }

                        foreach (int t in list)
                        {
                            best = Math.Min(best, PointTriangle(p, _v[_f[3 * t]], _v[_f[(3 * t) + 1]], _v[_f[(3 * t) + 2]]));
                        }
                    }
                }
            }

            // Every triangle within ring·cell of p has been seen.
            if (best <= ring * _cell)
            {
                break;
            }
        }

        return best;
    }

    /// <summary>Point-to-triangle distance: the plane when the projection falls inside, else the nearest of the three edges.</summary>
    public static double PointTriangle(Vector3 p, Vector3 a, Vector3 b, Vector3 c)
    {
        Vector3D pa = D(p) - D(a), ba = D(b) - D(a), ca = D(c) - D(a);
        Vector3D n = Cross(ba, ca);
        double nn = Dot(n, n);
        if (nn > 0)
        {
            double s = Dot(pa, n) / nn;
            Vector3D q = pa - (n * s); // projection, relative to a
            // Inside when the projection is on the inner side of all three edges.
            bool inside = Dot(Cross(ba, q), n) >= 0
                && Dot(Cross(D(c) - D(b), q - ba), n) >= 0
                && Dot(Cross(D(a) - D(c), q - ca), n) >= 0;
            if (inside)
            {
                return Math.Abs(s) * Math.Sqrt(nn);
            }
        }

        return Math.Min(Segment(D(p), D(a), D(b)), Math.Min(Segment(D(p), D(b), D(c)), Segment(D(p), D(c), D(a))));
    }

    private static double Segment(Vector3D p, Vector3D a, Vector3D b)
    {
        Vector3D ab = b - a;
        double len2 = Dot(ab, ab);
        double t = len2 > 0 ? Math.Clamp(Dot(p - a, ab) / len2, 0, 1) : 0;
        Vector3D d = p - (a + (ab * t));
        return Math.Sqrt(Dot(d, d));
    }

    private (int X, int Y, int Z) CellOf(Vector3 p)
    {
        Vector3 r = (p - _origin) / _cell;
        return (Math.Clamp((int)r.X, 0, _nx - 1), Math.Clamp((int)r.Y, 0, _ny - 1), Math.Clamp((int)r.Z, 0, _nz - 1));
    }

    private static Vector3D D(Vector3 v) => new(v.X, v.Y, v.Z);

    private static double Dot(Vector3D a, Vector3D b) => (a.X * b.X) + (a.Y * b.Y) + (a.Z * b.Z);

    private static Vector3D Cross(Vector3D a, Vector3D b) => new((a.Y * b.Z) - (a.Z * b.Y), (a.Z * b.X) - (a.X * b.Z), (a.X * b.Y) - (a.Y * b.X));

    private readonly record struct Vector3D(double X, double Y, double Z)
    {
        public static Vector3D operator +(Vector3D a, Vector3D b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);

        public static Vector3D operator -(Vector3D a, Vector3D b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);

        public static Vector3D operator *(Vector3D a, double s) => new(a.X * s, a.Y * s, a.Z * s);
    }
}
