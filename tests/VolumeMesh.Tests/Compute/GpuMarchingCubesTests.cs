using VolumeMesh.Compute;
using VolumeMesh.Geometry;
using VolumeMesh.Meshing;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Compute;

/// <summary>The ILGPU engine on ILGPU's CPU accelerator against the managed engine (the oracle), on small volumes.</summary>
public sealed class GpuMarchingCubesTests
{
    private static GpuMarchingCubes Engine(int? slabPlanes = null, long? budget = null) =>
        new(GpuTestSupport.IlgpuCpu, new GpuMarchingCubesOptions { SlabPlanes = slabPlanes, MemoryBudgetBytes = budget });

    [Fact]
    public void SphereEqualsTheManagedEngine()
    {
        Volume<float> sphere = SyntheticVolumes.Sphere(VolumeGeometry.AxisAligned(24, 24, 24, 0.8, 0.8, 1.25, new Vector3D(-10, 5, 30)), 8.5);
        Mesh expected = MarchingCubes.FromIso(sphere, 0);
        Mesh actual = Engine().FromIso(sphere, 0);
        Assert.True(expected.TriangleCount > 500);
        GpuTestSupport.AssertSameMesh(expected, actual, "sphere");
        MeshReport report = MeshReport.Compute(actual);
        Assert.Equal(0, report.BoundaryEdges);
        Assert.Equal(0, report.NonManifoldEdges);
    }

    [Theory]
    [InlineData(1, 16, 16, 16, 0.5)]
    [InlineData(2, 17, 19, 18, 0.3)]
    [InlineData(3, 20, 16, 17, 0.7)]
    [InlineData(4, 19, 20, 16, 0.5)]
    public void NoiseEqualsTheManagedEngine(int seed, int nx, int ny, int nz, double iso)
    {
        Volume<float> noise = SyntheticVolumes.Noise(nx, ny, nz, seed);
        GpuTestSupport.AssertSameMesh(MarchingCubes.FromIso(noise, iso), Engine().FromIso(noise, iso), $"noise seed {seed}");
    }

    [Fact]
    public void NoiseThroughSeveralSlabsEqualsOneSlab()
    {
        Volume<float> noise = SyntheticVolumes.Noise(18, 16, 17, 11);
        Mesh expected = MarchingCubes.FromIso(noise, 0.5);
        foreach (int planes in new[] { 1, 2, 3, 5, 17, 18 })
        {
            GpuTestSupport.AssertSameMesh(expected, Engine(slabPlanes: planes).FromIso(noise, 0.5), $"{planes} planes per slab");
        }
    }

    [Theory]
    [InlineData(300.0)]
    [InlineData(1200.0)]
    [InlineData(299.5)]
    [InlineData(-1000.0)]
    public void CtPhantomWithValuesExactlyAtIsoEqualsTheManagedEngine(double iso)
    {
        Volume<short> phantom = SyntheticVolumes.CtPhantom(40, 36, 30);
        if (iso == Math.Floor(iso))
        {
            Assert.Contains((short)iso, phantom.Voxels);
        }
        Mesh expected = MarchingCubes.FromIso(phantom, iso);
        Assert.True(expected.TriangleCount > 100);
        GpuTestSupport.AssertSameMesh(expected, Engine().FromIso(phantom, iso), $"phantom iso {iso}");
        GpuTestSupport.AssertSameMesh(expected, Engine(slabPlanes: 4).FromIso(phantom, iso), $"phantom iso {iso}, slabs of 4");
    }

    [Fact]
    public void CtPhantomRangeEqualsTheManagedEngine()
    {
        Volume<short> phantom = SyntheticVolumes.CtPhantom(40, 36, 30);
        GpuTestSupport.AssertSameMesh(MarchingCubes.FromRange(phantom, 250, 1300), Engine().FromRange(phantom, 250, 1300), "range 250..1300");
        GpuTestSupport.AssertSameMesh(MarchingCubes.FromRange(phantom, 300, 300), Engine(slabPlanes: 7).FromRange(phantom, 300, 300), "range 300..300");
        Assert.Same(Mesh.Empty, Engine().FromRange(phantom, 40000, 50000));
        Assert.Throws<ArgumentException>(() => Engine().FromRange(phantom, 10, 5));
    }

