using System.Numerics;
using VolumeMesh.Geometry;
using VolumeMesh.Meshing;

namespace VolumeMesh.Planning;

/// <summary>Least-squares sphere fitting to the mesh vertices near a seed point (femoral head, acetabulum).</summary>
/// <remarks>
/// <para>The vertices within <see cref="SphereFitOptions.SearchRadiusMm"/> of the seed are fitted in two steps: the
/// algebraic fit (minimising Σ(|p|² − 2c·p − (r² − |c|²))², linear in the unknowns; Kåsa 1976) starts the geometric fit,
/// which minimises the sum of squared distances Σ(|p − c| − r)² by Gauss–Newton with Levenberg–Marquardt damping
/// (Forbes 1989). With <see cref="SphereFitOptions.TrimOutliers"/> the fit repeats without the outliers until none is left.</para>
/// <para>Vertices are used as given (unweighted); a marching-cubes surface has roughly uniform vertex density, so this is
/// close to an area-weighted fit.</para>
/// </remarks>
public static class SphereFitter
{
    /// <summary>Fits a sphere to the vertices of <paramref name="mesh"/> within the search radius of the seed.</summary>
    /// <param name="mesh">The surface, LPS mm.</param>
    /// <param name="options">The seed and search radius.</param>
    /// <param name="cancellationToken">Cancels the fit.</param>
    /// <returns>The fit.</returns>
    /// <exception cref="ArgumentException">Fewer than 4 vertices lie within the search radius, or they lie on a plane.</exception>
    /// <exception cref="OperationCanceledException">The fit was cancelled.</exception>
    public static SphereFit Fit(Mesh mesh, SphereFitOptions options, CancellationToken cancellationToken = default)
    {
        bool[] used = Select(mesh, options);
        return Fit(mesh.Vertices, used, options, cancellationToken);
    }

    /// <summary>Which vertices lie within the search radius of the seed.</summary>
    internal static bool[] Select(Mesh mesh, SphereFitOptions options)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        ArgumentNullException.ThrowIfNull(options);
        var used = new bool[mesh.VertexCount];
        double r2 = options.SearchRadiusMm * options.SearchRadiusMm;
        Vector3[] vertices = mesh.Vertices;
        for (int v = 0; v < vertices.Length; v++)
        {
            double dx = vertices[v].X - options.SeedLps.X;
            double dy = vertices[v].Y - options.SeedLps.Y;
            double dz = vertices[v].Z - options.SeedLps.Z;
            used[v] = (dx * dx) + (dy * dy) + (dz * dz) <= r2;
        }

