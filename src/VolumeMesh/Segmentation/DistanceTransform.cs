using VolumeMesh.Volumes;

namespace VolumeMesh.Segmentation;

/// <summary>The exact Euclidean distance transform of a mask: for each inside voxel, the distance in mm from its centre to
/// the nearest outside voxel centre (outside the volume counts as outside), with the spacing of each index axis.</summary>
/// <remarks>Separable lower envelope of parabolas along x, then y, then z (Felzenszwalb &amp; Huttenlocher 2012), with one
/// virtual outside sample beyond each end of every line. The index axes are treated as orthogonal with spacings
/// <see cref="Geometry.VolumeGeometry.SpacingX"/>, <see cref="Geometry.VolumeGeometry.SpacingY"/> and the mean slice
/// spacing; on a tilted or unevenly spaced series this is the distance in that approximate grid.</remarks>
public static class DistanceTransform
{
    /// <summary>Computes the distance of every voxel to the outside, in mm (0 outside).</summary>
    /// <param name="mask">The mask.</param>
    /// <param name="maxDegreeOfParallelism">Threads; −1 for every core.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The distances, one per voxel, in mm.</returns>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static Volume<float> Compute(Mask mask, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var g = mask.Geometry;
        int nx = g.SizeX, ny = g.SizeY, nz = g.SizeZ;
        var result = new Volume<float>(g);
        float[] d = result.Voxels;
        byte[] m = mask.Voxels;
        const float Infinity = float.MaxValue;
        for (int v = 0; v < d.Length; v++)
        {
            d[v] = m[v] != 0 ? Infinity : 0;
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
        int longest = Math.Max(nx, Math.Max(ny, nz)) + 2;
        double sx = g.SpacingX, sy = g.SpacingY, sz = g.SliceSpacingMean;

        // Only the bounding box of the inside needs the transform: the voxels just beyond it are outside (or beyond the
        // volume), which is what the virtual outside sample at each end of a line stands for.
        if (!Bounds(m, nx, ny, nz, out int x0, out int y0, out int z0, out int x1, out int y1, out int z1))
        {
            return result;
        }

        int bw = x1 - x0 + 1, bh = y1 - y0 + 1, bd = z1 - z0 + 1;

        // Along x, then y (per slice), then z (per row of y).
        Parallel.For(z0, z1 + 1, parallel, () => new Scratch(longest), (k, _, s) =>
        {
            for (int j = y0; j <= y1; j++)
            {
                s.Run(d, x0 + (nx * (j + (ny * k))), 1, bw, sx * sx);
            }

            for (int i = x0; i <= x1; i++)
            {
                s.Run(d, i + (nx * (y0 + (ny * k))), nx, bh, sy * sy);
            }

            return s;
        }, _ => { });
        // Along z the lines are a slice apart in memory: gather a block of neighbouring lines row by row (contiguous
        // reads), transform them in the block, scatter them back.
        Parallel.For(y0, y1 + 1, parallel, () => new Scratch(longest), (j, _, s) =>
        {
            for (int i = x0; i <= x1; i += Scratch.Block)
            {
                int width = Math.Min(Scratch.Block, x1 - i + 1);
                s.RunBlock(d, i + (nx * (j + (ny * z0))), nx * ny, width, bd, sz * sz);
            }

            return s;
        }, _ => { });
        for (int v = 0; v < d.Length; v++)
        {
            d[v] = MathF.Sqrt(d[v]);
        }

        return result;
    }

    /// <summary>The inclusive index box of the non-zero voxels; false when there is none.</summary>
    private static bool Bounds(byte[] m, int nx, int ny, int nz, out int x0, out int y0, out int z0, out int x1, out int y1, out int z1)
    {
        (x0, y0, z0, x1, y1, z1) = (nx, ny, nz, -1, -1, -1);
        for (int k = 0; k < nz; k++)
        {
            for (int j = 0; j < ny; j++)
            {
                ReadOnlySpan<byte> row = m.AsSpan(nx * (j + (ny * k)), nx);
                int first = row.IndexOfAnyExcept((byte)0);
                if (first < 0)
                {
                    continue;
                }

                int last = row.LastIndexOfAnyExcept((byte)0);
                x0 = Math.Min(x0, first);
                x1 = Math.Max(x1, last);
                y0 = Math.Min(y0, j);
                y1 = Math.Max(y1, j);
                z0 = Math.Min(z0, k);
                z1 = Math.Max(z1, k);
            }
        }

        return x1 >= 0;
    }

    /// <summary>Per-thread buffers of the 1-D transform.</summary>
    private sealed class Scratch(int length)
    {
        /// <summary>Lines gathered at once along z.</summary>
        public const int Block = 16;

        private readonly double[] _f = new double[length];
        private readonly int[] _v = new int[length];
        private readonly double[] _z = new double[length + 1];
        private readonly float[] _block = new float[length * Block];

        /// <summary>Transforms <paramref name="width"/> neighbouring lines (consecutive in x) of stride <paramref name="stride"/>.</summary>
        public void RunBlock(float[] d, int start, int stride, int width, int n, double w)
        {
            for (int t = 0; t < n; t++)
            {
                d.AsSpan(start + (t * stride), width).CopyTo(_block.AsSpan(t * Block, width));
            }

            for (int b = 0; b < width; b++)
            {
                Run(_block, b, Block, n, w);
            }

            for (int t = 0; t < n; t++)
            {
                _block.AsSpan(t * Block, width).CopyTo(d.AsSpan(start + (t * stride), width));
            }
        }

        /// <summary>One line of squared distances in place: d[q] = min_p f(p) + w·(q − p)², with f = 0 at p = −1 and p = n.</summary>
        public void Run(float[] d, int start, int stride, int n, double w)
        {
            // Index t of the padded line is p = t − 1.
            int count = n + 2;
            _f[0] = 0;
            _f[count - 1] = 0;
            bool anyInside = false;
            for (int t = 1; t <= n; t++)
            {
                float value = d[start + ((t - 1) * stride)];
                _f[t] = value >= float.MaxValue ? double.PositiveInfinity : value;
                anyInside |= value != 0;
            }

            if (!anyInside)
            {
                return;
            }

            int kEnv = 0;
            _v[0] = 0;
            _z[0] = double.NegativeInfinity;
            _z[1] = double.PositiveInfinity;
            for (int q = 1; q < count; q++)
            {
                if (double.IsPositiveInfinity(_f[q]))
                {
                    continue;
                }

                double s;
                while (true)
                {
                    int p = _v[kEnv];
                    s = ((_f[q] + (w * q * q)) - (_f[p] + (w * p * p))) / (2 * w * (q - p));
                    if (s <= _z[kEnv] && kEnv > 0)
                    {
                        kEnv--;
                        continue;
                    }

                    break;
                }

                kEnv++;
                _v[kEnv] = q;
                _z[kEnv] = s;
                _z[kEnv + 1] = double.PositiveInfinity;
            }

            int e = 0;
            for (int q = 1; q <= n; q++)
            {
                while (_z[e + 1] < q)
                {
                    e++;
                }

                int p = _v[e];
                double dq = q - p;
                d[start + ((q - 1) * stride)] = (float)((w * dq * dq) + _f[p]);
            }
        }
    }
}
