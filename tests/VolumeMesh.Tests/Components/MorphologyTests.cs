using VolumeMesh.Geometry;
using VolumeMesh.Segmentation;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Components;

public sealed class MorphologyTests
{
    /// <summary>Oracle: scan the ball at every voxel. Dilation: outside is background; erosion: outside is foreground.</summary>
    private static byte[] BallScan(Mask mask, bool dilate, double r)
    {
        VolumeGeometry g = mask.Geometry;
        double sx = g.SpacingX, sy = g.SpacingY, sz = g.SliceSpacingMean;
        int rx = (int)(r / sx) + 1, ry = (int)(r / sy) + 1, rz = (int)(r / sz) + 1;
        var result = new byte[mask.Voxels.Length];
        for (int k = 0; k < g.SizeZ; k++)
        {
            for (int j = 0; j < g.SizeY; j++)
            {
                for (int i = 0; i < g.SizeX; i++)
                {
                    bool hit = false; // dilation: some inside voxel in the ball; erosion: some outside voxel in the ball
                    for (int dk = -rz; dk <= rz && !hit; dk++)
                    {
                        for (int dj = -ry; dj <= ry && !hit; dj++)
                        {
                            for (int di = -rx; di <= rx && !hit; di++)
                            {
                                double d2 = (di * sx * di * sx) + (dj * sy * dj * sy) + (dk * sz * dk * sz);
                                int a = i + di, b = j + dj, c = k + dk;
                                if (d2 > r * r || a < 0 || b < 0 || c < 0 || a >= g.SizeX || b >= g.SizeY || c >= g.SizeZ)
                                {
                                    continue;
                                }

                                hit = mask[a, b, c] == dilate;
                            }
                        }
                    }

                    result[mask.Volume.IndexOf(i, j, k)] = dilate ? (hit ? (byte)1 : (byte)0) : (!hit && mask[i, j, k] ? (byte)1 : (byte)0);
                }
            }
        }

        return result;
    }

    private static Mask Random(int nx, int ny, int nz, double density, int seed, double sx, double sy, double sz)
    {
        byte[] voxels = LabelingOracle.RandomMask(nx, ny, nz, density, seed);
        return new Mask(VolumeGeometry.AxisAligned(nx, ny, nz, sx, sy, sz), voxels);
    }

    [Theory]
    [InlineData(0.05, 0.45)]
    [InlineData(0.3, 1.05)]
    [InlineData(0.2, 2.13)]
    [InlineData(0.7, 1.61)]
    [InlineData(0.9, 2.9)]
    public void DilateAndErodeEqualBallScan(double density, double radiusMm)
    {
        Mask mask = Random(19, 15, 12, density, (int)(radiusMm * 100), 0.7, 0.9, 1.3);
        Assert.Equal(BallScan(mask, dilate: true, radiusMm), Morphology.Dilate(mask, radiusMm).Voxels);
        Assert.Equal(BallScan(mask, dilate: false, radiusMm), Morphology.Erode(mask, radiusMm).Voxels);
    }

    [Theory]
    [InlineData(0.7, 0.9, 1.3, 0.3, 0)]  // parabola envelope along y and z
    [InlineData(0.7, 0.9, 1.3, 0.3, 2)]  // min-plus along y (window 3 > 2: no), z (2: yes)
    [InlineData(0.7, 0.9, 0.4, 0.5, 3)]  // min-plus along y (window 3), envelope along z (window 7)
    [InlineData(0.3, 0.9, 1.3, 0.6, 24)] // min-plus along both
    public void EnvelopeAndMinPlusPathsEqualBallScan(double sx, double sy, double sz, double density, int maxMinPlusWindow)
    {
        const double r = 2.9;
        var options = new MorphologyOptions { MaxMinPlusWindow = maxMinPlusWindow };
        Mask mask = Random(13, 11, 9, density * 0.2, 5, sx, sy, sz);
        Assert.Equal(BallScan(mask, dilate: true, r), Morphology.Dilate(mask, r, options).Voxels);
        Mask dense = Random(13, 11, 9, 0.97, 6, sx, sy, sz);
        Assert.Equal(BallScan(dense, dilate: false, r), Morphology.Erode(dense, r, options).Voxels);
        Assert.Equal(Morphology.Close(mask, r).Voxels, Morphology.Close(mask, r, options).Voxels);
    }

