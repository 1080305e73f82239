using ILGPU;
using ILGPU.Runtime;

namespace VolumeMesh.Compute.Kernels;

/// <summary>Launch parameters of the device-resident kernels: the volume's row and slice sizes, its voxel count and the grid stride.</summary>
internal readonly record struct ResidentLaunch(int SizeX, int SizeY, int SizeZ, int Count, int Threads);

/// <summary>
/// The small kernels that keep a run on the device between the stage kernels: the mask's bounding box, the component
/// statistics' sums, the kept-label mask, the background, the border flags of background components, the cavity fill and the masked-range packing.
/// Grid-stride loops; each writes only its own voxel (the border flags and bounds use atomics or write the same value).
/// </summary>
internal static class ResidentKernels
{
    /// <summary>Bounds of the non-zero voxels: bounds = (min x, min y, min z, max x, max y, max z), preset to (∞, ∞, ∞, −1, −1, −1).</summary>
    public static void Bounds(Index1D index, ResidentLaunch launch, ArrayView<byte> mask, ArrayView<int> bounds)
    {
        for (int i = index; i < launch.Count; i += launch.Threads)
        {
            if (mask[i] != 0)
            {
                int x = i % launch.SizeX;
                int row = i / launch.SizeX;
                int y = row % launch.SizeY;
                int z = row / launch.SizeY;
                Atomic.Min(ref bounds[0], x);
                Atomic.Min(ref bounds[1], y);
                Atomic.Min(ref bounds[2], z);
                Atomic.Max(ref bounds[3], x);
                Atomic.Max(ref bounds[4], y);
                Atomic.Max(ref bounds[5], z);
            }
        }
    }

    /// <summary>
    /// The integer sums of every component, one row (j, k) per iteration, one set of atomics per run of equal labels along x:
    /// sums[3L + 0..2] = voxel count, Σi, Σj; bounds[7L + 0..6] = min i, j, k, max i, j, k and the first voxel's index,
    /// preset to (∞, ∞, ∞, −1, −1, −1, ∞). Integer atomics, so the result does not depend on the order the rows run in.
    /// </summary>
    public static void ComponentSums(Index1D index, ResidentLaunch launch, ArrayView<int> labels, ArrayView<long> sums, ArrayView<int> bounds)
    {
        int rows = launch.SizeY * launch.SizeZ;
        for (int row = index; row < rows; row += launch.Threads)
        {
            int j = row % launch.SizeY;
            int k = row / launch.SizeY;
            int offset = row * launch.SizeX;
            int x = 0;
            while (NextRun(labels, offset, launch.SizeX, ref x, out int label, out int start))
            {
                long n = x - start;
                int s = label * 3;
                Atomic.Add(ref sums[s], n);
                Atomic.Add(ref sums[s + 1], n * (start + x - 1) / 2);
                Atomic.Add(ref sums[s + 2], n * j);
                int b = label * 7;
                Atomic.Min(ref bounds[b], start);
                Atomic.Min(ref bounds[b + 1], j);
                Atomic.Min(ref bounds[b + 2], k);
                Atomic.Max(ref bounds[b + 3], x - 1);
                Atomic.Max(ref bounds[b + 4], j);
                Atomic.Max(ref bounds[b + 5], k);
                Atomic.Min(ref bounds[b + 6], offset + start);
            }
        }
    }

    /// <summary>
    /// The voxels of every component in every slice it spans: counts[sliceStart[label] + k − min k of the label] += run length,
    /// one row per iteration (the min k from <see cref="ComponentSums"/>' bounds).
    /// </summary>
    public static void SliceCounts(Index1D index, ResidentLaunch launch, ArrayView<int> labels, ArrayView<int> bounds, ArrayView<int> sliceStart, ArrayView<int> counts)
    {
        int rows = launch.SizeY * launch.SizeZ;
        for (int row = index; row < rows; row += launch.Threads)
        {
            int k = row / launch.SizeY;
            int offset = row * launch.SizeX;
            int x = 0;
            while (NextRun(labels, offset, launch.SizeX, ref x, out int label, out int start))
            {
                Atomic.Add(ref counts[sliceStart[label] + k - bounds[(label * 7) + 2]], x - start);
            }
        }
    }

    /// <summary>
    /// The next run of one non-zero label in the row that starts at <paramref name="offset"/>, at or after
    /// <paramref name="x"/>: its label and first x; <paramref name="x"/> ends one past it. False at the row's end.
    /// </summary>
    private static bool NextRun(ArrayView<int> labels, int offset, int sizeX, ref int x, out int label, out int start)
    {
        while (x < sizeX && labels[offset + x] == 0)
        {
            x++;
        }

        start = x;
        label = x < sizeX ? labels[offset + x] : 0;
        while (x < sizeX && labels[offset + x] == label)
        {
            x++;
        }

        return label != 0;
    }

    /// <summary>mask = keep[label] (keep[0] = 0).</summary>
    public static void KeepMask(Index1D index, ResidentLaunch launch, ArrayView<int> labels, ArrayView<byte> keep, ArrayView<byte> mask)
    {
        for (int i = index; i < launch.Count; i += launch.Threads)
        {
            mask[i] = keep[labels[i]];
        }
    }

    /// <summary>background = 1 where the mask is 0.</summary>
    public static void Invert(Index1D index, ResidentLaunch launch, ArrayView<byte> mask, ArrayView<byte> background)
    {
        for (int i = index; i < launch.Count; i += launch.Threads)
        {
            background[i] = mask[i] == 0 ? (byte)1 : (byte)0;
        }
    }

    /// <summary>touches[label] = 1 for every background label with a voxel on a face of the volume.</summary>
    public static void BorderFlags(Index1D index, ResidentLaunch launch, ArrayView<int> labels, ArrayView<int> touches)
    {
        for (int i = index; i < launch.Count; i += launch.Threads)
        {
            int label = labels[i];
            if (label == 0)
            {
                continue;
            }

            int x = i % launch.SizeX;
            int row = i / launch.SizeX;
            int y = row % launch.SizeY;
            int z = row / launch.SizeY;
            if (x == 0 || y == 0 || z == 0 || x == launch.SizeX - 1 || y == launch.SizeY - 1 || z == launch.SizeZ - 1)
            {
                touches[label] = 1;
            }
        }
    }

    /// <summary>Sets the voxels of background components that reach no face (the cavities).</summary>
    public static void Fill(Index1D index, ResidentLaunch launch, ArrayView<int> labels, ArrayView<int> touches, ArrayView<byte> mask)
    {
        for (int i = index; i < launch.Count; i += launch.Threads)
        {
            int label = labels[i];
            if (label != 0 && touches[label] == 0)
            {
                mask[i] = 1;
            }
        }
    }

    /// <summary>Packs the mask and the int16 values for <see cref="InsideTest.ModeMaskedRange"/>.</summary>
    public static void Pack(Index1D index, ResidentLaunch launch, ArrayView<short> values, ArrayView<byte> mask, ArrayView<int> packed)
    {
        for (int i = index; i < launch.Count; i += launch.Threads)
        {
            packed[i] = mask[i] != 0 ? values[i] : values[i] + InsideTest.MaskedOffset;
        }
    }
}