    [Fact]
    public void MaskEqualsTheManagedEngine()
    {
        Volume<short> phantom = SyntheticVolumes.CtPhantom(33, 29, 21);
        var mask = new Mask(phantom.Geometry);
        for (int n = 0; n < mask.Voxels.Length; n++)
        {
            mask.Voxels[n] = phantom.Voxels[n] >= 300 ? (byte)(1 + (n % 3)) : (byte)0;
        }

        Mesh expected = MarchingCubes.FromMask(mask);
        Assert.True(expected.TriangleCount > 100);
        GpuTestSupport.AssertSameMesh(expected, Engine().FromMask(mask), "mask");
        GpuTestSupport.AssertSameMesh(expected, Engine(slabPlanes: 2).FromMask(mask), "mask, slabs of 2");
    }

    [Fact]
    public void ATinyMemoryBudgetMeshesInManySlabsAndEqualsTheManagedEngine()
    {
        Volume<short> phantom = SyntheticVolumes.CtPhantom(40, 36, 30);
        GpuMarchingCubes engine = Engine(budget: 64 * 1024);
        int planes = engine.PlanSlabPlanes(phantom.Geometry, sizeof(short));
        Assert.InRange(planes, 1, 10); // the whole volume (31 cell planes) does not fit the budget
        GpuTestSupport.AssertSameMesh(MarchingCubes.FromIso(phantom, 300), engine.FromIso(phantom, 300), "64 KiB budget");
        engine.ReleaseBuffers();
        GpuTestSupport.AssertSameMesh(MarchingCubes.FromIso(phantom, 300), engine.FromIso(phantom, 300), "after releasing the buffers");
    }

    [Fact]
    public void ALargerPhantomInTwoPipelinedSlabsEqualsTheManagedEngine()
    {
        // 128×128×140: each slab stages more than one parallel copy chunk (2^20 voxels) through page-locked memory.
        Volume<short> phantom = Phantoms.CtPhantom(128, 140, 3);
        Mesh expected = MarchingCubes.FromRange(phantom, 226, 3071);
        Assert.True(expected.TriangleCount > 10_000);
        GpuTestSupport.AssertSameMesh(expected, Engine(slabPlanes: 71).FromRange(phantom, 226, 3071), "two pipelined slabs");
    }

    [Fact]
    public void TheDefaultBudgetMeshesASmallVolumeInOneSlab()
    {
        Volume<short> phantom = SyntheticVolumes.CtPhantom(40, 36, 30);
        Assert.Equal(31, Engine().PlanSlabPlanes(phantom.Geometry, sizeof(short)));
        Assert.Equal(5, Engine(slabPlanes: 5).PlanSlabPlanes(phantom.Geometry, sizeof(short)));
        Assert.Throws<ArgumentException>(() => Engine(slabPlanes: 0));
        Assert.Throws<ArgumentException>(() => Engine(budget: -1));
    }

    [Fact]
    public void LeftHandedTiltedAndNonUniformGeometryEqualsTheManagedEngine()
    {
        // Slices advance against the normal (left-handed), with uneven spacing and an in-plane shift (tilt).
        var positions = new List<Vector3D>();
        double z = 0;
        for (int k = 0; k < 14; k++)
        {
            positions.Add(new Vector3D(0.3 * k, 1 - (0.1 * k), -z));
            z += k % 3 == 0 ? 1.5 : 0.75;
        }

        var geometry = new VolumeGeometry(15, 13, 0.9, 1.1, new Vector3D(1, 0, 0), new Vector3D(0, 1, 0), positions);
        Assert.False(geometry.IsRightHanded);
        Volume<float> noise = SyntheticVolumes.Noise(15, 13, 14, 7, geometry);
        Mesh expected = MarchingCubes.FromIso(noise, 0.5);
        GpuTestSupport.AssertSameMesh(expected, Engine().FromIso(noise, 0.5), "left-handed tilted");
        GpuTestSupport.AssertSameMesh(expected, Engine(slabPlanes: 3).FromIso(noise, 0.5), "left-handed tilted, slabs of 3");
    }

    [Fact]
    public void SingleSliceAndThinVolumesEqualTheManagedEngine()
    {
        foreach ((int nx, int ny, int nz) in new[] { (9, 7, 1), (1, 1, 1), (33, 2, 3), (1, 12, 9) })
        {
            Volume<float> noise = SyntheticVolumes.Noise(nx, ny, nz, nx + ny + nz);
            GpuTestSupport.AssertSameMesh(MarchingCubes.FromIso(noise, 0.4), Engine().FromIso(noise, 0.4), $"{nx}×{ny}×{nz}");
        }
    }

