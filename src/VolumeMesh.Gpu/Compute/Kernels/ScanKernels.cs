using ILGPU;

namespace VolumeMesh.Compute.Kernels;

/// <summary>
/// A tiled exclusive prefix sum (reduce tiles, scan the tile sums, rescan the tiles): three launches with no
/// inter-group waiting. Used on ILGPU's CPU accelerator, where ILGPU.Algorithms' single-pass scan spin-waits between
/// groups and costs hundreds of milliseconds per call.
/// </summary>
internal static class ScanKernels
{
    public static void TileSums(Index1D tile, int count, int tileSize, ArrayView<int> input, ArrayView<int> sums)
    {
        int start = tile * tileSize;
        int end = Math.Min(start + tileSize, count);
        int sum = 0;
        for (int i = start; i < end; i++)
        {
            sum += input[i];
        }

        sums[tile] = sum;
    }

    public static void ScanTileSums(Index1D index, int tiles, ArrayView<int> sums)
    {
        if (index != 0)
        {
            return;
        }

        int running = 0;
        for (int t = 0; t < tiles; t++)
        {
            int value = sums[t];
            sums[t] = running;
            running += value;
        }
    }

    public static void ScanTiles(Index1D tile, int count, int tileSize, ArrayView<int> input, ArrayView<int> sums, ArrayView<int> output)
    {
        int start = tile * tileSize;
        int end = Math.Min(start + tileSize, count);
        int running = sums[tile];
        for (int i = start; i < end; i++)
        {
            int value = input[i];
            output[i] = running;
            running += value;
        }
    }
}
