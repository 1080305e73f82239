using VolumeMesh.Components;
using VolumeMesh.Compute;
using VolumeMesh.Compute.Kernels;
using VolumeMesh.Geometry;
using VolumeMesh.Segmentation;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Components;

/// <summary>The process's ILGPU CPU accelerator backend, shared by the GPU labelling tests (kernels compile once per accelerator).</summary>
public sealed class CpuAcceleratorFixture
{
    internal IlgpuBackend Backend { get; } = IlgpuBackend.For(ComputeDevices.Get("ilgpu-cpu"));

    internal LabelVolume Label(Mask mask, ConnectedComponentsOptions? options = null, int launchThreads = 0)
    {
        lock (Backend.Gate)
        {
            using var binding = Backend.Bind();
            return new ComponentsGpuLabeler(Backend, launchThreads).Label(mask, options);
        }
    }

    internal Mask Morph(Mask mask, MorphologyOperation operation, double radiusMm)
    {
        lock (Backend.Gate)
        {
            using var binding = Backend.Bind();
            return new MorphologyGpu(Backend).Apply(mask, operation, radiusMm, new ParallelOptions());
        }
    }
}

public sealed class GpuLabelingTests(CpuAcceleratorFixture fixture) : IClassFixture<CpuAcceleratorFixture>
{
    public static TheoryData<int, int, int, double, int> Cases()
    {
        var data = new TheoryData<int, int, int, double, int>();
        foreach (int connectivity in new[] { 6, 18, 26 })
        {
            foreach (double density in new[] { 0.1, 0.3, 0.5, 0.7 })
            {
                data.Add(24, 20, 16, density, connectivity);
            }

            data.Add(37, 5, 9, 0.45, connectivity);
            data.Add(1, 17, 13, 0.5, connectivity);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void CpuAcceleratorLabelsEqualManagedLabelsAndOracle(int nx, int ny, int nz, double density, int connectivity)
    {
        byte[] voxels = LabelingOracle.RandomMask(nx, ny, nz, density, seed: 1000 + (nx * 7) + (int)(density * 10) + connectivity);
        var mask = new Mask(VolumeGeometry.AxisAligned(nx, ny, nz), voxels);
        var options = new ConnectedComponentsOptions { Connectivity = (Connectivity)connectivity };

        LabelVolume gpu = fixture.Label(mask, options);
        LabelVolume cpu = ConnectedComponents.Label(mask, options);
        (int[] oracle, int oracleCount) = LabelingOracle.Label(voxels, nx, ny, nz, connectivity);

        Assert.Equal(oracleCount, gpu.ComponentCount);
        Assert.Equal(oracle, gpu.Labels);
        Assert.Equal(cpu.Labels, gpu.Labels);
        Assert.Equal(cpu.Statistics, gpu.Statistics);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(5000)] // more threads than root-numbering chunks (4096)
    public void LabelsDoNotDependOnTheThreadCount(int threads)
    {
        byte[] voxels = LabelingOracle.RandomMask(23, 19, 13, 0.5, 42);
        var mask = new Mask(VolumeGeometry.AxisAligned(23, 19, 13), voxels);
        Assert.Equal(threads, new ComponentsGpuLabeler(fixture.Backend, threads).LaunchThreads);
        Assert.Equal(LabelingOracle.Label(voxels, 23, 19, 13, 26).Labels, fixture.Label(mask, null, threads).Labels);
    }

    [Fact]
    public void CornerBridgeJoinsOnlyUnder26AndEmptyMaskHasNoComponents()
    {
        var mask = new Mask(VolumeGeometry.AxisAligned(10, 10, 10));
        ConnectedComponentsTests.FillBox(mask, 1, 1, 1, 4, 4, 4);
        ConnectedComponentsTests.FillBox(mask, 5, 5, 5, 8, 8, 8);
        Assert.Equal(1, fixture.Label(mask, new ConnectedComponentsOptions { Connectivity = Connectivity.TwentySix }).ComponentCount);
        Assert.Equal(2, fixture.Label(mask, new ConnectedComponentsOptions { Connectivity = Connectivity.Six }).ComponentCount);

        LabelVolume empty = fixture.Label(new Mask(VolumeGeometry.AxisAligned(5, 4, 3)));
        Assert.Equal(0, empty.ComponentCount);
        Assert.All(empty.Labels, l => Assert.Equal(0, l));
    }
}

public sealed class GpuMorphologyTests(CpuAcceleratorFixture fixture) : IClassFixture<CpuAcceleratorFixture>
{
    [Theory]
    [InlineData(0.7, 0.9, 1.3, 0.2, 1.6)]
    [InlineData(0.5, 0.5, 2.0, 0.6, 2.2)]
    [InlineData(0.1, 0.11, 0.12, 0.05, 2.9)] // windows longer than the managed path's min-plus limit: it uses the envelope there
    public void CpuAcceleratorEqualsManagedMorphology(double sx, double sy, double sz, double density, double radius)
    {
        byte[] voxels = LabelingOracle.RandomMask(17, 13, 11, density, 21);
        var mask = new Mask(VolumeGeometry.AxisAligned(17, 13, 11, sx, sy, sz), voxels);
        foreach (MorphologyOperation op in Enum.GetValues<MorphologyOperation>())
        {
            Assert.Equal(Morphology.Apply(mask, op, radius).Voxels, fixture.Morph(mask, op, radius).Voxels);
        }

        Assert.DoesNotContain(fixture.Morph(new Mask(mask.Geometry), MorphologyOperation.Dilate, 2).Voxels, v => v != 0);
    }
}
