using System.Numerics;
using VolumeMesh.Meshing;
using VolumeMesh.Processing;

namespace VolumeMesh.Tests.Processing;

public sealed class MeshSmootherTests
{
    private const double Radius = 20;

    public static TheoryData<string> Filters => new() { "taubin", "sinc-nuttall", "sinc-hamming" };

    [Theory]
    [MemberData(nameof(Filters))]
    public void NoisySphereComesCloserToTheSphereWithoutShrinking(string filter)
    {
        Mesh clean = TestMeshes.Icosphere(Radius, 4);
        Mesh noisy = Noisy(clean, 0.4, seed: 7);
        Mesh smooth = Smooth(noisy, filter);

        double before = RmsRadialError(noisy), after = RmsRadialError(smooth);
        Assert.True(after < 0.5 * before, $"RMS radial error {before:F4} → {after:F4} mm");
        double cleanVolume = MeshReport.Compute(clean).VolumeMm3;
        double ratio = MeshReport.Compute(smooth).VolumeMm3 / cleanVolume;
        Assert.InRange(ratio, 0.99, 1.01);
        Assert.Equal(noisy.Indices, smooth.Indices);
    }

    [Theory]
    [MemberData(nameof(Filters))]
    public void CleanSphereKeepsItsVolume(string filter)
    {
        Mesh clean = TestMeshes.Icosphere(Radius, 4);
        Mesh smooth = Smooth(clean, filter);
        Assert.InRange(MeshReport.Compute(smooth).VolumeMm3 / MeshReport.Compute(clean).VolumeMm3, 0.99, 1.01);
    }

    [Fact]
    public void StaircaseSphereIsSmoothedTowardsTheBall()
    {
        // A staircase (voxel) sphere: smoothing should bring vertices closer to the ball's surface and keep the volume.
        Mesh stairs = TestMeshes.VoxelSphere(Radius, 1);
        Mesh smooth = MeshSmoother.WindowedSinc(stairs);
        Assert.True(RmsRadialError(smooth) < 0.6 * RmsRadialError(stairs), $"{RmsRadialError(stairs):F4} → {RmsRadialError(smooth):F4}");
        Assert.InRange(MeshReport.Compute(smooth).VolumeMm3 / MeshReport.Compute(stairs).VolumeMm3, 0.99, 1.01);
    }

    [Theory]
    [MemberData(nameof(Filters))]
    public void BoundaryOfAnOpenMeshStaysFixed(string filter)
    {
        Mesh open = Noisy(TestMeshes.CutAbove(TestMeshes.Icosphere(Radius, 3), 0), 0.3, seed: 3);
        Mesh smooth = Smooth(open, filter);
        var boundary = BoundaryVertices(open);
        Assert.NotEmpty(boundary);
        foreach (int v in boundary)
        {
            Assert.Equal(open.Vertices[v], smooth.Vertices[v]);
        }

        Assert.Contains(Enumerable.Range(0, open.VertexCount), v => !boundary.Contains(v) && open.Vertices[v] != smooth.Vertices[v]);
    }

    [Fact]
    public void TranslationCommutesWithSmoothing()
    {
        // The filters are affine-invariant (coefficients sum to one): smoothing a shifted mesh is the shifted smoothing.
        Mesh noisy = Noisy(TestMeshes.Icosphere(Radius, 3), 0.3, seed: 5);
        var shift = new Vector3(100, -50, 25);
        Mesh shifted = new(noisy.Vertices.Select(v => v + shift).ToArray(), noisy.Indices);
        Mesh a = MeshSmoother.WindowedSinc(noisy), b = MeshSmoother.WindowedSinc(shifted);
        for (int i = 0; i < a.VertexCount; i++)
        {
            Assert.True(Vector3.Distance(a.Vertices[i] + shift, b.Vertices[i]) < 1e-3f);
        }
    }

    [Fact]
    public void SincCoefficientsSumToOneAndDecay()
    {
        foreach (SincWindow window in Enum.GetValues<SincWindow>())
        {
            double[] c = MeshSmoother.SincCoefficients(20, 0.1, window);
            Assert.Equal(1.0, c.Sum(), 12);
            Assert.True(Math.Abs(c[20]) < Math.Abs(c[0]) / 20);
        }
    }

    [Fact]
    public void InvalidOptionsAreRejected()
    {
        Mesh m = TestMeshes.Icosphere(1, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => MeshSmoother.Taubin(m, new TaubinSmoothingOptions { Mu = -0.4 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => MeshSmoother.Taubin(m, new TaubinSmoothingOptions { Iterations = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => MeshSmoother.WindowedSinc(m, new WindowedSincOptions { PassBand = 0 }));
        Assert.Throws<OperationCanceledException>(() => MeshSmoother.WindowedSinc(m, null, null, new CancellationToken(true)));
    }

    internal static Mesh Noisy(Mesh mesh, double amplitudeMm, int seed)
    {
        var random = new Random(seed);
        var vertices = new Vector3[mesh.VertexCount];
        for (int i = 0; i < vertices.Length; i++)
        {
            Vector3 p = mesh.Vertices[i];
            float scale = (float)(1 + (((2 * random.NextDouble()) - 1) * amplitudeMm / p.Length()));
            vertices[i] = p * scale;
        }

        return new Mesh(vertices, mesh.Indices);
    }

    private static Mesh Smooth(Mesh mesh, string filter) => filter switch
    {
        "taubin" => MeshSmoother.Taubin(mesh),
        "sinc-hamming" => MeshSmoother.WindowedSinc(mesh), // the defaults
        _ => MeshSmoother.WindowedSinc(mesh, new WindowedSincOptions { Window = SincWindow.Nuttall, Iterations = 40 }),
    };

    private static double RmsRadialError(Mesh mesh)
    {
        double sum = 0;
        foreach (Vector3 v in mesh.Vertices)
        {
            double e = v.Length() - Radius;
            sum += e * e;
        }

        return Math.Sqrt(sum / mesh.VertexCount);
    }

    private static HashSet<int> BoundaryVertices(Mesh mesh)
    {
        var uses = new Dictionary<(int, int), int>();
        for (int t = 0; t < mesh.TriangleCount; t++)
        {
            var (a, b, c) = mesh.Triangle(t);
            foreach (var (x, y) in new[] { (a, b), (b, c), (c, a) })
            {
                var key = (Math.Min(x, y), Math.Max(x, y));
                uses[key] = uses.GetValueOrDefault(key) + 1;
            }
        }

        return uses.Where(kv => kv.Value == 1).SelectMany(kv => new[] { kv.Key.Item1, kv.Key.Item2 }).ToHashSet();
    }
}
