using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace VolumeMesh.IO;

/// <summary>Byte-order reversal of a whole voxel array in place, for volume readers whose file is big-endian (NRRD, NIfTI).</summary>
internal static class VoxelEndianness
{
    /// <summary>Reverses the byte order of every element; one-byte element types are left as they are.</summary>
    /// <param name="voxels">A <c>short</c>, <c>ushort</c>, <c>int</c>, <c>uint</c>, <c>long</c>, <c>ulong</c>, <c>float</c> or <c>double</c> array.</param>
    public static void Swap(Array voxels)
    {
        switch (voxels)
        {
            case short[] a: BinaryPrimitives.ReverseEndianness(a, a); break;
            case ushort[] a: BinaryPrimitives.ReverseEndianness(a, a); break;
            case int[] a: BinaryPrimitives.ReverseEndianness(a, a); break;
            case uint[] a: BinaryPrimitives.ReverseEndianness(a, a); break;
            case long[] a: BinaryPrimitives.ReverseEndianness(a, a); break;
            case ulong[] a: BinaryPrimitives.ReverseEndianness(a, a); break;
            case float[] a:
                Span<int> f = MemoryMarshal.Cast<float, int>(a.AsSpan());
                BinaryPrimitives.ReverseEndianness(f, f);
                break;
            case double[] a:
                Span<long> d = MemoryMarshal.Cast<double, long>(a.AsSpan());
                BinaryPrimitives.ReverseEndianness(d, d);
                break;
        }
    }
}
