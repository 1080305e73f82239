using System.Numerics;
using VolumeMesh.Meshing;

namespace VolumeMesh.Processing;

/// <summary>
/// Smoothing that does not shrink: Taubin's λ|μ filter (Taubin 1995) and the windowed-sinc filter (Taubin, Zhang &amp;
/// Golub 1996), on uniform umbrella weights (each neighbour counts once).
/// </summary>
/// <remarks>
/// Connectivity is unchanged; only positions move. Every step reads the previous positions and writes new ones (Jacobi
/// order), in parallel over blocks of vertices, so the result does not depend on the thread count. Work is in double
/// precision; no allocation per vertex or per iteration.
/// </remarks>
public static class MeshSmoother
{
    private const int Block = 4096;

    /// <summary>Smooths a mesh with Taubin's λ|μ filter.</summary>
    /// <param name="mesh">The mesh (not modified).</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="progress">Receives the fraction of iterations done.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>A mesh with the same triangles and smoothed positions.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mesh"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Iterations is negative, λ is outside (0, 1] or μ is not below −λ.</exception>
    /// <exception cref="ArgumentException">The locked-vertex flags do not number one per vertex.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static Mesh Taubin(Mesh mesh, TaubinSmoothingOptions? options = null, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        options ??= new TaubinSmoothingOptions();
        ParallelOptions parallel = Execution.Parallelism.Options(options.MaxDegreeOfParallelism);
        if (options.Iterations < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Iterations, $"{nameof(TaubinSmoothingOptions.Iterations)} must not be negative.");
        }

        if (!(options.Lambda > 0 && options.Lambda <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Lambda, $"{nameof(TaubinSmoothingOptions.Lambda)} must be in (0, 1].");
        }

        if (!(options.Mu < -options.Lambda && options.Mu >= -1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Mu, $"{nameof(TaubinSmoothingOptions.Mu)} must be in [−1, −λ).");
        }

        VertexAdjacency adjacency = VertexAdjacency.Build(mesh, parallel);
        bool[]? fixedVertices = FixedVertices(mesh, adjacency, options.FixBoundary, options.LockedVertices);
        double[] current = ToDouble(mesh.Vertices);
        var next = new double[current.Length];
        for (int i = 0; i < options.Iterations; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Step(adjacency, fixedVertices, current, next, options.Lambda, parallel);
            Step(adjacency, fixedVertices, next, current, options.Mu, parallel);
            progress?.Report((i + 1) / (double)options.Iterations);
        }

        return new Mesh(ToFloat(current), (int[])mesh.Indices.Clone());
    }

    /// <summary>Smooths a mesh with the windowed-sinc filter.</summary>
    /// <param name="mesh">The mesh (not modified).</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="progress">Receives the fraction of iterations done.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>A mesh with the same triangles and smoothed positions.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mesh"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Iterations is negative or the pass band is outside (0, 2).</exception>
    /// <exception cref="ArgumentException">The locked-vertex flags do not number one per vertex.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static Mesh WindowedSinc(Mesh mesh, WindowedSincOptions? options = null, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        options ??= new WindowedSincOptions();
        ParallelOptions parallel = Execution.Parallelism.Options(options.MaxDegreeOfParallelism);
        if (options.Iterations < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Iterations, $"{nameof(WindowedSincOptions.Iterations)} must not be negative.");
        }

        if (!(options.PassBand > 0 && options.PassBand < 2))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.PassBand, $"{nameof(WindowedSincOptions.PassBand)} must be in (0, 2).");
        }

        int degree = options.Iterations;
        if (degree == 0)
        {
            return new Mesh((Vector3[])mesh.Vertices.Clone(), (int[])mesh.Indices.Clone());
        }

        double[] c = SincCoefficients(degree, options.PassBand, options.Window);
        VertexAdjacency adjacency = VertexAdjacency.Build(mesh, parallel);
        bool[]? fixedVertices = FixedVertices(mesh, adjacency, options.FixBoundary, options.LockedVertices);

        // Chebyshev recurrence in M = (I + W)/2: T0 = x, T1 = M x, T(n+1) = 2 M T(n) − T(n−1); result = Σ c(n) T(n).
        double[] t0 = ToDouble(mesh.Vertices);
        var t1 = new double[t0.Length];
        var t2 = new double[t0.Length];
        var sum = new double[t0.Length];
        Step(adjacency, fixedVertices, t0, t1, 0.5, parallel);
        Combine(sum, t0, c[0], t1, c[1]);
        for (int n = 2; n <= degree; n++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Recur(adjacency, fixedVertices, t1, t0, t2, sum, c[n], parallel);
            (t0, t1, t2) = (t1, t2, t0);
            progress?.Report(n / (double)degree);
        }

        progress?.Report(1.0);
        return new Mesh(ToFloat(sum), (int[])mesh.Indices.Clone());
    }

    /// <summary>
    /// Chebyshev coefficients of the ideal low-pass filter on θ ∈ [0, π] with cut-off θ = acos(1 − passBand/2), windowed
    /// and scaled to sum to one (so the filter passes frequency zero exactly).
    /// </summary>
    internal static double[] SincCoefficients(int degree, double passBand, SincWindow window)
    {
        double theta = Math.Acos(1 - (passBand / 2));
        var c = new double[degree + 1];
        double total = 0;
        for (int n = 0; n <= degree; n++)
        {
            double ideal = n == 0 ? theta / Math.PI : 2 * Math.Sin(n * theta) / (n * Math.PI);
            double x = Math.PI * n / (degree + 1);
            double w = window == SincWindow.Hamming
                ? 0.54 + (0.46 * Math.Cos(x))
                : 0.355768 + (0.487396 * Math.Cos(x)) + (0.144232 * Math.Cos(2 * x)) + (0.012604 * Math.Cos(3 * x));
            c[n] = ideal * w;
            total += c[n];
        }

        for (int n = 0; n <= degree; n++)
        {
            c[n] /= total;
        }

        return c;
    }

    /// <summary>The vertices that do not move: the boundary ones when asked, and the locked ones; null when none.</summary>
    private static bool[]? FixedVertices(Mesh mesh, VertexAdjacency adjacency, bool fixBoundary, IReadOnlyList<bool>? locked)
    {
        if (locked is null)
        {
            return fixBoundary ? adjacency.Boundary : null;
        }

        if (locked.Count != mesh.VertexCount)
        {
            throw new ArgumentException($"LockedVertices has {locked.Count} flags but the mesh has {mesh.VertexCount} vertices.", nameof(locked));
        }

        var result = new bool[mesh.VertexCount];
        bool[]? boundary = fixBoundary ? adjacency.Boundary : null;
        for (int v = 0; v < result.Length; v++)
        {
            result[v] = locked[v] || (boundary is not null && boundary[v]);
        }

        return result;
    }

    /// <summary>output = input + f·(mean of neighbours − input) for free vertices; fixed ones are copied.</summary>
    private static void Step(VertexAdjacency adjacency, bool[]? fixedVertices, double[] input, double[] output, double f, ParallelOptions parallel)
    {
        int n = input.Length / 3;
        Parallel.For(0, (n + Block - 1) / Block, parallel, chunk =>
        {
            int[] start = adjacency.Start, nb = adjacency.Neighbours;
            int end = Math.Min(n, (chunk + 1) * Block);
            for (int v = chunk * Block; v < end; v++)
            {
                int s = start[v], e = start[v + 1];
                double x = input[3 * v], y = input[(3 * v) + 1], z = input[(3 * v) + 2];
                if (e == s || (fixedVertices != null && fixedVertices[v]))
                {
                    output[3 * v] = x;
                    output[(3 * v) + 1] = y;
                    output[(3 * v) + 2] = z;
                    continue;
                }

                double sx = 0, sy = 0, sz = 0;
                for (int k = s; k < e; k++)
                {
                    int u = 3 * nb[k];
                    sx += input[u];
                    sy += input[u + 1];
                    sz += input[u + 2];
                }

                double inv = 1.0 / (e - s);
                output[3 * v] = x + (f * ((sx * inv) - x));
                output[(3 * v) + 1] = y + (f * ((sy * inv) - y));
                output[(3 * v) + 2] = z + (f * ((sz * inv) - z));
            }
        });
    }

    /// <summary>next = 2·M·current − previous, with M = (I + W)/2 (fixed vertices: M v = v); sum += c·next.</summary>
    private static void Recur(VertexAdjacency adjacency, bool[]? fixedVertices, double[] current, double[] previous, double[] next, double[] sum, double c, ParallelOptions parallel)
    {
        int n = current.Length / 3;
        Parallel.For(0, (n + Block - 1) / Block, parallel, chunk =>
        {
            int[] start = adjacency.Start, nb = adjacency.Neighbours;
            int end = Math.Min(n, (chunk + 1) * Block);
            for (int v = chunk * Block; v < end; v++)
            {
                int s = start[v], e = start[v + 1];
                double x = current[3 * v], y = current[(3 * v) + 1], z = current[(3 * v) + 2];
                double mx = x, my = y, mz = z;
                if (e > s && (fixedVertices == null || !fixedVertices[v]))
                {
                    double sx = 0, sy = 0, sz = 0;
                    for (int k = s; k < e; k++)
                    {
                        int u = 3 * nb[k];
                        sx += current[u];
                        sy += current[u + 1];
                        sz += current[u + 2];
                    }

                    double inv = 1.0 / (e - s);
                    mx = 0.5 * (x + (sx * inv));
                    my = 0.5 * (y + (sy * inv));
                    mz = 0.5 * (z + (sz * inv));
                }

                double nx = (2 * mx) - previous[3 * v], ny = (2 * my) - previous[(3 * v) + 1], nz = (2 * mz) - previous[(3 * v) + 2];
                next[3 * v] = nx;
                next[(3 * v) + 1] = ny;
                next[(3 * v) + 2] = nz;
                sum[3 * v] += c * nx;
                sum[(3 * v) + 1] += c * ny;
                sum[(3 * v) + 2] += c * nz;
            }
        });
    }

    private static void Combine(double[] sum, double[] a, double ca, double[] b, double cb)
    {
        for (int i = 0; i < sum.Length; i++)
        {
            sum[i] = (ca * a[i]) + (cb * b[i]);
        }
    }

    private static double[] ToDouble(Vector3[] vertices)
    {
        var d = new double[3 * vertices.Length];
        for (int i = 0; i < vertices.Length; i++)
        {
            d[3 * i] = vertices[i].X;
            d[(3 * i) + 1] = vertices[i].Y;
            d[(3 * i) + 2] = vertices[i].Z;
        }

        return d;
    }

    private static Vector3[] ToFloat(double[] d)
    {
        var v = new Vector3[d.Length / 3];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = new Vector3((float)d[3 * i], (float)d[(3 * i) + 1], (float)d[(3 * i) + 2]);
        }

        return v;
    }
}
