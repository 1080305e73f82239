using System.Numerics;
using VolumeMesh.Geometry;
using VolumeMesh.Segmentation;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Segmentation;

public sealed class ThresholdTests
{
    // Odd sizes so that slices are not a multiple of any vector width and the scalar tail runs.
    private static readonly VolumeGeometry s_geometry = VolumeGeometry.AxisAligned(37, 23, 5, 0.5, 0.5, 1.0);

    [Theory]
    [InlineData(1, -200.0, 300.0)]
    [InlineData(2, 226.0, 3071.0)]
    [InlineData(3, -1024.0, -1024.0)]
    [InlineData(4, 10.5, 11.5)]
    public void Int16MatchesScalarReference(int seed, double low, double high)
    {
        var random = new Random(seed);
        var volume = new Volume<short>(s_geometry);
        for (int i = 0; i < volume.Voxels.Length; i++)
        {
            volume.Voxels[i] = (short)random.Next(-1100, 3200);
        }

        AssertMatchesReference(volume, new HuRange(low, high));
    }

    [Theory]
    [InlineData(5, -0.25, 0.1)]
    [InlineData(6, 0.0, 0.0)]
    [InlineData(7, double.NegativeInfinity, 0.3)]
    public void FloatMatchesScalarReference(int seed, double low, double high)
    {
        var random = new Random(seed);
        var volume = new Volume<float>(s_geometry);
        for (int i = 0; i < volume.Voxels.Length; i++)
        {
            // Quantised values so some voxels equal the bounds' nearest floats; a few NaNs are outside.
            volume.Voxels[i] = i % 97 == 0 ? float.NaN : MathF.Round(((float)random.NextDouble() - 0.5f) * 2, 2);
        }

        volume.Voxels[3] = 0.1f;   // (double)0.1f is just above 0.1: inside [x, 0.1] must be decided exactly
        AssertMatchesReference(volume, new HuRange(low, high));
    }

    [Fact]
    public void OtherVoxelTypesMatchScalarReference()
    {
        var random = new Random(8);
        var bytes = new Volume<byte>(s_geometry);
        var ints = new Volume<int>(s_geometry);
        var doubles = new Volume<double>(s_geometry);
        var ushorts = new Volume<ushort>(s_geometry);
        for (int i = 0; i < bytes.Voxels.Length; i++)
        {
            bytes.Voxels[i] = (byte)random.Next(256);
            ints.Voxels[i] = random.Next(-5000, 5000);
            doubles.Voxels[i] = random.NextDouble();
            ushorts.Voxels[i] = (ushort)random.Next(65536);
        }

        AssertMatchesReference(bytes, new HuRange(100, 200));
        AssertMatchesReference(bytes, new HuRange(300, 400));        // above the type: empty
        AssertMatchesReference(bytes, new HuRange(-50, 10));         // partly below the type
        AssertMatchesReference(ints, new HuRange(-1234.5, 2000));
        AssertMatchesReference(doubles, new HuRange(0.25, 0.5));
        AssertMatchesReference(ushorts, new HuRange(40000, 70000));
    }

    [Fact]
    public void BoundsAreInclusive()
    {
        var volume = new Volume<short>(VolumeGeometry.AxisAligned(6, 1, 1));
        short[] values = [225, 226, 227, 3070, 3071, 3072];
        values.CopyTo(volume.Voxels, 0);
        Mask mask = Threshold.Apply(volume, ThresholdPresets.Bone);
        Assert.Equal(new byte[] { 0, 1, 1, 1, 1, 0 }, mask.Voxels);
    }

    [Fact]
    public void LongRowsUseEveryLaneInOrder()
    {
        // A ramp over more than one vector width: exactly the values in the range are set, at their own positions.
        var volume = new Volume<short>(VolumeGeometry.AxisAligned(200, 3, 2));
        for (int i = 0; i < volume.Voxels.Length; i++)
        {
            volume.Voxels[i] = (short)(i % 200);
        }

        Mask mask = Threshold.Apply(volume, new HuRange(17, 150));
        for (int i = 0; i < volume.Voxels.Length; i++)
        {
            int v = i % 200;
            Assert.Equal(v is >= 17 and <= 150 ? 1 : 0, mask.Voxels[i]);
        }

        Assert.Same(volume.Geometry, mask.Geometry);
    }

