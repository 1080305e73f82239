using System.Numerics;
using VolumeMesh.Geometry;
using VolumeMesh.Meshing;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Meshing;

public sealed class MarchingCubesTests
{
    [Fact]
    public void TableHasAConsistentTriangulationForEveryCase()
    {
        Assert.Equal(257, MarchingCubesTables.CaseOffsets.Length);
        Assert.Equal(0, MarchingCubesTables.TriangleCounts[0]);
        Assert.Equal(0, MarchingCubesTables.TriangleCounts[255]);
        for (int cube = 1; cube < 255; cube++)
        {
            Assert.True(MarchingCubesTables.TriangleCounts[cube] > 0, $"case {cube} has no triangles");

            // Every triangle edge of a case is crossed: its end points differ.
            for (int e = MarchingCubesTables.CaseOffsets[cube]; e < MarchingCubesTables.CaseOffsets[cube + 1]; e++)
            {
                int edge = MarchingCubesTables.TriangleEdges[e];
                bool a = ((cube >> MarchingCubesTables.EdgeStartCorner[edge]) & 1) != 0;
                bool b = ((cube >> MarchingCubesTables.EdgeEndCorner[edge]) & 1) != 0;
                Assert.NotEqual(a, b);
            }
        }
    }

    [Fact]
    public void EverySingleCubeCaseGivesAClosedConsistentSurface()
    {
        // A 2×2×2 volume holds one interior cell; with the border capped each of the 256 cases is a closed mesh.
        for (int cube = 1; cube < 256; cube++)
        {
            var volume = new Volume<float>(VolumeGeometry.AxisAligned(2, 2, 2));
            for (int c = 0; c < 8; c++)
            {
                volume[c & 1, (c >> 1) & 1, c >> 2] = ((cube >> c) & 1) != 0 ? 1f : 0f;
            }

            MeshReport report = MeshReport.Compute(MarchingCubes.FromIso(volume, 0.5));
            Assert.True(report.IsWatertight, $"case {cube}: {report}");
        }
    }

    [Fact]
    public void SphereLiesOnTheAnalyticSurfaceThroughALeftHandedAnisotropicGeometry()
    {
        const double radius = 20;
        VolumeGeometry geometry = TestVolumes.RotatedLeftHanded(64);
        Assert.False(geometry.IsRightHanded);
        Volume<float> volume = TestVolumes.Sphere(geometry, radius, out var centre);

        Mesh mesh = MarchingCubes.FromIso(volume, 0.0);
        MeshReport report = MeshReport.Compute(mesh);
        Assert.True(report.IsWatertight, report.ToString());
        Assert.Equal(1, report.Shells);
        Assert.Equal(2, report.ShellEulerCharacteristics[0]);

        // Every vertex within 0.05 voxel of the sphere, measured in index space (each axis in its own spacing).
        var indexSpace = new Vector3D[mesh.VertexCount];
        double worst = 0;
        for (int v = 0; v < mesh.VertexCount; v++)
        {
            Vector3 p = mesh.Vertices[v];
            var (i, j, k) = geometry.PatientToIndex(new Vector3D(p.X, p.Y, p.Z));
            indexSpace[v] = new Vector3D(i, j, k);
            double distance = (indexSpace[v] - new Vector3D(centre.X, centre.Y, centre.Z)).Length;
            worst = Math.Max(worst, Math.Abs(distance - radius));
        }

        Assert.True(worst < 0.05, $"worst vertex is {worst:F4} voxel off the sphere");

        // Area (in voxel units) within 1% of 4πr²; volume (in mm³) within 1% of the ellipsoid's 4/3·π·r³·|det|.
        double area = 0;
        for (int t = 0; t < mesh.TriangleCount; t++)
        {
            var (a, b, c) = mesh.Triangle(t);
            area += Vector3D.Cross(indexSpace[b] - indexSpace[a], indexSpace[c] - indexSpace[a]).Length / 2;
        }

        double expectedArea = 4 * Math.PI * radius * radius;
        double expectedVolume = 4.0 / 3.0 * Math.PI * radius * radius * radius * 0.7 * 0.7 * 1.25;
        Assert.InRange(area / expectedArea, 0.99, 1.01);
        Assert.InRange(report.VolumeMm3 / expectedVolume, 0.99, 1.01);
    }

