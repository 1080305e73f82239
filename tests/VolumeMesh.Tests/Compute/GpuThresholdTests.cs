using VolumeMesh.Compute;
using VolumeMesh.Geometry;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Compute;

public sealed class GpuThresholdTests
{
    [Theory]
    [InlineData(-200.0, 300.0, null)]
    [InlineData(300.0, double.PositiveInfinity, null)]
    [InlineData(-1000.0, -1000.0, 3000L)] // forces many slabs
    public void Int16ThresholdEqualsAScalarLoop(double low, double high, long? budget)
    {
        var volume = new Volume<short>(VolumeGeometry.AxisAligned(23, 17, 11));
        var random = new Random(5);
        for (int n = 0; n < volume.Voxels.Length; n++)
        {
            volume.Voxels[n] = (short)random.Next(-1100, 1600);
        }

        volume.Voxels[3] = -1000;
        volume.Voxels[4] = 300;
        Mask mask = GpuThreshold.Apply(GpuTestSupport.IlgpuCpu, volume, low, high, budget);
        Assert.Same(volume.Geometry, mask.Geometry);
        int inside = 0;
        for (int n = 0; n < volume.Voxels.Length; n++)
        {
            byte expected = volume.Voxels[n] >= low && volume.Voxels[n] <= high ? (byte)1 : (byte)0;
            Assert.Equal(expected, mask.Voxels[n]);
            inside += expected;
        }

        Assert.InRange(inside, 1, volume.Voxels.Length - 1);
    }

    [Fact]
    public void FloatThresholdTreatsNaNAsOutsideAndBoundsInclusively()
    {
        var volume = new Volume<float>(VolumeGeometry.AxisAligned(5, 1, 1), [0.5f, float.NaN, 1f, 2f, 2.5f]);
        Mask mask = GpuThreshold.Apply(GpuTestSupport.IlgpuCpu, volume, 1, 2);
        Assert.Equal(new byte[] { 0, 0, 1, 1, 0 }, mask.Voxels);
    }

    [Fact]
    public void RejectsTheManagedDeviceAndUnsupportedTypes()
    {
        var volume = new Volume<short>(VolumeGeometry.AxisAligned(2, 2, 2));
        Assert.Throws<ArgumentException>(() => GpuThreshold.Apply(ComputeDevices.ManagedCpu, volume, 0, 1));
        Assert.Throws<NotSupportedException>(() => GpuThreshold.Apply(GpuTestSupport.IlgpuCpu, new Volume<long>(VolumeGeometry.AxisAligned(2, 2, 2)), 0, 1));
    }
}