    [Fact]
    public void CloseIsExtensiveAndOpenAntiExtensiveAndTheyMatchComposedScans()
    {
        Mask mask = Random(21, 14, 10, 0.55, 9, 0.6, 0.8, 1.1);
        const double r = 1.3;
        Mask closed = Morphology.Close(mask, r);
        Mask opened = Morphology.Open(mask, r);
        for (int n = 0; n < mask.Voxels.Length; n++)
        {
            Assert.True(mask.Voxels[n] == 0 || closed.Voxels[n] == 1, "closing removed a voxel");
            Assert.True(opened.Voxels[n] == 0 || mask.Voxels[n] != 0, "opening added a voxel");
        }

        var dilated = new Mask(mask.Geometry, BallScan(mask, true, r));
        Assert.Equal(BallScan(dilated, false, r), closed.Voxels);
        var eroded = new Mask(mask.Geometry, BallScan(mask, false, r));
        Assert.Equal(BallScan(eroded, true, r), opened.Voxels);
    }

    private static Mask Sphere(VolumeGeometry g, Vector3D centre, double radius)
    {
        var mask = new Mask(g);
        for (int k = 0; k < g.SizeZ; k++)
        {
            for (int j = 0; j < g.SizeY; j++)
            {
                for (int i = 0; i < g.SizeX; i++)
                {
                    mask.Volume[i, j, k] = (g.IndexToPatient(i, j, k) - centre).Length <= radius ? (byte)1 : (byte)0;
                }
            }
        }

        return mask;
    }

    /// <summary>Every voxel nearer than expected − tolerance is inside, every voxel farther than expected + tolerance is outside.</summary>
    private static void AssertSphere(Mask mask, Vector3D centre, double expectedRadius, double tolerance)
    {
        VolumeGeometry g = mask.Geometry;
        for (int k = 0; k < g.SizeZ; k++)
        {
            for (int j = 0; j < g.SizeY; j++)
            {
                for (int i = 0; i < g.SizeX; i++)
                {
                    double d = (g.IndexToPatient(i, j, k) - centre).Length;
                    if (d < expectedRadius - tolerance)
                    {
                        Assert.True(mask[i, j, k], $"({i}, {j}, {k}) at {d:F3} mm should be inside radius {expectedRadius}");
                    }
                    else if (d > expectedRadius + tolerance)
                    {
                        Assert.False(mask[i, j, k], $"({i}, {j}, {k}) at {d:F3} mm should be outside radius {expectedRadius}");
                    }
                }
            }
        }
    }

    private static readonly VolumeGeometry s_anisotropic = VolumeGeometry.AxisAligned(48, 44, 30, 0.5, 0.6, 0.9);
    private static readonly Vector3D s_centre = new(11.75, 12.9, 13.05);
    private static readonly double s_voxelDiagonal = Math.Sqrt((0.5 * 0.5) + (0.6 * 0.6) + (0.9 * 0.9));

    [Fact]
    public void DilatingASphereByRGrowsItsRadiusByR()
    {
        Mask sphere = Sphere(s_anisotropic, s_centre, 6.0);
        AssertSphere(Morphology.Dilate(sphere, 2.5), s_centre, 8.5, s_voxelDiagonal);
        AssertSphere(Morphology.Erode(sphere, 2.5), s_centre, 3.5, s_voxelDiagonal);
    }