    [Theory]
    [InlineData(1, 0.5f)]
    [InlineData(2, 0.3f)]
    [InlineData(3, 0.7f)]
    [InlineData(4, 0.5f)]
    [InlineData(5, 0.1f)]
    [InlineData(6, 0.9f)]
    public void NoiseGivesAClosedManifoldConsistentlyOrientedMesh(int seed, float iso)
    {
        Volume<float> volume = TestVolumes.Noise(48, 48, 48, seed);
        MeshReport report = MeshReport.Compute(MarchingCubes.FromIso(volume, iso));
        Assert.True(report.Triangles > 10000);
        Assert.Equal(0, report.BoundaryEdges);
        Assert.Equal(0, report.NonManifoldEdges);
        Assert.Equal(0, report.InconsistentlyOrientedEdges);
        Assert.Equal(0, report.DegenerateTriangles);
        Assert.Equal(0, report.DuplicateTriangles);
        Assert.Equal(0, report.UnreferencedVertices);
        Assert.True(report.VolumeMm3 > 0);
    }

    [Fact]
    public void NoiseThroughALeftHandedTiltedGeometryStaysPositive()
    {
        var positions = new List<Vector3D>();
        double z = 0;
        for (int k = 0; k < 20; k++)
        {
            positions.Add(new Vector3D(0, 0.3 * k, -z));
            z += k % 3 == 0 ? 1.0 : 2.5;
        }

        var geometry = new VolumeGeometry(20, 20, 0.5, 0.6, new Vector3D(1, 0, 0), new Vector3D(0, 1, 0), positions);
        Assert.False(geometry.IsRightHanded);
        Volume<float> volume = TestVolumes.Noise(20, 20, 20, 11, geometry);
        MeshReport report = MeshReport.Compute(MarchingCubes.FromIso(volume, 0.5));
        Assert.True(report.IsWatertight, report.ToString());
    }

    [Fact]
    public void IntegerVolumeWithValuesExactlyAtIsoStaysClosedWithoutDegenerateTriangles()
    {
        // A CT-like phantom: air, soft tissue, and bone whose voxels are exactly the iso value 300 in places.
        var random = new Random(7);
        var volume = new Volume<short>(VolumeGeometry.AxisAligned(40, 36, 30, 0.5, 0.5, 1.0));
        short[] levels = [-1000, 40, 300, 300, 300, 1200];
        for (int k = 0; k < 30; k++)
        {
            for (int j = 0; j < 36; j++)
            {
                for (int i = 0; i < 40; i++)
                {
                    bool inBone = i > 8 && i < 30 && j > 6 && j < 28;
                    volume[i, j, k] = inBone ? levels[2 + random.Next(4)] : levels[random.Next(3)];
                }
            }
        }

        Mesh mesh = MarchingCubes.FromIso(volume, 300);
        MeshReport report = MeshReport.Compute(mesh);
        Assert.True(report.Triangles > 1000);
        Assert.True(report.IsWatertight, report.ToString());

        // The same through the range path with low = 300.
        MeshReport range = MeshReport.Compute(MarchingCubes.FromRange(volume, 300, 3071));
        Assert.True(range.IsWatertight, range.ToString());
        Assert.Equal(report.Triangles, range.Triangles);
    }

    [Theory]
    [InlineData(9, 7, 5, 1)]
    [InlineData(12, 10, 8, 2)]
    [InlineData(70, 9, 6, 3)]
    [InlineData(16, 16, 16, 4)]
    public void MatchesTheSimplePerCubeReference(int nx, int ny, int nz, int seed)
    {
        Volume<float> volume = TestVolumes.Noise(nx, ny, nz, seed, VolumeGeometry.FromAffine(
            nx, ny, nz, new Vector3D(1, 2, 3), new Vector3D(0.5, 0, 0.1), new Vector3D(0, -0.7, 0), new Vector3D(0.05, 0, 1.3)));
        Mesh mesh = MarchingCubes.FromIso(volume, 0.55);
        var (refVertices, refIndices) = ReferenceMarchingCubes.FromIso(volume, 0.55);

        Assert.Equal(refVertices.Length, mesh.VertexCount);
        Assert.Equal(refIndices.Length, mesh.Indices.Length);
        var expected = ReferenceMarchingCubes.CanonicalTriangles(refVertices, refIndices);
        var actual = ReferenceMarchingCubes.CanonicalTriangles(mesh.Vertices, mesh.Indices);
        Assert.Equal(expected, actual);

        // One vertex per crossed edge: no two vertices share a position.
        var sorted = (Vector3[])mesh.Vertices.Clone();
        Array.Sort(sorted, ReferenceMarchingCubes.Compare);
        for (int v = 1; v < sorted.Length; v++)
        {
            Assert.NotEqual(sorted[v - 1], sorted[v]);
        }
    }