        return used;
    }

    /// <summary>Fits the vertices flagged in <paramref name="used"/>; trimmed outliers are cleared from it.</summary>
    internal static SphereFit Fit(Vector3[] vertices, bool[] used, SphereFitOptions options, CancellationToken cancellationToken)
    {
        int inSearch = 0;
        for (int v = 0; v < used.Length; v++)
        {
            inSearch += used[v] ? 1 : 0;
        }

        if (inSearch < 4)
        {
            throw new ArgumentException(
                $"Only {inSearch} mesh vertices lie within {options.SearchRadiusMm} mm of the seed {options.SeedLps}; a sphere needs at least 4. Check the seed and the radius.",
                nameof(options));
        }

        // Work relative to the seed so the sums stay well conditioned far from the patient origin.
        Vector3D origin = options.SeedLps;
        (Vector3D centre, double radius) = Algebraic(vertices, used, origin, options);
        int iterations = 0;
        int count = inSearch;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            (centre, radius, iterations) = Geometric(vertices, used, origin, centre, radius, options.MaxIterations);
            (double rms, _) = Residuals(vertices, used, origin, centre, radius);
            if (!options.TrimOutliers)
            {
                break;
            }

            double limit = Math.Max(options.OutlierFactor * rms, options.OutlierFloorMm);
            int dropped = 0;
            for (int v = 0; v < used.Length; v++)
            {
                if (used[v] && Math.Abs(Distance(vertices[v], origin, centre) - radius) > limit)
                {
                    dropped++;
                }
            }

            if (dropped == 0 || count - dropped < 4)
            {
                break;
            }

            for (int v = 0; v < used.Length; v++)
            {
                used[v] = used[v] && Math.Abs(Distance(vertices[v], origin, centre) - radius) <= limit;
            }

            count -= dropped;
        }

        (double finalRms, double max) = Residuals(vertices, used, origin, centre, radius);
        return new SphereFit
        {
            CenterLps = origin + centre,
            RadiusMm = radius,
            RmsMm = finalRms,
            MaxResidualMm = max,
            VerticesInSearch = inSearch,
            VerticesUsed = Count(used),
            Iterations = iterations,
        };
    }

    private static int Count(bool[] used)
    {
        int n = 0;
        foreach (bool u in used)
        {
            n += u ? 1 : 0;
        }

        return n;
    }

    private static double Distance(Vector3 p, Vector3D origin, Vector3D centre)
    {
        double dx = p.X - origin.X - centre.X;
        double dy = p.Y - origin.Y - centre.Y;
        double dz = p.Z - origin.Z - centre.Z;
        return Math.Sqrt((dx * dx) + (dy * dy) + (dz * dz));
    }

    private static (double Rms, double Max) Residuals(Vector3[] vertices, bool[] used, Vector3D origin, Vector3D centre, double radius)
    {
        double sum = 0;
        double max = 0;
        int n = 0;
        for (int v = 0; v < vertices.Length; v++)
        {
            if (!used[v])
            {
                continue;
            }

            double r = Distance(vertices[v], origin, centre) - radius;
            sum += r * r;
            max = Math.Max(max, Math.Abs(r));
            n++;
        }

        return (Math.Sqrt(sum / Math.Max(1, n)), max);
    }

    /// <summary>Kåsa's algebraic fit: rows [2x 2y 2z 1]·(c, k) = |p|² with k = r² − |c|².</summary>
    private static (Vector3D Centre, double Radius) Algebraic(Vector3[] vertices, bool[] used, Vector3D origin, SphereFitOptions options)
    {
        Span<double> a = stackalloc double[16];
        Span<double> b = stackalloc double[4];
        Span<double> row = stackalloc double[4];
        for (int v = 0; v < vertices.Length; v++)
        {
            if (!used[v])
            {
                continue;
            }

            double x = vertices[v].X - origin.X;
            double y = vertices[v].Y - origin.Y;
            double z = vertices[v].Z - origin.Z;
            row[0] = 2 * x;
            row[1] = 2 * y;
            row[2] = 2 * z;
            row[3] = 1;
            double rhs = (x * x) + (y * y) + (z * z);
            for (int r = 0; r < 4; r++)
            {
                b[r] += row[r] * rhs;
                for (int c = 0; c < 4; c++)
                {
                    a[(4 * r) + c] += row[r] * row[c];
                }
            }
        }

        if (!LinearSolver.Solve(a, b, 4))
        {
            throw new ArgumentException(
                $"The vertices within {options.SearchRadiusMm} mm of the seed {options.SeedLps} lie on a plane or a line; no sphere fits them.", nameof(options));
        }

        var centre = new Vector3D(b[0], b[1], b[2]);
        double r2 = b[3] + Vector3D.Dot(centre, centre);
        if (!(r2 > 0))
        {
            throw new ArgumentException($"The vertices within {options.SearchRadiusMm} mm of the seed {options.SeedLps} fit no sphere.", nameof(options));
        }

        return (centre, Math.Sqrt(r2));
    }

    /// <summary>Geometric fit by Gauss–Newton with Levenberg–Marquardt damping; residual |p − c| − r.</summary>
    private static (Vector3D Centre, double Radius, int Iterations) Geometric(
        Vector3[] vertices, bool[] used, Vector3D origin, Vector3D centre, double radius, int maxIterations)
    {
        Span<double> a = stackalloc double[16];
        Span<double> g = stackalloc double[4];
        Span<double> m = stackalloc double[16];
        Span<double> step = stackalloc double[4];
        double lambda = 1e-6;
        double cost = Cost(vertices, used, origin, centre, radius);
        int iteration = 0;
        while (iteration < maxIterations)
        {
            iteration++;
            a.Clear();
            g.Clear();
            for (int v = 0; v < vertices.Length; v++)
            {
                if (!used[v])
                {
                    continue;
                }

                double dx = vertices[v].X - origin.X - centre.X;
                double dy = vertices[v].Y - origin.Y - centre.Y;
                double dz = vertices[v].Z - origin.Z - centre.Z;
                double d = Math.Sqrt((dx * dx) + (dy * dy) + (dz * dz));
                if (d == 0)
                {
                    continue;
                }

                double residual = d - radius;
                double j0 = -dx / d, j1 = -dy / d, j2 = -dz / d, j3 = -1;
                Accumulate(a, g, j0, j1, j2, j3, residual);
            }

            bool improved = false;
            for (int attempt = 0; attempt < 30; attempt++)
            {
                a.CopyTo(m);
                for (int r = 0; r < 4; r++)
                {
                    m[(4 * r) + r] += lambda * (1 + a[(4 * r) + r]);
                    step[r] = -g[r];
                }

                if (!LinearSolver.Solve(m, step, 4))
                {
                    lambda *= 10;
                    continue;
                }

                var trialCentre = new Vector3D(centre.X + step[0], centre.Y + step[1], centre.Z + step[2]);
                double trialRadius = radius + step[3];
                double trialCost = Cost(vertices, used, origin, trialCentre, trialRadius);
                if (trialCost <= cost)
                {
                    double size = Math.Sqrt((step[0] * step[0]) + (step[1] * step[1]) + (step[2] * step[2]) + (step[3] * step[3]));
                    centre = trialCentre;
                    radius = trialRadius;
                    cost = trialCost;
                    lambda = Math.Max(lambda / 10, 1e-12);
                    improved = size > 1e-10;
                    break;
                }

                lambda *= 10;
            }

            if (!improved)
            {
                break;
            }
        }

        return (centre, radius, iteration);
    }

    private static void Accumulate(Span<double> a, Span<double> g, double j0, double j1, double j2, double j3, double residual)
    {
        Span<double> j = [j0, j1, j2, j3];
        for (int r = 0; r < 4; r++)
        {
            g[r] += j[r] * residual;
            for (int c = 0; c < 4; c++)
            {
                a[(4 * r) + c] += j[r] * j[c];
            }
        }
    }

    private static double Cost(Vector3[] vertices, bool[] used, Vector3D origin, Vector3D centre, double radius)
    {
        double sum = 0;
        for (int v = 0; v < vertices.Length; v++)
        {
            if (used[v])
            {
                double r = Distance(vertices[v], origin, centre) - radius;
                sum += r * r;
            }
        }

        return sum;
    }
}
