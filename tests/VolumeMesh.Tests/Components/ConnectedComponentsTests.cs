using VolumeMesh.Components;
using VolumeMesh.Geometry;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Components;

public sealed class ConnectedComponentsTests
{
    public static TheoryData<int, int, int, double, int> RandomCases()
    {
        var data = new TheoryData<int, int, int, double, int>();
        foreach (int connectivity in new[] { 6, 18, 26 })
        {
            foreach (double density in new[] { 0.1, 0.3, 0.5, 0.7 })
            {
                data.Add(24, 20, 16, density, connectivity);
            }

            // Odd sizes: rows shorter and longer than one 32-byte vector, with a tail; a single slice; a single row.
            data.Add(37, 5, 9, 0.45, connectivity);
            data.Add(65, 3, 40, 0.3, connectivity);
            data.Add(1, 17, 13, 0.5, connectivity);
            data.Add(70, 9, 1, 0.6, connectivity);
            data.Add(129, 1, 1, 0.5, connectivity);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RandomCases))]
    public void LabelsEqualBreadthFirstOracle(int nx, int ny, int nz, double density, int connectivity)
    {
        byte[] voxels = LabelingOracle.RandomMask(nx, ny, nz, density, seed: (nx * 31) + (int)(density * 100) + connectivity);
        (int[] expected, int expectedCount) = LabelingOracle.Label(voxels, nx, ny, nz, connectivity);
        var mask = new Mask(VolumeGeometry.AxisAligned(nx, ny, nz), voxels);

        foreach (int threads in new[] { 1, 2, 3 })
        {
            var options = new ConnectedComponentsOptions { Connectivity = (Connectivity)connectivity, MaxDegreeOfParallelism = threads };
            LabelVolume labels = ConnectedComponents.Label(mask, options);
            Assert.Equal(expectedCount, labels.ComponentCount);
            Assert.Equal(expected, labels.Labels);
        }
    }

    [Fact]
    public void DenseCubeSplitIntoManySlabsIsOneComponent()
    {
        var mask = new Mask(VolumeGeometry.AxisAligned(40, 33, 50));
        Array.Fill(mask.Voxels, (byte)1);
        LabelVolume labels = ConnectedComponents.Label(mask, new ConnectedComponentsOptions { Connectivity = Connectivity.Six, MaxDegreeOfParallelism = 8 });
        Assert.Equal(1, labels.ComponentCount);
        Assert.All(labels.Labels, l => Assert.Equal(1, l));
    }

    [Fact]
    public void EmptyMaskHasNoComponents()
    {
        var mask = new Mask(VolumeGeometry.AxisAligned(10, 11, 12));
        LabelVolume labels = ConnectedComponents.Label(mask);
        Assert.Equal(0, labels.ComponentCount);
        Assert.All(labels.Labels, l => Assert.Equal(0, l));
        Assert.Empty(labels.Statistics);
    }

    [Fact]
    public void DestinationIsOverwrittenCompletely()
    {
        byte[] voxels = LabelingOracle.RandomMask(24, 20, 16, 0.3, 5);
        var mask = new Mask(VolumeGeometry.AxisAligned(24, 20, 16), voxels);
        var destination = new int[voxels.Length];
        Array.Fill(destination, -7);
        LabelVolume labels = ConnectedComponents.Label(mask, destination);
        Assert.Same(destination, labels.Labels);
        Assert.Equal(LabelingOracle.Label(voxels, 24, 20, 16, 26).Labels, destination);
        Assert.Throws<ArgumentException>(() => ConnectedComponents.Label(mask, new int[5]));
    }

    [Fact]
    public void CancelledTokenThrows()
    {
        var mask = new Mask(VolumeGeometry.AxisAligned(16, 16, 16));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => ConnectedComponents.Label(mask, cancellationToken: cts.Token));
    }

    [Fact]
    public void ProgressEndsAtOne()
    {
        var reports = new List<double>();
        var mask = new Mask(VolumeGeometry.AxisAligned(16, 16, 16));
        ConnectedComponents.Label(mask, new ConnectedComponentsOptions { Progress = new SynchronousProgress(reports) });
        Assert.NotEmpty(reports);
        Assert.Equal(1.0, reports[^1]);
        Assert.Equal(reports.Order(), reports);
    }

    [Theory]
    [InlineData(Connectivity.Six, 2)]
    [InlineData(Connectivity.Eighteen, 2)]
    [InlineData(Connectivity.TwentySix, 1)]
    public void BlocksTouchingThroughOneCornerJoinOnlyUnder26(Connectivity connectivity, int expected)
    {
        var mask = new Mask(VolumeGeometry.AxisAligned(12, 12, 12));
        FillBox(mask, 1, 1, 1, 5, 5, 5);
        FillBox(mask, 6, 6, 6, 10, 10, 10); // touches the first block only at corner (5,5,5)-(6,6,6)
        LabelVolume labels = ConnectedComponents.Label(mask, new ConnectedComponentsOptions { Connectivity = connectivity });
        Assert.Equal(expected, labels.ComponentCount);
    }

    [Theory]
    [InlineData(Connectivity.Six, 2)]
    [InlineData(Connectivity.Eighteen, 1)]
    [InlineData(Connectivity.TwentySix, 1)]
    public void BlocksTouchingThroughOneEdgeJoinUnder18And26(Connectivity connectivity, int expected)
    {
        var mask = new Mask(VolumeGeometry.AxisAligned(12, 12, 12));
        FillBox(mask, 1, 1, 1, 5, 5, 10);
        FillBox(mask, 6, 6, 1, 10, 10, 10); // shares only the edge x=5|6, y=5|6
        LabelVolume labels = ConnectedComponents.Label(mask, new ConnectedComponentsOptions { Connectivity = connectivity });
        Assert.Equal(expected, labels.ComponentCount);
    }

    [Fact]
    public void BlocksJoinedByOneVoxelBridgeAreOneComponentUnderEveryConnectivity()
    {
        var mask = new Mask(VolumeGeometry.AxisAligned(20, 8, 8));
        FillBox(mask, 0, 0, 0, 7, 7, 7);
        FillBox(mask, 12, 0, 0, 19, 7, 7);
        FillBox(mask, 8, 4, 4, 11, 4, 4);
        foreach (Connectivity c in new[] { Connectivity.Six, Connectivity.Eighteen, Connectivity.TwentySix })
        {
            Assert.Equal(1, ConnectedComponents.Label(mask, new ConnectedComponentsOptions { Connectivity = c }).ComponentCount);
        }

        mask.Volume[9, 4, 4] = 0;
        Assert.Equal(2, ConnectedComponents.Label(mask).ComponentCount);
    }

    [Fact]
    public void NestedShellsAreSeparateComponentsNumberedByFirstVoxel()
    {
        // Three concentric spherical shells separated by background gaps of at least one voxel everywhere.
        const int n = 41;
        var mask = new Mask(VolumeGeometry.AxisAligned(n, n, n));
        for (int k = 0; k < n; k++)
        {
            for (int j = 0; j < n; j++)
            {
                for (int i = 0; i < n; i++)
                {
                    double r = Math.Sqrt(((i - 20) * (i - 20)) + ((j - 20) * (j - 20)) + ((k - 20) * (k - 20)));
                    if (r <= 3 || (r >= 7 && r <= 9) || (r >= 13 && r <= 16))
                    {
                        mask.Volume[i, j, k] = 1;
                    }
                }
            }
        }

        LabelVolume labels = ConnectedComponents.Label(mask);
        Assert.Equal(3, labels.ComponentCount);
        Assert.Equal(1, labels[20, 20, 4]);  // outer shell comes first in memory order
        Assert.Equal(2, labels[20, 20, 11]); // middle shell
        Assert.Equal(3, labels[20, 20, 20]); // core
        Assert.Equal(0, labels[20, 20, 15]);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(26)]
    public void StatisticsFromRunsEqualStatisticsFromLabelsAndBruteForce(int connectivity)
    {
        const int nx = 23, ny = 19, nz = 11;
        byte[] voxels = LabelingOracle.RandomMask(nx, ny, nz, 0.4, 77);
        var slices = new Vector3D[nz];
        double z = 3;
        for (int k = 0; k < nz; k++)
        {
            slices[k] = new Vector3D(10 + (0.1 * k), -5, z); // tilted, non-uniform slices
            z += 1.0 + (0.25 * (k % 3));
        }

        var geometry = new VolumeGeometry(nx, ny, 0.7, 0.8, new Vector3D(1, 0, 0), new Vector3D(0, 1, 0), slices);
        var mask = new Mask(geometry, voxels);
        LabelVolume labels = ConnectedComponents.Label(mask, new ConnectedComponentsOptions { Connectivity = (Connectivity)connectivity });
        var copy = new LabelVolume(geometry, (int[])labels.Labels.Clone(), labels.ComponentCount);
        Assert.Equal(labels.Statistics, copy.Statistics);

        // Brute force: per-label sums of patient positions and index bounds.
        int count = labels.ComponentCount;
        var n = new long[count + 1];
        var sum = new Vector3D[count + 1];
        var min = new (int I, int J, int K)[count + 1];
        var max = new (int I, int J, int K)[count + 1];
        for (int k = 0; k < nz; k++)
        {
            for (int j = 0; j < ny; j++)
            {
                for (int i = 0; i < nx; i++)
                {
                    int l = labels[i, j, k];
                    if (l == 0)
                    {
                        continue;
                    }

                    if (n[l] == 0)
                    {
                        min[l] = (i, j, k);
                        max[l] = (i, j, k);
                    }

                    n[l]++;
                    sum[l] += geometry.IndexToPatient(i, j, k);
                    min[l] = (Math.Min(min[l].I, i), Math.Min(min[l].J, j), Math.Min(min[l].K, k));
                    max[l] = (Math.Max(max[l].I, i), Math.Max(max[l].J, j), Math.Max(max[l].K, k));
                }
            }
        }

        double voxelVolume = 0.7 * 0.8 * geometry.SliceSpacingMean;
        for (int l = 1; l <= count; l++)
        {
            ComponentStatistics s = labels.Statistics[l - 1];
            Assert.Equal(l, s.Label);
            Assert.Equal(n[l], s.VoxelCount);
            Assert.Equal(n[l] * voxelVolume, s.VolumeMm3, 9);
            Assert.Equal(new VoxelIndex(min[l].I, min[l].J, min[l].K), s.BoundsMin);
            Assert.Equal(new VoxelIndex(max[l].I, max[l].J, max[l].K), s.BoundsMax);
            Assert.Equal(l, labels[s.FirstVoxel.I, s.FirstVoxel.J, s.FirstVoxel.K]);
            Vector3D expected = sum[l] / n[l];
            Assert.True((expected - s.CentroidLps).Length < 1e-9, $"label {l}: {expected} vs {s.CentroidLps}");
        }
    }

    internal static void FillBox(Mask mask, int i0, int j0, int k0, int i1, int j1, int k1)
    {
        for (int k = k0; k <= k1; k++)
        {
            for (int j = j0; j <= j1; j++)
            {
                for (int i = i0; i <= i1; i++)
                {
                    mask.Volume[i, j, k] = 1;
                }
            }
        }
    }

    private sealed class SynchronousProgress(List<double> reports) : IProgress<double>
    {
        public void Report(double value) => reports.Add(value);
    }
}
