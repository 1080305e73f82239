using BenchmarkDotNet.Attributes;
using VolumeMesh.Segmentation;
using VolumeMesh.Volumes;

namespace VolumeMesh.Benchmarks;

/// <summary>Threshold segmentation of the 512×512×400 int16 CT phantom to the bone range: vectorised and parallel against a plain scalar loop.</summary>
[MemoryDiagnoser]
public class ThresholdBenchmarks
{
    private Volume<short>? _ct;
    private byte[]? _scalarTarget;

    [GlobalSetup]
    public void Setup()
    {
        _ct = BenchmarkVolumes.Ct();
        _scalarTarget = new byte[_ct.Voxels.Length];
    }

    /// <summary>One thread, one voxel at a time: the baseline.</summary>
    [Benchmark(Baseline = true)]
    public int ScalarLoop()
    {
        short[] v = _ct!.Voxels;
        byte[] m = _scalarTarget!;
        for (int i = 0; i < v.Length; i++)
        {
            m[i] = v[i] >= 226 && v[i] <= 3071 ? (byte)1 : (byte)0;
        }

        return m[m.Length / 2];
    }

    /// <summary>The vectorised kernel alone (<see cref="Threshold.ApplySpan{T}"/>), one thread, into an existing buffer.</summary>
    [Benchmark]
    public int KernelOneThreadNoAllocation()
    {
        Threshold.ApplySpan<short>(_ct!.Voxels, _scalarTarget!, ThresholdPresets.Bone);
        return _scalarTarget![_scalarTarget.Length / 2];
    }

    /// <summary><see cref="Threshold.Apply{T}"/> on one thread (vectorised only).</summary>
    [Benchmark]
    public int VectorisedOneThread() =>
        Threshold.Apply(_ct!, ThresholdPresets.Bone, new ThresholdOptions { MaxDegreeOfParallelism = 1 }).Voxels[_ct!.Voxels.Length / 2];

    /// <summary><see cref="Threshold.Apply{T}"/> on every core.</summary>
    [Benchmark]
    public int VectorisedAllCores() => Threshold.Apply(_ct!, ThresholdPresets.Bone).Voxels[_ct!.Voxels.Length / 2];
}
