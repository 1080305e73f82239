using System.Numerics;
using VolumeMesh.Geometry;
using VolumeMesh.Meshing;

namespace VolumeMesh.Planning;

/// <summary>Measures an acetabular cup or socket on a mesh: sphere, rim plane, radiographic inclination and anteversion.</summary>
/// <remarks>
/// <para>Steps: (1) <see cref="SphereFitter"/> on the vertices within the search radius of the seed, outliers trimmed.
/// (2) The cup region is the largest edge-connected set of mesh vertices lying on that sphere (within the fit's outlier
/// limit, max(<see cref="SphereFitOptions.OutlierFactor"/> × RMS, <see cref="SphereFitOptions.OutlierFloorMm"/>)); the
/// search radius only chooses the vertices of the fit, so it may cut through the cup without making a false rim. The rim
/// is the border of the region on the mesh: a region vertex joined by a mesh edge to a vertex off the sphere, or lying on
/// an open boundary edge. (3) A plane is fitted to the rim vertices by total least squares (the
/// eigenvector of the smallest eigenvalue of their covariance), refitted once without rim vertices farther than three RMS
/// from it. Its normal, turned to point away from the region's centroid (out of the opening), is the cup axis, from which
/// <see cref="CupFit.RadiographicAngles"/> gives the angles.</para>
/// <para>The search ball must hold the cup's articular (or outer) surface and little else: centre the seed near the
/// rotation centre and give a radius a little above the cup's.</para>
/// </remarks>
public static class CupFitter
{
    /// <summary>Fits a cup to the surface near the seed.</summary>
    /// <param name="mesh">The surface, LPS mm (shared vertices, as marching cubes and the STL reader give).</param>
    /// <param name="options">Seed and search radius.</param>
    /// <param name="cancellationToken">Cancels the fit.</param>
    /// <returns>The cup's sphere, rim plane and angles.</returns>
    /// <exception cref="ArgumentException">Too few vertices near the seed, or the region on the sphere has fewer than 3 rim
    /// vertices (a closed sphere has no rim).</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public static CupFit Fit(Mesh mesh, SphereFitOptions options, CancellationToken cancellationToken = default)
    {
        bool[] used = SphereFitter.Select(mesh, options);
        SphereFit sphere = SphereFitter.Fit(mesh.Vertices, used, options, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        bool[] region = Region(mesh, sphere, Math.Max(options.OutlierFactor * sphere.RmsMm, options.OutlierFloorMm));

        // Rim: region vertices with an edge leaving the region, or on an edge used by one triangle.
        int[] indices = mesh.Indices;
        var rim = new bool[mesh.VertexCount];
        var edgeUse = new Dictionary<long, int>();
        for (int t = 0; t < indices.Length; t += 3)
        {
            for (int e = 0; e < 3; e++)
            {
                int a = indices[t + e];
                int b = indices[t + ((e + 1) % 3)];
                if (region[a] != region[b])
                {
                    rim[region[a] ? a : b] = true;
                }
                else if (region[a])
                {
                    long key = a < b ? ((long)a << 32) | (uint)b : ((long)b << 32) | (uint)a;
                    edgeUse[key] = edgeUse.GetValueOrDefault(key) + 1;
                }
            }
        }

        foreach ((long key, int uses) in edgeUse)
        {
            if (uses == 1)
            {
                rim[(int)(key >> 32)] = true;
                rim[(int)(key & 0xFFFFFFFF)] = true;
            }
        }

        Vector3[] vertices = mesh.Vertices;
        Vector3D regionCentroid = Centroid(vertices, region);
        (Vector3D centre, Vector3D normal, double rms, int count) = FitPlane(vertices, rim, options);
        (centre, normal, rms, count) = FitPlane(vertices, Trim(vertices, rim, centre, normal, 3 * rms), options);
        if (Vector3D.Dot(normal, centre - regionCentroid) < 0)
        {
            normal = -normal;
        }

        double rimRadius = 0;
        for (int v = 0; v < vertices.Length; v++)
        {
            if (rim[v])
            {
                rimRadius += (ToDouble(vertices[v]) - centre).Length;
            }
        }

        (double inclination, double anteversion) = CupFit.RadiographicAngles(normal);
        return new CupFit
        {
            Sphere = sphere,
            RimCenterLps = centre,
            AxisLps = normal,
            RimPlaneRmsMm = rms,
            RimRadiusMm = rimRadius / count,
            RimVertices = count,
            CenterToRimPlaneMm = Vector3D.Dot(sphere.CenterLps - centre, normal),
            InclinationDegrees = inclination,
            AnteversionDegrees = anteversion,
        };
    }

    /// <summary>The largest edge-connected set of vertices within <paramref name="limit"/> of the fitted sphere.</summary>
    private static bool[] Region(Mesh mesh, SphereFit sphere, double limit)
    {
        Vector3[] vertices = mesh.Vertices;
        var onSphere = new bool[vertices.Length];
        for (int v = 0; v < vertices.Length; v++)
        {
            onSphere[v] = Math.Abs((ToDouble(vertices[v]) - sphere.CenterLps).Length - sphere.RadiusMm) <= limit;
        }

        var parent = new int[vertices.Length];
        for (int v = 0; v < parent.Length; v++)
        {
            parent[v] = v;
        }

        int[] indices = mesh.Indices;
        for (int t = 0; t < indices.Length; t += 3)
        {
            for (int e = 0; e < 3; e++)
            {
                int a = indices[t + e];
                int b = indices[t + ((e + 1) % 3)];
                if (onSphere[a] && onSphere[b])
                {
                    int ra = Find(parent, a);
                    int rb = Find(parent, b);
                    if (ra != rb)
                    {
                        parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
                    }
                }
            }
        }

        var size = new int[vertices.Length];
        int best = -1;
        for (int v = 0; v < vertices.Length; v++)
        {
            if (onSphere[v])
            {
                int root = Find(parent, v);
                size[root]++;
                if (best < 0 || size[root] > size[best])
                {
                    best = root;
                }
            }
        }

        for (int v = 0; v < vertices.Length; v++)
        {
            onSphere[v] = onSphere[v] && Find(parent, v) == best;
        }

        return onSphere;
    }

    private static int Find(int[] parent, int v)
    {
        while (parent[v] != v)
        {
            parent[v] = parent[parent[v]];
            v = parent[v];
        }

        return v;
    }

    private static bool[] Trim(Vector3[] vertices, bool[] rim, Vector3D centre, Vector3D normal, double limit)
    {
        var kept = new bool[rim.Length];
        int count = 0;
        for (int v = 0; v < rim.Length; v++)
        {
            kept[v] = rim[v] && Math.Abs(Vector3D.Dot(ToDouble(vertices[v]) - centre, normal)) <= limit;
            count += kept[v] ? 1 : 0;
        }

        // Keep the untrimmed set when trimming would leave too few for a plane.
        return count >= 3 ? kept : rim;
    }

    private static (Vector3D Centre, Vector3D Normal, double Rms, int Count) FitPlane(Vector3[] vertices, bool[] rim, SphereFitOptions options)
    {
        Vector3D centre = Centroid(vertices, rim);
        int count = 0;
        Span<double> m = stackalloc double[9];
        for (int v = 0; v < vertices.Length; v++)
        {
            if (!rim[v])
            {
                continue;
            }

            Vector3D d = ToDouble(vertices[v]) - centre;
            m[0] += d.X * d.X;
            m[1] += d.X * d.Y;
            m[2] += d.X * d.Z;
            m[4] += d.Y * d.Y;
            m[5] += d.Y * d.Z;
            m[8] += d.Z * d.Z;
            count++;
        }

        if (count < 3)
        {
            throw new ArgumentException(
                $"The surface on the sphere near {options.SeedLps} has {count} rim vertices; a cup needs an opening (is this a closed sphere, or is the search radius of {options.SearchRadiusMm} mm too large?).",
                nameof(options));
        }

        m[3] = m[1];
        m[6] = m[2];
        m[7] = m[5];
        (double x, double y, double z, double value) = LinearSolver.SmallestEigenvector(m);
        var normal = new Vector3D(x, y, z).Normalized();
        return (centre, normal, Math.Sqrt(Math.Max(0, value) / count), count);
    }

    private static Vector3D Centroid(Vector3[] vertices, bool[] flags)
    {
        double x = 0, y = 0, z = 0;
        int n = 0;
        for (int v = 0; v < vertices.Length; v++)
        {
            if (flags[v])
            {
                x += vertices[v].X;
                y += vertices[v].Y;
                z += vertices[v].Z;
                n++;
            }
        }

        return n == 0 ? Vector3D.Zero : new Vector3D(x / n, y / n, z / n);
    }

    private static Vector3D ToDouble(Vector3 p) => new(p.X, p.Y, p.Z);
}