    [Fact]
    public void OtherVoxelTypesEqualTheManagedEngine()
    {
        Volume<short> phantom = SyntheticVolumes.CtPhantom(21, 19, 17);
        var bytes = new Volume<byte>(phantom.Geometry);
        var ushorts = new Volume<ushort>(phantom.Geometry);
        var doubles = new Volume<double>(phantom.Geometry);
        var ints = new Volume<int>(phantom.Geometry);
        for (int n = 0; n < phantom.Voxels.Length; n++)
        {
            bytes.Voxels[n] = (byte)((phantom.Voxels[n] + 1000) / 12);
            ushorts.Voxels[n] = (ushort)(phantom.Voxels[n] + 1024);
            doubles.Voxels[n] = phantom.Voxels[n] * 0.37;
            ints.Voxels[n] = phantom.Voxels[n] * 1000;
        }

        GpuTestSupport.AssertSameMesh(MarchingCubes.FromIso(bytes, 110.5), Engine().FromIso(bytes, 110.5), "byte");
        GpuTestSupport.AssertSameMesh(MarchingCubes.FromIso(ushorts, 1324), Engine().FromIso(ushorts, 1324), "ushort");
        GpuTestSupport.AssertSameMesh(MarchingCubes.FromIso(doubles, 111), Engine().FromIso(doubles, 111), "double");
        GpuTestSupport.AssertSameMesh(MarchingCubes.FromIso(ints, 300000), Engine().FromIso(ints, 300000), "int");
        Assert.Throws<NotSupportedException>(() => Engine().FromIso(new Volume<long>(VolumeGeometry.AxisAligned(2, 2, 2)), 1));
    }

    [Fact]
    public void EmptyAndFullVolumesEqualTheManagedEngine()
    {
        var flat = new Volume<short>(VolumeGeometry.AxisAligned(6, 5, 4));
        Assert.Equal(0, Engine().FromIso(flat, 1).TriangleCount);
        GpuTestSupport.AssertSameMesh(MarchingCubes.FromIso(flat, 0), Engine(slabPlanes: 2).FromIso(flat, 0), "full box");
        Assert.Same(Mesh.Empty, Engine().FromIso(flat, 40000));
    }

    [Fact]
    public void ConcurrentCallsFromSeveralThreadsGiveTheSameMesh()
    {
        Volume<float> noise = SyntheticVolumes.Noise(16, 16, 16, 21);
        Mesh expected = MarchingCubes.FromIso(noise, 0.5);
        GpuMarchingCubes engine = Engine();
        var meshes = new Mesh[6];
        Parallel.For(0, meshes.Length, new ParallelOptions { MaxDegreeOfParallelism = 3 }, i =>
            meshes[i] = (i % 2 == 0 ? engine : Engine(slabPlanes: 3)).FromIso(noise, 0.5));
        foreach (Mesh mesh in meshes)
        {
            GpuTestSupport.AssertSameMesh(expected, mesh, "concurrent");
        }
    }

    [Fact]
    public void ReportsProgressAndHonoursCancellation()
    {
        Volume<float> noise = SyntheticVolumes.Noise(12, 12, 12, 3);
        var reports = new List<double>();
        var progress = new SynchronousProgress(reports.Add);
        Engine(slabPlanes: 4).FromIso(noise, 0.5, new MarchingCubesOptions { Progress = progress });
        Assert.Equal(4, reports.Count);
        Assert.Equal(1.0, reports[^1]);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Engine().FromIso(noise, 0.5, null, cancelled.Token));

        // Cancelled after the first of several pipelined slabs; the next run is unaffected.
        using var midway = new CancellationTokenSource();
        var cancelAfterFirst = new SynchronousProgress(_ => midway.Cancel());
        Assert.ThrowsAny<OperationCanceledException>(() => Engine(slabPlanes: 3).FromIso(noise, 0.5, new MarchingCubesOptions { Progress = cancelAfterFirst }, midway.Token));
        GpuTestSupport.AssertSameMesh(MarchingCubes.FromIso(noise, 0.5), Engine(slabPlanes: 3).FromIso(noise, 0.5), "after a cancelled run");
    }

    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
