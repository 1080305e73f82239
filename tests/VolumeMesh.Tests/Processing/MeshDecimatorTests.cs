using System.Numerics;
using VolumeMesh.Meshing;
using VolumeMesh.Processing;

namespace VolumeMesh.Tests.Processing;

public sealed class MeshDecimatorTests
{
    public static TheoryData<string, double, double> ClosedShapes => new()
    {
        // shape, reduction, max error (mm)
        { "icosphere", 0.9, 0.2 },
        { "icosphere", 0.99, 1.5 },
        { "voxelsphere", 0.9, 1.0 },
        { "voxelsphere", 0.99, 2.0 },
    };

    [Theory]
    [MemberData(nameof(ClosedShapes))]
    public void ClosedSphereStaysWatertightWithinErrorAndVolume(string shape, double reduction, double maxError)
    {
        Mesh input = shape == "icosphere" ? TestMeshes.Icosphere(20, 5) : TestMeshes.VoxelSphere(20, 1);
        MeshReport before = MeshReport.Compute(input);
        Assert.True(before.IsWatertight, before.ToString());

        DecimationResult result = MeshDecimator.Decimate(input, new DecimationOptions { ReductionRatio = reduction, MaxErrorMm = maxError });
        MeshReport after = MeshReport.Compute(result.Mesh);

        int target = (int)Math.Ceiling(input.TriangleCount * (1 - reduction));
        Assert.Equal(DecimationStopReason.TargetReached, result.StopReason);
        Assert.InRange(after.Triangles, target - 2, target);
        Assert.True(after.IsWatertight, after.ToString());
        Assert.Equal(0, after.UnreferencedVertices);
        Assert.Equal(1, after.Shells);
        Assert.Equal([2], after.ShellEulerCharacteristics);
        Assert.InRange(after.VolumeMm3 / before.VolumeMm3, 0.99, 1.01);

        double hausdorff = SurfaceDistance.Hausdorff(input, result.Mesh);
        Assert.True(hausdorff <= maxError * 1.0001, $"Hausdorff {hausdorff} mm > {maxError} mm");
        Assert.NotNull(result.MeasuredErrorMm);
        Assert.InRange(result.MeasuredErrorMm!.Value, 0, maxError);
    }

    [Fact]
    public void ErrorBoundStopsDecimationBeforeTheTarget()
    {
        Mesh input = TestMeshes.Icosphere(20, 4);
        DecimationResult tight = MeshDecimator.Decimate(input, new DecimationOptions { ReductionRatio = 0.99, MaxErrorMm = 0.1 });
        Assert.Equal(DecimationStopReason.NoValidCollapse, tight.StopReason);
        Assert.True(tight.TrianglesAfter > 0.01 * input.TriangleCount);
        Assert.True(tight.TrianglesAfter < 0.8 * input.TriangleCount, $"only {input.TriangleCount - tight.TrianglesAfter} removed");
        Assert.True(SurfaceDistance.Hausdorff(input, tight.Mesh) <= 0.1 * 1.0001);
        Assert.True(MeshReport.Compute(tight.Mesh).IsWatertight);
    }

    [Fact]
    public void TorusKeepsGenusOne()
    {
        Mesh input = TestMeshes.Torus(20, 6, 120, 40);
        Assert.Equal([0], MeshReport.Compute(input).ShellEulerCharacteristics);
        foreach (double reduction in new[] { 0.9, 0.995 })
        {
            DecimationResult result = MeshDecimator.Decimate(input, new DecimationOptions { ReductionRatio = reduction });
            MeshReport after = MeshReport.Compute(result.Mesh);
            Assert.True(after.IsWatertight, after.ToString());
            Assert.Equal([0], after.ShellEulerCharacteristics);
            Assert.True(after.Triangles <= Math.Max(input.TriangleCount * (1 - reduction) + 1, 64), after.ToString());
        }
    }

    [Fact]
    public void TwoShellsStayTwoShellsEvenWhenDecimatedToTheMinimum()
    {
        Mesh input = TestMeshes.Concat(TestMeshes.Icosphere(10, 3), TestMeshes.VoxelSphere(8, 1, new Vector3(40, 0, 0)));
        Assert.Equal(2, MeshReport.Compute(input).Shells);
        DecimationResult result = MeshDecimator.Decimate(input, new DecimationOptions { TargetTriangleCount = 0, MinTriangleQuality = 0 });
        MeshReport after = MeshReport.Compute(result.Mesh);
        Assert.Equal(DecimationStopReason.NoValidCollapse, result.StopReason);
        Assert.True(after.IsWatertight, after.ToString());
        Assert.Equal(2, after.Shells);
        Assert.Equal([2, 2], after.ShellEulerCharacteristics);
        Assert.True(after.Triangles < 100, after.ToString());
    }

