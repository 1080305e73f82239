using BenchmarkDotNet.Attributes;
using VolumeMesh.Meshing;
using VolumeMesh.Segmentation;
using VolumeMesh.Volumes;

namespace VolumeMesh.Benchmarks;

/// <summary>Managed CPU marching cubes on the two reference volumes (compare with VTK's vtkFlyingEdges3D via ../shared/peers/mc.py).</summary>
[MemoryDiagnoser]
public class MarchingCubesBenchmarks
{
    private Volume<float>? _gyroid;
    private Volume<short>? _ct;

    [Params(BenchmarkVolumes.Gyroid256, BenchmarkVolumes.Ct400)]
    public string Volume { get; set; } = BenchmarkVolumes.Gyroid256;

    [GlobalSetup]
    public void Setup()
    {
        if (Volume == BenchmarkVolumes.Gyroid256)
        {
            _gyroid = BenchmarkVolumes.Gyroid();
        }
        else
        {
            _ct = BenchmarkVolumes.Ct();
        }
    }

    /// <summary>Meshes the volume; returns the triangle count so the work cannot be elided.</summary>
    [Benchmark]
    public int MarchingCubesCpu() => Volume == BenchmarkVolumes.Gyroid256
        ? MarchingCubes.FromIso(_gyroid!, 0).TriangleCount
        : MarchingCubes.FromRange(_ct!, ThresholdPresets.Bone.Low, ThresholdPresets.Bone.High).TriangleCount;
}
