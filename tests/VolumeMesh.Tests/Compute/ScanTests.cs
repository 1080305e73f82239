using ILGPU;
using ILGPU.Runtime;
using VolumeMesh.Compute;
using VolumeMesh.Meshing;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Compute;

public sealed class ScanTests
{
    [Theory]
    [InlineData(1, false)]
    [InlineData(63, false)]
    [InlineData(64, false)]
    [InlineData(65, false)]
    [InlineData(100_003, false)]
    [InlineData(1000, true)]
    public void ExclusiveScanEqualsAScalarPrefixSum(int length, bool library)
    {
        var random = new Random(length);
        var values = new int[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = random.Next(0, 6);
        }

        var expected = new int[length];
        int running = 0;
        for (int i = 0; i < length; i++)
        {
            expected[i] = running;
            running += values[i];
        }

        IlgpuBackend backend = IlgpuBackend.For(GpuTestSupport.IlgpuCpu);
        var actual = new int[length];
        lock (backend.Gate)
        {
            using ScopedAcceleratorBinding binding = backend.Bind();
            bool saved = backend.UseLibraryScan;
            try
            {
                backend.UseLibraryScan = library;
                using MemoryBuffer1D<int, Stride1D.Dense> input = backend.Accelerator.Allocate1D(values);
                using MemoryBuffer1D<int, Stride1D.Dense> output = backend.Accelerator.Allocate1D<int>(length);
                backend.ExclusiveScan(input.View, output.View);
                output.View.CopyToCPU(actual);
            }
            finally
            {
                backend.UseLibraryScan = saved;
            }
        }

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void MarchingCubesWithTheLibraryScanEqualsTheManagedEngine()
    {
        // The GPUs use ILGPU.Algorithms' scan; check that path too (slow on the CPU accelerator, so one small volume).
        Volume<float> noise = SyntheticVolumes.Noise(12, 11, 10, 77);
        IlgpuBackend backend = IlgpuBackend.For(GpuTestSupport.IlgpuCpu);
        var engine = new GpuMarchingCubes(GpuTestSupport.IlgpuCpu);
        Mesh actual;
        lock (backend.Gate)
        {
            using ScopedAcceleratorBinding binding = backend.Bind();
            bool saved = backend.UseLibraryScan;
            try
            {
                backend.UseLibraryScan = true;
                actual = engine.FromIso(noise, 0.5); // re-entrant: the engine takes the same lock on this thread
            }
            finally
            {
                backend.UseLibraryScan = saved;
            }
        }

        GpuTestSupport.AssertSameMesh(MarchingCubes.FromIso(noise, 0.5), actual, "library scan");
    }
}
