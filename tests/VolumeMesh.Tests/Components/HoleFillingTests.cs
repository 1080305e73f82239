using VolumeMesh.Components;
using VolumeMesh.Geometry;
using VolumeMesh.Segmentation;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Components;

public sealed class HoleFillingTests
{
    /// <summary>Oracle: flood the background from every border voxel with the given connectivity; whatever is not reached is filled.</summary>
    private static byte[] FillByFlood(byte[] voxels, int nx, int ny, int nz, int backgroundConnectivity)
    {
        var background = new byte[voxels.Length];
        for (int n = 0; n < voxels.Length; n++)
        {
            background[n] = voxels[n] == 0 ? (byte)1 : (byte)0;
        }

        (int[] labels, _) = LabelingOracle.Label(background, nx, ny, nz, backgroundConnectivity);
        var outside = new HashSet<int>();
        for (int z = 0; z < nz; z++)
        {
            for (int y = 0; y < ny; y++)
            {
                for (int x = 0; x < nx; x++)
                {
                    if (x == 0 || y == 0 || z == 0 || x == nx - 1 || y == ny - 1 || z == nz - 1)
                    {
                        outside.Add(labels[x + (nx * (y + (ny * z)))]);
                    }
                }
            }
        }

        var result = new byte[voxels.Length];
        for (int n = 0; n < voxels.Length; n++)
        {
            result[n] = voxels[n] != 0 || !outside.Contains(labels[n]) ? (byte)1 : (byte)0;
        }

        return result;
    }

    [Theory]
    [InlineData(Connectivity.Six, 0.85)]
    [InlineData(Connectivity.Eighteen, 0.6)]
    [InlineData(Connectivity.TwentySix, 0.65)]
    [InlineData(Connectivity.TwentySix, 0.75)]
    public void EqualsBorderFloodOracleOnRandomMasks(Connectivity connectivity, double density)
    {
        const int nx = 23, ny = 18, nz = 15;
        byte[] voxels = LabelingOracle.RandomMask(nx, ny, nz, density, 11);
        for (int n = 0; n < voxels.Length; n++)
        {
            voxels[n] = voxels[n] != 0 ? (byte)1 : (byte)0;
        }

        byte[] expected = FillByFlood(voxels, nx, ny, nz, (int)connectivity.Complement());
        Mask filled = HoleFilling.Fill(new Mask(VolumeGeometry.AxisAligned(nx, ny, nz), voxels), new HoleFillingOptions { Connectivity = connectivity });
        Assert.Equal(expected, filled.Voxels);
        Assert.True(filled.CountInside() > voxels.Count(v => v != 0), "the random mask should contain cavities");
    }

    [Fact]
    public void SphericalShellBecomesSolidBall()
    {
        const int n = 31;
        var shell = new Mask(VolumeGeometry.AxisAligned(n, n, n, 0.5, 0.5, 0.5));
        var ball = new Mask(shell.Geometry);
        for (int k = 0; k < n; k++)
        {
            for (int j = 0; j < n; j++)
            {
                for (int i = 0; i < n; i++)
                {
                    double r = Math.Sqrt(((i - 15) * (i - 15)) + ((j - 15) * (j - 15)) + ((k - 15) * (k - 15)));
                    shell.Volume[i, j, k] = r <= 12 && r >= 9 ? (byte)1 : (byte)0;
                    ball.Volume[i, j, k] = r <= 12 ? (byte)1 : (byte)0;
                }
            }
        }

        Mask filled = HoleFilling.Fill(shell);
        Assert.Equal(ball.Voxels, filled.Voxels);
        Assert.Equal(0, shell.Volume[15, 15, 15]); // the input is untouched
        Assert.Equal(1, ConnectedComponents.Label(filled).ComponentCount);
    }

    [Fact]
    public void CavityOpenThroughAFaceIsNotFilled()
    {
        var mask = CubeShell();
        mask.Volume[8, 5, 5] = 0; // a hole through the +x face
        Mask filled = HoleFilling.Fill(mask);
        Assert.Equal(mask.Voxels, filled.Voxels);
    }

    [Theory]
    [InlineData(Connectivity.TwentySix, true)] // background 6-connected: a corner gap does not leak
    [InlineData(Connectivity.Six, false)]      // background 26-connected: the cavity leaks through the corner
    public void CornerGapLeaksOnlyForSixConnectedForeground(Connectivity connectivity, bool filledExpected)
    {
        Mask mask = CubeShell();
        // Remove the shell's corner voxel: (8,8,8) joins the outside through its faces and touches the cavity
        // (7,7,7) only through a shared corner.
        mask.Volume[8, 8, 8] = 0;
        Mask filled = HoleFilling.Fill(mask, new HoleFillingOptions { Connectivity = connectivity });
        Assert.Equal(filledExpected, filled[5, 5, 5]);
        Assert.Equal(filledExpected ? 125 : 0, filled.CountInside() - mask.CountInside());
    }

    [Fact]
    public void MaximumHoleVolumeFillsOnlySmallCavities()
    {
        var mask = new Mask(VolumeGeometry.AxisAligned(30, 12, 12, 2, 1, 1));
        ConnectedComponentsTests.FillBox(mask, 1, 1, 1, 10, 10, 10);
        ConnectedComponentsTests.FillBox(mask, 15, 1, 1, 28, 10, 10);
        Carve(mask, 4, 4, 4, 5, 5, 5);     // 8 voxels = 16 mm³
        Carve(mask, 18, 3, 3, 25, 8, 8);   // 288 voxels = 576 mm³
        Mask small = HoleFilling.Fill(mask, new HoleFillingOptions { MaximumHoleVolumeMm3 = 100 });
        Assert.True(small[4, 4, 4]);
        Assert.False(small[20, 5, 5]);
        Mask all = HoleFilling.Fill(mask);
        Assert.True(all[20, 5, 5]);
        Assert.Equal(mask.CountInside() + 8 + 288, all.CountInside());
    }

    private static void Carve(Mask mask, int i0, int j0, int k0, int i1, int j1, int k1)
    {
        for (int k = k0; k <= k1; k++)
        {
            for (int j = j0; j <= j1; j++)
            {
                for (int i = i0; i <= i1; i++)
                {
                    mask.Volume[i, j, k] = 0;
                }
            }
        }
    }

    /// <summary>A one-voxel-thick cube shell over [2, 8]³ in an 11³ volume: cavity [3, 7]³ (125 voxels).</summary>
    private static Mask CubeShell()
    {
        var mask = new Mask(VolumeGeometry.AxisAligned(11, 11, 11));
        ConnectedComponentsTests.FillBox(mask, 2, 2, 2, 8, 8, 8);
        Carve(mask, 3, 3, 3, 7, 7, 7);
        return mask;
    }
}
