using VolumeMesh.Geometry;
using VolumeMesh.Meshing;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Geometry;

public sealed class VolumeGeometryTests
{
    private static readonly Vector3D Row = new(1, 0, 0);
    private static readonly Vector3D Column = new Vector3D(0, 0.948, -0.317).Normalized();

    [Fact]
    public void KeepsEverySlicePositionOfATiltedUnevenStack()
    {
        // A gantry-tilted stack (as the GE head CT in the shared data): slices advance along z, not along the normal,
        // with uneven steps.
        double[] z = [0, 4.22, 5.36, 12.74, 16.96];
        var positions = z.Select(v => new Vector3D(-120, -100, v)).ToArray();
        var geometry = new VolumeGeometry(512, 512, 0.488, 0.488, Row, Column, positions);

        Assert.Equal(5, geometry.SizeZ);
        Assert.False(geometry.HasUniformSliceSpacing);
        for (int k = 0; k < positions.Length; k++)
        {
            Assert.Equal(positions[k], geometry.IndexToPatient(0, 0, k));
        }

        Assert.Equal(18.48, geometry.TiltDegrees, 1);

        // Fractional slice indices interpolate between the two neighbouring slices.
        Vector3D mid = geometry.IndexToPatient(10, 20, 2.5);
        Vector3D expected = ((positions[2] + positions[3]) * 0.5) + (Row * (10 * 0.488)) + (Column * (20 * 0.488));
        Assert.True((mid - expected).Length < 1e-9);
    }

    [Theory]
    [InlineData(3.0, 4.0, 1.0)]
    [InlineData(100.25, 7.5, 3.75)]
    [InlineData(-0.5, 511.5, -0.25)]
    public void PatientToIndexInvertsIndexToPatient(double i, double j, double k)
    {
        double[] z = [0, 2.5, 5, 9, 10];
        var positions = z.Select(v => new Vector3D(5, 3 + (0.2 * v), v)).ToArray();
        var geometry = new VolumeGeometry(512, 512, 0.7, 0.6, Row, Column, positions);
        var (ri, rj, rk) = geometry.PatientToIndex(geometry.IndexToPatient(i, j, k));
        Assert.Equal(i, ri, 9);
        Assert.Equal(j, rj, 9);
        Assert.Equal(k, rk, 9);
    }

    [Fact]
    public void HandednessFollowsTheDirectionsAndTheSliceOrder()
    {
        VolumeGeometry right = VolumeGeometry.AxisAligned(4, 4, 4);
        Assert.True(right.IsRightHanded);
        Assert.False(right.WithReversedSlices().IsRightHanded);
        VolumeGeometry mirrored = VolumeGeometry.FromAffine(4, 4, 4, default, new(-1, 0, 0), new(0, 1, 0), new(0, 0, 1));
        Assert.False(mirrored.IsRightHanded);

        // A single slice keeps the handedness of its k direction.
        Assert.False(VolumeGeometry.FromAffine(4, 4, 1, default, new(1, 0, 0), new(0, 1, 0), new(0, 0, -2)).IsRightHanded);
    }

    [Fact]
    public void ReversedSlicesDescribeTheSamePatientPositions()
    {
        VolumeGeometry geometry = VolumeGeometry.AxisAligned(3, 3, 5, 1, 1, 2, new Vector3D(1, 2, 3));
        VolumeGeometry reversed = geometry.WithReversedSlices();
        for (int k = 0; k < 5; k++)
        {
            Assert.Equal(geometry.IndexToPatient(1, 2, k), reversed.IndexToPatient(1, 2, 4 - k));
        }
    }

    [Fact]
    public void RejectsInvalidArgumentsNamingThem()
    {
        Vector3D[] one = [default];
        Assert.Equal("spacingX", Assert.Throws<ArgumentException>(() => new VolumeGeometry(2, 2, 0, 1, Row, Column, one)).ParamName);
        Assert.Equal("spacingY", Assert.Throws<ArgumentException>(() => new VolumeGeometry(2, 2, 1, double.NaN, Row, Column, one)).ParamName);
        Assert.Equal("rowDirection", Assert.Throws<ArgumentException>(() => new VolumeGeometry(2, 2, 1, 1, new(2, 0, 0), Column, one)).ParamName);
        Assert.Equal("columnDirection", Assert.Throws<ArgumentException>(() => new VolumeGeometry(2, 2, 1, 1, Row, Row, one)).ParamName);
        Assert.Equal("slicePositions", Assert.Throws<ArgumentException>(() => new VolumeGeometry(2, 2, 1, 1, Row, Column, [])).ParamName);
        Assert.Equal("slicePositions", Assert.Throws<ArgumentException>(
            () => new VolumeGeometry(2, 2, 1, 1, Row, new(0, 1, 0), [new(0, 0, 0), new(0, 0, 1), new(0, 0, 1)])).ParamName);
        Assert.Equal("slicePositions", Assert.Throws<ArgumentException>(
            () => new VolumeGeometry(2, 2, 1, 1, Row, new(0, 1, 0), [new(0, 0, 0), new(0, 0, 2), new(0, 0, 1)])).ParamName);
        Assert.Throws<ArgumentException>(() => new Volume<short>(VolumeGeometry.AxisAligned(2, 2, 2), new short[7]));
    }

    [Fact]
    public void MeshReportCountsDefectsOfABrokenMesh()
    {
        // A tetrahedron with one face removed, one face duplicated and one zero-area triangle added.
        System.Numerics.Vector3[] v = [new(0, 0, 0), new(1, 0, 0), new(0, 1, 0), new(0, 0, 1), new(2, 0, 0)];
        int[] closed = [0, 2, 1, 0, 1, 3, 0, 3, 2, 1, 2, 3];
        MeshReport ok = MeshReport.Compute(new Mesh(v, closed));
        Assert.True(ok.IsWatertight, ok.ToString());
        Assert.Equal(1.0 / 6, ok.VolumeMm3, 9);
        Assert.Equal(2, ok.ShellEulerCharacteristics[0]);
        Assert.Equal(1, ok.UnreferencedVertices);

        MeshReport open = MeshReport.Compute(new Mesh(v, closed[..9]));
        Assert.Equal(3, open.BoundaryEdges);
        Assert.False(open.IsClosed);

        MeshReport duplicated = MeshReport.Compute(new Mesh(v, [.. closed, 1, 2, 3]));
        Assert.Equal(1, duplicated.DuplicateTriangles);
        Assert.Equal(3, duplicated.NonManifoldEdges);

        MeshReport flipped = MeshReport.Compute(new Mesh(v, [0, 1, 2, 0, 1, 3, 0, 3, 2, 1, 2, 3]));
        Assert.Equal(3, flipped.InconsistentlyOrientedEdges);

        MeshReport degenerate = MeshReport.Compute(new Mesh(v, [.. closed, 0, 1, 4]));
        Assert.Equal(1, degenerate.DegenerateTriangles);
    }
}