    [Fact]
    public void LockedBoundaryOfAnOpenMeshStaysExactly()
    {
        Mesh input = TestMeshes.CutAbove(TestMeshes.Icosphere(20, 4), 0);
        MeshReport before = MeshReport.Compute(input);
        Assert.True(before.BoundaryEdges > 0);
        DecimationResult result = MeshDecimator.Decimate(input, new DecimationOptions { ReductionRatio = 0.9, LockBoundary = true });
        MeshReport after = MeshReport.Compute(result.Mesh);
        Assert.Equal(0, after.NonManifoldEdges);
        Assert.Equal(0, after.InconsistentlyOrientedEdges);
        Assert.Equal(before.ShellEulerCharacteristics, after.ShellEulerCharacteristics);
        Assert.Equal(BoundaryEdges(input), BoundaryEdges(result.Mesh));
        Assert.True(after.Triangles < input.TriangleCount / 4, after.ToString());
    }

    [Fact]
    public void UnlockedBoundaryStaysOneLoopNearTheOriginal()
    {
        Mesh input = TestMeshes.CutAbove(TestMeshes.Icosphere(20, 4), 0);
        MeshReport before = MeshReport.Compute(input);
        DecimationResult result = MeshDecimator.Decimate(input, new DecimationOptions { ReductionRatio = 0.9, MaxErrorMm = 0.5 });
        MeshReport after = MeshReport.Compute(result.Mesh);
        Assert.Equal(0, after.NonManifoldEdges);
        Assert.Equal(0, after.InconsistentlyOrientedEdges);
        Assert.Equal(before.ShellEulerCharacteristics, after.ShellEulerCharacteristics); // a disc stays a disc: no hole opened or closed
        Assert.InRange(after.BoundaryEdges, 3, before.BoundaryEdges - 1);
        Assert.True(SurfaceDistance.Hausdorff(input, result.Mesh) <= 0.5 * 1.0001);
    }

    [Fact]
    public void TargetCountIsMetAndResultIsDeterministic()
    {
        Mesh input = TestMeshes.VoxelSphere(12, 1);
        var options = new DecimationOptions { TargetTriangleCount = 1000 };
        DecimationResult first = MeshDecimator.Decimate(input, options);
        DecimationResult second = MeshDecimator.Decimate(input, options);
        Assert.InRange(first.TrianglesAfter, 998, 1000);
        Assert.Equal(first.Mesh.Indices, second.Mesh.Indices);
        Assert.Equal(first.Mesh.Vertices, second.Mesh.Vertices);
        Assert.Equal(input.TriangleCount, first.TrianglesBefore);
        Assert.True(first.MaxQuadricErrorMm > 0);
        Assert.Null(first.MeasuredErrorMm);
    }

    [Fact]
    public void NoNewSliversBelowTheQualityThreshold()
    {
        Mesh input = TestMeshes.Icosphere(20, 5);
        const double minQuality = 0.3;
        DecimationResult result = MeshDecimator.Decimate(input, new DecimationOptions { ReductionRatio = 0.95, MinTriangleQuality = minQuality });
        double worst = double.MaxValue;
        for (int t = 0; t < result.Mesh.TriangleCount; t++)
        {
            var (a, b, c) = result.Mesh.Triangle(t);
            Vector3 pa = result.Mesh.Vertices[a], pb = result.Mesh.Vertices[b], pc = result.Mesh.Vertices[c];
            double area = Vector3.Cross(pb - pa, pc - pa).Length() / 2;
            double sum = (pb - pa).LengthSquared() + (pc - pb).LengthSquared() + (pa - pc).LengthSquared();
            worst = Math.Min(worst, 4 * Math.Sqrt(3) * area / sum);
        }

        Assert.True(worst >= minQuality - 1e-4, $"worst quality {worst}");
    }

