using ILGPU;
using ILGPU.Runtime;

namespace VolumeMesh.Compute.Kernels;

/// <summary>Threshold to a byte mask, grid-stride (few threads launched, each walks the volume with the launch's stride).</summary>
internal static class ThresholdKernels
{
    public static void Threshold<T, TReader>(Index1D index, long count, long stride, InsideTest test, ArrayView<T> voxels, ArrayView<byte> mask)
        where T : unmanaged
        where TReader : struct, IVoxelReader<T>
    {
        TReader reader = default;
        for (long i = index; i < count; i += stride)
        {
            mask[i] = test.Inside(reader.ToDouble(voxels[i])) ? (byte)1 : (byte)0;
        }
    }
}