    [Fact]
    public void ResultDoesNotDependOnThreadCount()
    {
        var random = new Random(9);
        var volume = new Volume<short>(VolumeGeometry.AxisAligned(64, 48, 17));
        for (int i = 0; i < volume.Voxels.Length; i++)
        {
            volume.Voxels[i] = (short)random.Next(-1000, 2000);
        }

        Mask one = Threshold.Apply(volume, ThresholdPresets.Bone, new ThresholdOptions { MaxDegreeOfParallelism = 1 });
        Mask many = Threshold.Apply(volume, ThresholdPresets.Bone, new ThresholdOptions { MaxDegreeOfParallelism = 8 });
        Assert.Equal(one.Voxels, many.Voxels);
    }

    [Fact]
    public void ReportsProgressAndHonoursCancellation()
    {
        var volume = new Volume<short>(VolumeGeometry.AxisAligned(8, 8, 10));
        var reports = new List<double>();
        var progress = new SynchronousProgress(reports);
        Threshold.Apply(volume, ThresholdPresets.Bone, new ThresholdOptions { Progress = progress, MaxDegreeOfParallelism = 1 });
        Assert.Equal(10, reports.Count);
        Assert.Equal(1.0, reports[^1]);

        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Threshold.Apply(volume, ThresholdPresets.Bone, null, cts.Token));
    }

    [Theory]
    [InlineData("bone", 226, 3071)]
    [InlineData("BONE", 226, 3071)]
    [InlineData("cortical-bone", 662, 1988)]
    [InlineData("Cortical_Bone", 662, 1988)]
    [InlineData("soft-tissue", -700, 225)]
    [InlineData("skin", -718, -177)]
    [InlineData("metal", 2500, 32767)]
    public void PresetsAreFoundByName(string name, double low, double high)
    {
        Assert.True(ThresholdPresets.TryGet(name, out HuRange range));
        Assert.Equal(low, range.Low);
        Assert.Equal(high, range.High);
    }

    [Fact]
    public void EveryListedPresetNameResolvesAndUnknownNamesDoNot()
    {
        foreach (string name in ThresholdPresets.Names)
        {
            Assert.True(ThresholdPresets.TryGet(name, out _), name);
        }

        Assert.False(ThresholdPresets.TryGet("bones", out _));
        Assert.False(ThresholdPresets.TryGet(null, out _));
        Assert.True(ThresholdPresets.Metal.Low > ThresholdPresets.CorticalBone.High);
    }

    [Theory]
    [InlineData("226:3071", 226, 3071)]
    [InlineData("-700:-100", -700, -100)]
    [InlineData("0.5:1e3", 0.5, 1000)]
    public void RangesParse(string text, double low, double high)
    {
        Assert.True(HuRange.TryParse(text, out HuRange range));
        Assert.Equal(new HuRange(low, high), range);
    }

    [Theory]
    [InlineData("")]
    [InlineData("300")]
    [InlineData("300:200")]
    [InlineData("a:b")]
    [InlineData("NaN:1")]
    public void InvalidRangesDoNotParse(string text)
    {
        Assert.False(HuRange.TryParse(text, out _));
    }

    [Fact]
    public void EmptyRangeIsRejected()
    {
        Assert.Throws<ArgumentException>(() => new HuRange(10, 5));
        Assert.Throws<ArgumentException>(() => new HuRange(double.NaN, 5));
    }

    private static void AssertMatchesReference<T>(Volume<T> volume, HuRange range)
        where T : unmanaged, INumber<T>
    {
        Mask mask = Threshold.Apply(volume, range);
        for (int i = 0; i < volume.Voxels.Length; i++)
        {
            // Independent oracle: the definition, in doubles, one voxel at a time.
            double v = double.CreateChecked(volume.Voxels[i]);
            byte expected = v >= range.Low && v <= range.High ? (byte)1 : (byte)0;
            if (mask.Voxels[i] != expected)
            {
                Assert.Fail($"Voxel {i} value {v} in {range}: expected {expected}, got {mask.Voxels[i]} ({typeof(T).Name}).");
            }
        }
    }

    private sealed class SynchronousProgress(List<double> reports) : IProgress<double>
    {
        public void Report(double value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