    [Fact]
    public void OutputIsIdenticalForAnyThreadCount()
    {
        Volume<float> volume = TestVolumes.Noise(40, 33, 37, 21);
        Mesh one = MarchingCubes.FromIso(volume, 0.5, new MarchingCubesOptions { MaxDegreeOfParallelism = 1 });
        foreach (int threads in new[] { 2, 8 })
        {
            Mesh many = MarchingCubes.FromIso(volume, 0.5, new MarchingCubesOptions { MaxDegreeOfParallelism = threads });
            Assert.Equal(one.Vertices, many.Vertices);
            Assert.Equal(one.Indices, many.Indices);
        }
    }

    [Fact]
    public void LShapedBlockLandsAtItsPatientCoordinatesThroughReversedSlicesAndAFlippedAxis()
    {
        // Patient frame: an L made of the box [0,10]×[0,4]×[0,4] mm plus [0,4]×[0,4]×[4,12] mm, on a 1 mm lattice.
        static bool InL(double x, double y, double z) =>
            (x >= 0 && x <= 10 && y >= 0 && y <= 4 && z >= 0 && z <= 4) || (x >= 0 && x <= 4 && y >= 0 && y <= 4 && z > 4 && z <= 12);

        // Voxel (i, j, k) sits at x = 14 − i (flipped row direction), y = j − 2, and slices stored head first (z = 14 − k).
        const int n = 17;
        var positions = new List<Vector3D>();
        for (int k = 0; k < n; k++)
        {
            positions.Add(new Vector3D(14, -2, 14 - k));
        }

        var geometry = new VolumeGeometry(n, n, 1, 1, new Vector3D(-1, 0, 0), new Vector3D(0, 1, 0), positions);
        var volume = new Volume<short>(geometry);
        for (int k = 0; k < n; k++)
        {
            for (int j = 0; j < n; j++)
            {
                for (int i = 0; i < n; i++)
                {
                    Vector3D p = geometry.IndexToPatient(i, j, k);
                    volume[i, j, k] = InL(p.X, p.Y, p.Z) ? (short)1000 : (short)-1000;
                }
            }
        }

        Mesh mesh = MarchingCubes.FromIso(volume, 0);
        MeshReport report = MeshReport.Compute(mesh);
        Assert.True(report.IsWatertight, report.ToString());

        // The iso surface lies midway between inside and outside voxel centres: 0.5 mm outside the L's lattice box.
        Assert.Equal(-0.5, report.BoundsMin.X, 4);
        Assert.Equal(10.5, report.BoundsMax.X, 4);
        Assert.Equal(-0.5, report.BoundsMin.Y, 4);
        Assert.Equal(4.5, report.BoundsMax.Y, 4);
        Assert.Equal(-0.5, report.BoundsMin.Z, 4);
        Assert.Equal(12.5, report.BoundsMax.Z, 4);

        // The foot of the L (x > 5) lies at the bottom (z < 5), as in the patient: not mirrored.
        int footVertices = 0;
        foreach (Vector3 v in mesh.Vertices)
        {
            if (v.X > 5)
            {
                Assert.True(v.Z < 5, $"vertex {v} of the foot is not at the bottom");
                footVertices++;
            }
        }

        Assert.True(footVertices > 0);

        // Volume of the marching-cubes L: the lattice box grown by half a voxel minus chamfered edges; between the
        // lattice volume and the grown volume.
        double lattice = (10 * 4 * 4) + (4 * 4 * 8);
        double grown = (11 * 5 * 5) + (5 * 5 * 8);
        Assert.InRange(report.VolumeMm3, lattice, grown);
    }

    [Fact]
    public void RegionTouchingTheBorderIsCapped()
    {
        var volume = new Volume<byte>(VolumeGeometry.AxisAligned(6, 5, 4));
        Array.Fill(volume.Voxels, (byte)1);
        Mesh mesh = MarchingCubes.FromMask(new Mask(volume.Geometry, volume.Voxels));
        MeshReport report = MeshReport.Compute(mesh);
        Assert.True(report.IsWatertight, report.ToString());
        Assert.Equal(1, report.Shells);

        // The cap lies 1/256 voxel beyond the border voxels' centres.
        const double eps = 1.0 / 256;
        Assert.Equal(-eps, report.BoundsMin.X, 5);
        Assert.Equal(5 + eps, report.BoundsMax.X, 5);
        Assert.Equal(3 + eps, report.BoundsMax.Z, 5);
    }