    [Fact]
    public void ProgressAndCancellation()
    {
        Mesh input = TestMeshes.Icosphere(20, 5);
        var reports = new List<double>();
        MeshDecimator.Decimate(input, new DecimationOptions { ReductionRatio = 0.9 }, new SyncProgress(reports.Add));
        Assert.NotEmpty(reports);
        Assert.Equal(1.0, reports[^1]);
        Assert.Throws<OperationCanceledException>(() =>
            MeshDecimator.Decimate(input, new DecimationOptions { ReductionRatio = 0.9 }, null, new CancellationToken(true)));
    }

    public static TheoryData<string> PassModeShapes => new() { "voxelsphere", "torus", "twoshells", "openlocked" };

    [Theory]
    [MemberData(nameof(PassModeShapes))]
    public void PassOrderKeepsTheSameGuarantees(string shape)
    {
        // The pass-wise order used on large meshes, forced on small ones.
        Mesh input = shape switch
        {
            "voxelsphere" => TestMeshes.VoxelSphere(20, 1),
            "torus" => TestMeshes.Torus(20, 6, 120, 40),
            "twoshells" => TestMeshes.Concat(TestMeshes.Icosphere(10, 4), TestMeshes.VoxelSphere(8, 1, new Vector3(40, 0, 0))),
            _ => TestMeshes.CutAbove(TestMeshes.Icosphere(20, 4), 0),
        };
        MeshReport before = MeshReport.Compute(input);
        var options = new DecimationOptions { ReductionRatio = 0.9, LockBoundary = shape == "openlocked" };
        DecimationResult result = MeshDecimator.DecimateInOrder(input, options, null, default, usePasses: true);
        MeshReport after = MeshReport.Compute(result.Mesh);
        Assert.Equal(DecimationStopReason.TargetReached, result.StopReason);
        Assert.InRange(after.Triangles, (int)Math.Ceiling(input.TriangleCount * 0.1) - 2, (int)Math.Ceiling(input.TriangleCount * 0.1));
        Assert.Equal(0, after.NonManifoldEdges);
        Assert.Equal(0, after.InconsistentlyOrientedEdges);
        Assert.Equal(0, after.DegenerateTriangles);
        Assert.Equal(before.ShellEulerCharacteristics, after.ShellEulerCharacteristics);
        if (shape == "openlocked")
        {
            Assert.Equal(BoundaryEdges(input), BoundaryEdges(result.Mesh));
        }
        else
        {
            Assert.True(after.IsWatertight, after.ToString());
            Assert.InRange(after.VolumeMm3 / before.VolumeMm3, 0.99, 1.01);
        }

        // Close to the input, and the same result every time.
        Assert.True(SurfaceDistance.Hausdorff(input, result.Mesh) < 1.5);
        DecimationResult again = MeshDecimator.DecimateInOrder(input, options, null, default, usePasses: true);
        Assert.Equal(result.Mesh.Indices, again.Mesh.Indices);
        Assert.Equal(result.Mesh.Vertices, again.Mesh.Vertices);
    }

    [Fact]
    public void ParallelSlabPassesKeepTheGuaranteesAndDoNotDependOnTheThreadCount()
    {
        // Small slabs force the parallel slab sweeps (used on large meshes) onto a small mesh; whatever the number of
        // threads, the output must be identical, and closed, manifold, with the shells' topology, near the input.
        Mesh input = TestMeshes.Concat(TestMeshes.Torus(20, 6, 120, 40), TestMeshes.VoxelSphere(12, 1, new Vector3(60, 0, 0)));
        MeshReport before = MeshReport.Compute(input);
        var options = new DecimationOptions { ReductionRatio = 0.9 };
        DecimationResult one = MeshDecimator.DecimateInOrder(input, options, null, default, usePasses: true, maxThreads: 1, slabVertices: 600);
        DecimationResult many = MeshDecimator.DecimateInOrder(input, options, null, default, usePasses: true, maxThreads: 4, slabVertices: 600);
        DecimationResult serial = MeshDecimator.DecimateInOrder(input, options, null, default, usePasses: true, slabVertices: int.MaxValue / 4);
        Assert.Equal(one.Mesh.Indices, many.Mesh.Indices);
        Assert.Equal(one.Mesh.Vertices, many.Mesh.Vertices);
        Assert.Equal(one.MaxQuadricErrorMm, many.MaxQuadricErrorMm);

        // The slabs really changed the order (else this test would not exercise them).
        Assert.NotEqual(serial.Mesh.Vertices, one.Mesh.Vertices);

        MeshReport after = MeshReport.Compute(one.Mesh);
        Assert.Equal(DecimationStopReason.TargetReached, one.StopReason);
        Assert.InRange(after.Triangles, (int)Math.Ceiling(input.TriangleCount * 0.1) - 2, (int)Math.Ceiling(input.TriangleCount * 0.1));
        Assert.True(after.IsWatertight, after.ToString());
        Assert.Equal(0, after.DegenerateTriangles);
        Assert.Equal(before.ShellEulerCharacteristics, after.ShellEulerCharacteristics);
        Assert.InRange(after.VolumeMm3 / before.VolumeMm3, 0.99, 1.01);
        Assert.True(SurfaceDistance.Hausdorff(input, one.Mesh) < 1.5);
    }

