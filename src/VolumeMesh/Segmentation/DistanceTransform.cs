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

        // Along x, then y (per slice), then z (per row of y).
        Parallel.For(0, nz, parallel, () => new Scratch(longest), (k, _, s) =>
        {
            for (int j = 0; j < ny; j++)
            {
                s.Run(d, nx * (j + (ny * k)), 1, nx, sx * sx);
            }

            for (int i = 0; i < nx; i++)
            {
                s.Run(d, i + (nx * ny * k), nx, ny, sy * sy);
            }

            return s;
        }, _ => { });
        Parallel.For(0, ny, parallel, () => new Scratch(longest), (j, _, s) =>
        {
            for (int i = 0; i < nx; i++)
            {
                s.Run(d, i + (nx * j), nx * ny, nz, sz * sz);
            }

            return s;
        }, _ => { });
        for (int v = 0; v < d.Length; v++)
        {
            d[v] = MathF.Sqrt(d[v]);
        }

        return result;
    }

    /// <summary>Per-thread buffers of the 1-D transform.</summary>
    private sealed class Scratch(int length)
    {
        private readonly double[] _f = new double[length];
        private readonly int[] _v = new int[length];
        private readonly double[] _z = new double[length + 1];

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
