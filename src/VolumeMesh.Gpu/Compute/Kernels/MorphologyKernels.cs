using ILGPU;

namespace VolumeMesh.Compute.Kernels;

/// <summary>The box and windows of one morphology launch (see <c>MorphologyPlan</c>).</summary>
internal readonly record struct MorphologyLaunch(
    int SizeX, int SizeY, int X0, int Y0, int Z0, int Width, int Height, int Depth, int WindowX, int WindowY, int WindowZ, float Limit, int Dilate, int Threads)
{
    public int BoxCount => Width * Height * Depth;
}

/// <summary>
/// ILGPU kernels of dilation and erosion by a ball: the separable squared distance transform restricted to the radius,
/// one windowed min-plus pass per axis (min over |d| ≤ window of value + weight[|d|]), grid-stride over the box around the mask.
/// The weights are the managed path's float weights, so the float sums and the result equal it.
/// </summary>
internal static class MorphologyKernels
{
    /// <summary>Along x: the squared distance to the nearest feature voxel of the row within the window, else ∞.</summary>
    public static void PassX(Index1D index, MorphologyLaunch launch, ArrayView<byte> mask, ArrayView<float> weights, ArrayView<float> distance)
    {
        for (int v = index; v < launch.BoxCount; v += launch.Threads)
        {
            int x = v % launch.Width;
            int row = v / launch.Width;
            int y = row % launch.Height;
            int z = row / launch.Height;
            int rowStart = launch.X0 + (launch.SizeX * (launch.Y0 + y + (launch.SizeY * (launch.Z0 + z))));
            float best = float.PositiveInfinity;
            for (int d = 0; d <= launch.WindowX; d++)
            {
                if (x - d >= 0 && IsFeature(mask[rowStart + x - d], launch.Dilate))
                {
                    best = weights[d];
                    break;
                }

                if (x + d < launch.Width && IsFeature(mask[rowStart + x + d], launch.Dilate))
                {
                    best = weights[d];
                    break;
                }
            }

            distance[v] = best;
        }
    }

    /// <summary>Along y: min-plus over the window, capped at the limit.</summary>
    public static void PassY(Index1D index, MorphologyLaunch launch, ArrayView<float> source, ArrayView<float> weights, ArrayView<float> target)
    {
        for (int v = index; v < launch.BoxCount; v += launch.Threads)
        {
            int y = (v / launch.Width) % launch.Height;
            float best = source[v];
            for (int d = 1; d <= launch.WindowY; d++)
            {
                float w = weights[d];
                if (y - d >= 0)
                {
                    best = Min(best, source[v - (d * launch.Width)] + w);
                }

                if (y + d < launch.Height)
                {
                    best = Min(best, source[v + (d * launch.Width)] + w);
                }
            }

            target[v] = best > launch.Limit ? float.PositiveInfinity : best;
        }
    }

    /// <summary>Along z: min-plus over the window, then the threshold into the result mask.</summary>
    public static void PassZ(Index1D index, MorphologyLaunch launch, ArrayView<float> source, ArrayView<float> weights, ArrayView<byte> mask, ArrayView<byte> result)
    {
        int slice = launch.Width * launch.Height;
        for (int v = index; v < launch.BoxCount; v += launch.Threads)
        {
            int x = v % launch.Width;
            int row = v / launch.Width;
            int y = row % launch.Height;
            int z = row / launch.Height;
            float best = source[v];
            for (int d = 1; d <= launch.WindowZ; d++)
            {
                float w = weights[d];
                if (z - d >= 0)
                {
                    best = Min(best, source[v - (d * slice)] + w);
                }

                if (z + d < launch.Depth)
                {
                    best = Min(best, source[v + (d * slice)] + w);
                }
            }

            int voxel = launch.X0 + x + (launch.SizeX * (launch.Y0 + y + (launch.SizeY * (launch.Z0 + z))));
            bool inside = launch.Dilate != 0 ? best <= launch.Limit : mask[voxel] != 0 && best > launch.Limit;
            result[voxel] = inside ? (byte)1 : (byte)0;
        }
    }

    private static float Min(float a, float b) => b < a ? b : a;

    private static bool IsFeature(byte value, int dilate) => (value != 0) == (dilate != 0);
}