    [Fact]
    public void AdaptiveSlabsDoNotDependOnTheThreadCount()
    {
        // The default slab size follows the index spans of each pass's candidates (it grows as decimation lengthens
        // the edges): it must depend on the mesh only, so 1, 2 and 8 threads give the same mesh. The renumberings keep
        // this sphere's spans below the default smallest slab, so the smallest is lowered for the spans to decide.
        Mesh input = TestMeshes.VoxelSphere(80, 1);
        Assert.True(input.TriangleCount >= 100_000, $"{input.TriangleCount} triangles: too few for the slab passes");
        var options = new DecimationOptions { ReductionRatio = 0.95 };
        DecimationResult one = MeshDecimator.DecimateInOrder(input, options, null, default, usePasses: true, maxThreads: 1, minSlabVertices: 1024);
        DecimationResult two = MeshDecimator.DecimateInOrder(input, options, null, default, usePasses: true, maxThreads: 2, minSlabVertices: 1024);
        DecimationResult eight = MeshDecimator.DecimateInOrder(input, options, null, default, usePasses: true, maxThreads: 8, minSlabVertices: 1024);
        Assert.Equal(one.Mesh.Indices, two.Mesh.Indices);
        Assert.Equal(one.Mesh.Vertices, two.Mesh.Vertices);
        Assert.Equal(one.Mesh.Indices, eight.Mesh.Indices);
        Assert.Equal(one.Mesh.Vertices, eight.Mesh.Vertices);

        // The spans chose the slabs: they are not fixed ones of the smallest size (else this test would not exercise them).
        DecimationResult fixedSlabs = MeshDecimator.DecimateInOrder(input, options, null, default, usePasses: true, maxThreads: 2, slabVertices: 1024);
        Assert.NotEqual(fixedSlabs.Mesh.Vertices, one.Mesh.Vertices);

        MeshReport after = MeshReport.Compute(one.Mesh);
        Assert.Equal(DecimationStopReason.TargetReached, one.StopReason);
        Assert.True(after.IsWatertight, after.ToString());
        Assert.Equal(0, after.DegenerateTriangles);
        Assert.True(SurfaceDistance.Hausdorff(input, one.Mesh) < 1.5);
    }

    [Fact]
    public void ParallelSlabPassesOnAShuffledVertexOrderStillReachTheTarget()
    {
        // Vertex order without spatial coherence: almost every edge crosses a slab bound, so the slabs defer nearly all
        // work and the passes must fall back to serial sweeps, with the same guarantees and thread-count independence.
        Mesh ordered = TestMeshes.Torus(20, 6, 120, 40);
        int n = ordered.VertexCount;
        var perm = new int[n];
        for (int i = 0; i < n; i++)
        {
            perm[i] = i;
        }

        var random = new Random(7);
        random.Shuffle(perm);
        var vertices = new Vector3[n];
        for (int i = 0; i < n; i++)
        {
            vertices[perm[i]] = ordered.Vertices[i];
        }

        int[] indices = Array.ConvertAll(ordered.Indices, i => perm[i]);
        var input = new Mesh(vertices, indices);
        MeshReport before = MeshReport.Compute(input);
        var options = new DecimationOptions { ReductionRatio = 0.9 };
        DecimationResult one = MeshDecimator.DecimateInOrder(input, options, null, default, usePasses: true, maxThreads: 1, slabVertices: 500);
        DecimationResult many = MeshDecimator.DecimateInOrder(input, options, null, default, usePasses: true, maxThreads: 4, slabVertices: 500);
        Assert.Equal(one.Mesh.Indices, many.Mesh.Indices);
        Assert.Equal(one.Mesh.Vertices, many.Mesh.Vertices);
        MeshReport after = MeshReport.Compute(one.Mesh);
        Assert.Equal(DecimationStopReason.TargetReached, one.StopReason);
        Assert.True(after.IsWatertight, after.ToString());
        Assert.Equal(before.ShellEulerCharacteristics, after.ShellEulerCharacteristics);
        Assert.True(SurfaceDistance.Hausdorff(input, one.Mesh) < 1.5);
    }