    [Fact]
    public void ClosingFillsAThinGapBetweenTwoBlocks()
    {
        var mask = new Mask(s_anisotropic);
        ConnectedComponentsTests.FillBox(mask, 4, 4, 4, 22, 39, 25);
        ConnectedComponentsTests.FillBox(mask, 25, 4, 4, 43, 39, 25); // gap x = 23..24: 1.0 mm wide
        Mask closed = Morphology.Close(mask, 1.2);
        for (int k = 6; k <= 23; k++)
        {
            for (int j = 6; j <= 37; j++)
            {
                Assert.True(closed[23, j, k] && closed[24, j, k], $"gap not filled at ({23}, {j}, {k})");
            }
        }

        // Closing a union of boxes never grows beyond the boxes' common bounding box.
        Assert.False(closed[3, 10, 10]);
        Assert.False(closed[23, 3, 10]);
        Assert.False(closed[23, 10, 26]);
        Assert.Equal(mask.CountInside(), Morphology.Close(mask, 0.45).CountInside()); // a ball smaller than the gap does not bridge it
    }

    [Fact]
    public void OpeningRemovesAThinSpikeAndKeepsTheSphere()
    {
        Mask mask = Sphere(s_anisotropic, s_centre, 6.0);
        (double ci, double cj, double ck) = s_anisotropic.PatientToIndex(s_centre);
        int j = (int)Math.Round(cj), k = (int)Math.Round(ck);
        for (int i = (int)ci; i < 46; i++)
        {
            mask.Volume[i, j, k] = 1; // a one-voxel spike from the centre to near the border along +x
        }

        Mask opened = Morphology.Open(mask, 1.5);
        Assert.False(opened[40, j, k]);
        Assert.False(opened[45, j, k]);
        AssertSphere(opened, s_centre, 6.0, s_voxelDiagonal);
    }

    [Fact]
    public void ZeroRadiusIsIdentityAndBadRadiusThrows()
    {
        Mask mask = Random(9, 8, 7, 0.4, 3, 1, 1, 1);
        foreach (MorphologyOperation op in Enum.GetValues<MorphologyOperation>())
        {
            Assert.Equal(mask.Voxels.Select(v => v != 0 ? (byte)1 : (byte)0), Morphology.Apply(mask, op, 0).Voxels);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => Morphology.Dilate(mask, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Morphology.Dilate(mask, double.NaN));
        Assert.DoesNotContain(Morphology.Dilate(new Mask(mask.Geometry), 2).Voxels, v => v != 0);
    }

    [Fact]
    public void ResultDoesNotDependOnThreadsAndCancellationThrows()
    {
        Mask mask = Random(40, 30, 20, 0.3, 8, 0.8, 0.8, 1.5);
        foreach (MorphologyOperation op in Enum.GetValues<MorphologyOperation>())
        {
            byte[] one = Morphology.Apply(mask, op, 1.7, new MorphologyOptions { MaxDegreeOfParallelism = 1 }).Voxels;
            Assert.Equal(one, Morphology.Apply(mask, op, 1.7, new MorphologyOptions { MaxDegreeOfParallelism = 0 }).Voxels);
            Assert.Equal(one, Morphology.Apply(mask, op, 1.7).Voxels);
        }

        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Morphology.Close(mask, 1, cancellationToken: cts.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => HoleFilling.Fill(mask, cancellationToken: cts.Token));
    }

    [Fact]
    public void ErosionDoesNotEatFromTheVolumeBorder()
    {
        var mask = new Mask(VolumeGeometry.AxisAligned(12, 12, 12));
        Array.Fill(mask.Voxels, (byte)1);
        Assert.Equal(mask.Voxels, Morphology.Erode(mask, 3).Voxels);
        mask.Volume[6, 6, 6] = 0;
        Mask eroded = Morphology.Erode(mask, 2);
        Assert.False(eroded[6, 6, 8]);
        Assert.True(eroded[6, 6, 9]);
        Assert.True(eroded[0, 0, 0]);
    }
}