    [Fact]
    public void CancellationStopsTheRun()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Volume<float> volume = TestVolumes.Noise(16, 16, 16, 1);
        Assert.ThrowsAny<OperationCanceledException>(() => MarchingCubes.FromIso(volume, 0.5, null, cts.Token));
    }

    [Fact]
    public void EmptyAndFullRangesGiveEmptyMeshes()
    {
        var volume = new Volume<short>(VolumeGeometry.AxisAligned(4, 4, 4));
        Assert.Equal(0, MarchingCubes.FromIso(volume, 40000).TriangleCount);
        Assert.Equal(0, MarchingCubes.FromRange(volume, 10, 20).TriangleCount);
        Assert.Throws<ArgumentException>(() => MarchingCubes.FromRange(volume, 20, 10));
    }
}

public sealed class MaskedRangeTests
{
    [Fact]
    public void WithTheThresholdMaskItEqualsTheRangeMesh()
    {
        var random = new Random(5);
        var volume = new Volume<short>(VolumeGeometry.AxisAligned(30, 26, 20, 0.6, 0.6, 1.5));
        for (int i = 0; i < volume.Voxels.Length; i++)
        {
            volume.Voxels[i] = (short)random.Next(-200, 900);
        }

        var mask = new Mask(volume.Geometry);
        for (int i = 0; i < mask.Voxels.Length; i++)
        {
            mask.Voxels[i] = volume.Voxels[i] is >= 226 and <= 700 ? (byte)1 : (byte)0;
        }

        Mesh range = MarchingCubes.FromRange(volume, 226, 700);
        Mesh masked = MarchingCubes.FromMaskedRange(volume, mask, 226, 700);
        Assert.Equal(range.Vertices, masked.Vertices);
        Assert.Equal(range.Indices, masked.Indices);
    }

    [Fact]
    public void DroppedComponentsLeaveAClosedMeshOfTheKeptOne()
    {
        // Two bright blocks; the mask keeps only the first: one closed shell, its far faces interpolated on the field.
        var volume = new Volume<short>(VolumeGeometry.AxisAligned(20, 10, 10));
        var mask = new Mask(volume.Geometry);
        for (int k = 0; k < 10; k++)
        {
            for (int j = 0; j < 10; j++)
            {
                for (int i = 0; i < 20; i++)
                {
                    bool first = i is >= 2 and <= 7 && j is >= 2 and <= 7 && k is >= 2 and <= 7;
                    bool second = i is >= 8 and <= 15 && j is >= 2 and <= 7 && k is >= 2 and <= 7;
                    volume[i, j, k] = first || second ? (short)1000 : (short)0;
                    mask.Voxels[volume.IndexOf(i, j, k)] = first ? (byte)1 : (byte)0;
                }
            }
        }

        MeshReport report = MeshReport.Compute(MarchingCubes.FromMaskedRange(volume, mask, 500, 3071));
        Assert.True(report.IsWatertight, report.ToString());
        Assert.Equal(1, report.Shells);

        // Faces toward air sit at level 500 (half way between 1000 and 0); the face toward the dropped block sits mid-edge:
        // both half a voxel out, so the box spans 1.5 .. 7.5 in x.
        Assert.Equal(1.5, report.BoundsMin.X, 5);
        Assert.Equal(7.5, report.BoundsMax.X, 5);
        Assert.Throws<ArgumentException>(() => MarchingCubes.FromMaskedRange(volume, new Mask(VolumeGeometry.AxisAligned(4, 4, 4)), 0, 1));
    }
}

public sealed class MarchingCubesOptionsTests
{
    [Fact]
    public void ZeroMeansEveryCoreAndANegativeCountIsRejected()
    {
        Volume<float> volume = TestVolumes.Noise(8, 8, 8, 3);
        Mesh all = MarchingCubes.FromIso(volume, 0.5, new MarchingCubesOptions { MaxDegreeOfParallelism = 0 });
        Assert.Equal(MarchingCubes.FromIso(volume, 0.5).Indices, all.Indices);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => MarchingCubes.FromIso(volume, 0.5, new MarchingCubesOptions { MaxDegreeOfParallelism = -3 }));
        Assert.Equal("options", e.ParamName);
    }
}