    [Fact]
    public void PassOrderHonoursTheErrorBound()
    {
        Mesh input = TestMeshes.VoxelSphere(20, 1);
        DecimationResult result = MeshDecimator.DecimateInOrder(input, new DecimationOptions { ReductionRatio = 0.9, MaxErrorMm = 1.0 }, null, default, usePasses: true);
        Assert.True(MeshReport.Compute(result.Mesh).IsWatertight);
        Assert.True(result.TrianglesAfter < input.TriangleCount / 4);
        Assert.True(SurfaceDistance.Hausdorff(input, result.Mesh) <= 1.0001);
    }

    [Fact]
    public void EmptyAndNonManifoldInputsAreHandled()
    {
        DecimationResult empty = MeshDecimator.Decimate(Mesh.Empty, new DecimationOptions { ReductionRatio = 0.5 });
        Assert.Equal(0, empty.TrianglesAfter);

        // Two spheres glued along one edge (three triangles on that edge would be non-manifold): the frozen
        // neighbourhood keeps its non-manifold edge and nothing else breaks.
        Mesh a = TestMeshes.Icosphere(10, 3);
        Mesh b = TestMeshes.Icosphere(10, 3, new System.Numerics.Vector3(30, 0, 0));
        Mesh both = TestMeshes.Concat(a, b);
        var (p, q, _) = a.Triangle(0);
        int[] indices = [.. both.Indices, p, q, a.VertexCount + 5]; // a fin triangle: edge (p, q) now has three triangles
        var fin = new Mesh(both.Vertices, indices);
        MeshReport before = MeshReport.Compute(fin);
        Assert.Equal(1, before.NonManifoldEdges);
        DecimationResult result = MeshDecimator.Decimate(fin, new DecimationOptions { ReductionRatio = 0.9 });
        MeshReport after = MeshReport.Compute(result.Mesh);
        Assert.Equal(1, after.NonManifoldEdges);
        Assert.Equal(0, after.InconsistentlyOrientedEdges);
        Assert.Equal(before.BoundaryEdges, after.BoundaryEdges);
        Assert.True(after.Triangles < fin.TriangleCount / 4, after.ToString());
    }

    [Fact]
    public void InvalidOptionsAreRejected()
    {
        Mesh input = TestMeshes.Icosphere(1, 1);
        Assert.Throws<ArgumentException>(() => MeshDecimator.Decimate(input, new DecimationOptions()));
        Assert.Throws<ArgumentOutOfRangeException>(() => MeshDecimator.Decimate(input, new DecimationOptions { ReductionRatio = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => MeshDecimator.Decimate(input, new DecimationOptions { MaxErrorMm = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => MeshDecimator.Decimate(input, new DecimationOptions { TargetTriangleCount = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => MeshDecimator.Decimate(input, new DecimationOptions { ReductionRatio = 0.5, MinTriangleQuality = 2 }));
    }

    private static HashSet<(Vector3, Vector3)> BoundaryEdges(Mesh mesh)
    {
        var uses = new Dictionary<(Vector3, Vector3), int>();
        for (int t = 0; t < mesh.TriangleCount; t++)
        {
            var (a, b, c) = mesh.Triangle(t);
            foreach (var (x, y) in new[] { (a, b), (b, c), (c, a) })
            {
                Vector3 p = mesh.Vertices[x], q = mesh.Vertices[y];
                var key = string.CompareOrdinal(p.ToString(), q.ToString()) < 0 ? (p, q) : (q, p);
                uses[key] = uses.GetValueOrDefault(key) + 1;
            }
        }

        return uses.Where(kv => kv.Value == 1).Select(kv => kv.Key).ToHashSet();
    }

    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
