using System.Numerics;
using VolumeMesh.Volumes;

namespace VolumeMesh.Segmentation;

/// <summary>
/// Dilation and erosion by a ball through a squared Euclidean distance transform with per-axis spacing, computed in a box
/// around the mask: rows along x by two scans, then columns along y and z by the lower envelope of parabolas
/// (Felzenszwalb and Huttenlocher 2012). Distances beyond the radius never matter, so they are dropped early (set to ∞),
/// which keeps the envelopes short.
/// </summary>
internal static class DistanceMorphology
{

    public static Mask Run(Mask mask, bool dilate, double radiusMm, MorphologyOptions options, CancellationToken cancellationToken)
    {
        int nx = mask.Geometry.SizeX;
        int ny = mask.Geometry.SizeY;
        byte[] voxels = mask.Voxels;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Execution.Parallelism.ForParallelOptions(options.MaxDegreeOfParallelism), CancellationToken = cancellationToken };
        var result = new byte[voxels.Length];
        MorphologyPlan? plan = MorphologyPlan.Create(mask, dilate, radiusMm, parallel);
        if (plan is null)
        {
            return new Mask(mask.Geometry, result);
        }

        (int x0, int y0, int z0, int x1, int y1, int z1) = (plan.X0, plan.Y0, plan.Z0, plan.X1, plan.Y1, plan.Z1);
        (double sx, double sy, double sz) = (plan.SpacingX, plan.SpacingY, plan.SpacingZ);
        double limit = plan.Limit;
        int bw = plan.Width;
        int bh = plan.Height;
        int bd = plan.Depth;
        var distance = GC.AllocateUninitializedArray<float>(checked(bw * bh * bd));
        int maxDx = plan.WindowX;

        // Which box rows (y + bh·z) hold a finite distance after the x pass and after the y pass: all-∞ rows are skipped.
        var finiteX = new bool[bh * bd];
        var finiteY = new bool[bh * bd];

        // Erosion only changes rows holding inside voxels, so only rows within the z window of one need the y pass.
        var insideRow = new bool[bh * bd];

        // Along x: distance to the nearest feature voxel of the row (feature = inside for dilation, outside for erosion).
        Parallel.For(z0, z1, parallel, () => new int[bw], (z, _, nearest) =>
        {
            for (int y = y0; y < y1; y++)
            {
                ReadOnlySpan<byte> row = voxels.AsSpan(x0 + (nx * (y + (ny * z))), bw);
                Span<float> target = distance.AsSpan(bw * ((y - y0) + (bh * (z - z0))), bw);
                insideRow[(y - y0) + (bh * (z - z0))] = dilate || row.IndexOfAnyExcept((byte)0) >= 0;
                int any = dilate ? row.IndexOfAnyExcept((byte)0) : row.IndexOf((byte)0);
                if (any < 0)
                {
                    target.Fill(float.PositiveInfinity);
                    continue;
                }

                finiteX[(y - y0) + (bh * (z - z0))] = true;
                int last = int.MinValue / 2;
                for (int x = 0; x < bw; x++)
                {
                    if ((row[x] != 0) == dilate)
                    {
                        last = x;
                    }

                    nearest[x] = x - last;
                }

                last = int.MaxValue / 2;
                for (int x = bw - 1; x >= 0; x--)
                {
                    if ((row[x] != 0) == dilate)
                    {
                        last = x;
                    }

                    int d = Math.Min(nearest[x], last - x);
                    target[x] = d > maxDx ? float.PositiveInfinity : MorphologyPlan.Weight(d, sx);
                }
            }

            return nearest;
        }, _ => { });
        options.Progress?.Report(0.3);

        // Along y and z: the squared distance is separable, D(y) = min over q of D(q) + Sy²(y − q)². Only |y − q| ≤ r/Sy can
        // stay within the radius, so a short window is scanned as whole contiguous rows (vectorised min-plus); a long one
        // uses the lower envelope of parabolas, whose cost does not depend on the radius.
        int windowY = plan.WindowY;
        int windowZ = plan.WindowZ;
        double sy2 = sy * sy;
        int boxSlice = bw * bh;
        if (windowY <= options.MaxMinPlusWindow)
        {
            Parallel.For(z0, z1, parallel, () => new float[boxSlice], (z, _, scratch) =>
            {
                int rowBase = bh * (z - z0);
                Span<float> slice = distance.AsSpan(boxSlice * (z - z0), boxSlice);
                for (int y = 0; y < bh; y++)
                {
                    if (finiteX[rowBase + y])
                    {
                        slice.Slice(bw * y, bw).CopyTo(scratch.AsSpan(bw * y, bw));
                    }
                }

                for (int y = 0; y < bh; y++)
                {
                    if (!dilate && !InsideWithin(insideRow, y, z - z0, bh, bd, windowZ))
                    {
                        continue; // no output row reads this one
                    }

                    int lo = Math.Max(0, y - windowY);
                    int hi = Math.Min(bh - 1, y + windowY);
                    if (Array.IndexOf(finiteX, true, rowBase + lo, hi - lo + 1) < 0)
                    {
                        continue; // every source row is ∞, and so is this row already
                    }

                    Span<float> target = slice.Slice(bw * y, bw);
                    for (int dy = 1; dy <= windowY; dy++)
                    {
                        float weight = MorphologyPlan.Weight(dy, sy);
                        if (y - dy >= 0 && finiteX[rowBase + y - dy])
                        {
                            MinPlus(scratch.AsSpan(bw * (y - dy), bw), target, weight);
                        }

                        if (y + dy < bh && finiteX[rowBase + y + dy])
                        {
                            MinPlus(scratch.AsSpan(bw * (y + dy), bw), target, weight);
                        }
                    }

                    finiteY[rowBase + y] = Cap(target, (float)limit);
                }

                return scratch;
            }, _ => { });
        }
        else
        {
            Parallel.For(z0, z1, parallel, () => new Envelope(bh), (z, _, envelope) =>
            {
                int sliceBase = boxSlice * (z - z0);
                for (int x = 0; x < bw; x++)
                {
                    envelope.Run(distance, sliceBase + x, bw, sy2, limit);
                }

                finiteY.AsSpan(bh * (z - z0), bh).Fill(true);

                return envelope;
            }, _ => { });
        }

        options.Progress?.Report(0.6);

        // Along z, thresholding into the result.
        if (windowZ <= options.MaxMinPlusWindow)
        {
            Parallel.For(z0, z1, parallel, () => new float[bw], (z, _, sum) =>
            {
                for (int y = 0; y < bh; y++)
                {
                    int voxelRow = x0 + (nx * (y0 + y + (ny * z)));
                    if (!insideRow[y + (bh * (z - z0))])
                    {
                        continue; // erosion of a row without inside voxels: it stays empty
                    }

                    bool any = false;
                    for (int dz = -windowZ; dz <= windowZ && !any; dz++)
                    {
                        any = z + dz >= z0 && z + dz < z1 && finiteY[y + (bh * (z + dz - z0))];
                    }

                    if (!any)
                    {
                        if (!dilate)
                        {
                            // No background within reach: the row keeps its inside voxels.
                            Threshold(ReadOnlySpan<float>.Empty, voxels.AsSpan(voxelRow, bw), result.AsSpan(voxelRow, bw), dilate, (float)limit);
                        }

                        continue;
                    }

                    int row = bw * (y + (bh * (z - z0)));
                    if (finiteY[y + (bh * (z - z0))])
                    {
                        distance.AsSpan(row, bw).CopyTo(sum);
                    }
                    else
                    {
                        sum.AsSpan().Fill(float.PositiveInfinity);
                    }

                    for (int dz = 1; dz <= windowZ; dz++)
                    {
                        float weight = MorphologyPlan.Weight(dz, sz);
                        if (z - dz >= z0 && finiteY[y + (bh * (z - dz - z0))])
                        {
                            MinPlus(distance.AsSpan(row - (dz * boxSlice), bw), sum, weight);
                        }

                        if (z + dz < z1 && finiteY[y + (bh * (z + dz - z0))])
                        {
                            MinPlus(distance.AsSpan(row + (dz * boxSlice), bw), sum, weight);
                        }
                    }

                    Threshold(sum, voxels.AsSpan(voxelRow, bw), result.AsSpan(voxelRow, bw), dilate, (float)limit);
                }

                return sum;
            }, _ => { });
        }
        else
        {
            double sz2 = sz * sz;
            Parallel.For(y0, y1, parallel, () => new Envelope(bd), (y, _, envelope) =>
            {
                for (int x = 0; x < bw; x++)
                {
                    int column = x + (bw * (y - y0));
                    envelope.Run(distance, column, boxSlice, sz2, double.PositiveInfinity);
                    for (int z = 0; z < bd; z++)
                    {
                        int voxel = x0 + x + (nx * (y + (ny * (z0 + z))));
                        float d = distance[column + (boxSlice * z)];
                        result[voxel] = dilate
                            ? (d <= (float)limit ? (byte)1 : (byte)0)
                            : (voxels[voxel] != 0 && d > (float)limit ? (byte)1 : (byte)0);
                    }
                }

                return envelope;
            }, _ => { });
        }

        return new Mask(mask.Geometry, result);
    }

    /// <summary>Whether box row y of some slice within <paramref name="window"/> of <paramref name="z"/> holds inside voxels.</summary>
    private static bool InsideWithin(bool[] insideRow, int y, int z, int height, int depth, int window)
    {
        for (int k = Math.Max(0, z - window); k <= Math.Min(depth - 1, z + window); k++)
        {
            if (insideRow[y + (height * k)])
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>target = min(target, source + weight), element-wise.</summary>
    private static void MinPlus(ReadOnlySpan<float> source, Span<float> target, float weight)
    {
        int x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var w = new Vector<float>(weight);
            for (; x <= target.Length - Vector<float>.Count; x += Vector<float>.Count)
            {
                Vector.Min(new Vector<float>(target[x..]), new Vector<float>(source[x..]) + w).CopyTo(target[x..]);
            }
        }

        for (; x < target.Length; x++)
        {
            target[x] = Math.Min(target[x], source[x] + weight);
        }
    }

    /// <summary>Values above the limit become ∞ (they can never come back within the radius); returns whether any value is finite.</summary>
    private static bool Cap(Span<float> values, float limit)
    {
        int x = 0;
        bool any = false;
        if (Vector.IsHardwareAccelerated)
        {
            var l = new Vector<float>(limit);
            var infinity = new Vector<float>(float.PositiveInfinity);
            for (; x <= values.Length - Vector<float>.Count; x += Vector<float>.Count)
            {
                var v = new Vector<float>(values[x..]);
                Vector<int> above = Vector.GreaterThan(v, l);
                any |= !Vector.EqualsAll(above, new Vector<int>(-1));
                Vector.ConditionalSelect(above, infinity, v).CopyTo(values[x..]);
            }
        }

        for (; x < values.Length; x++)
        {
            if (values[x] > limit)
            {
                values[x] = float.PositiveInfinity;
            }
            else
            {
                any = true;
            }
        }

        return any;
    }

    /// <summary>Writes one result row: dilation keeps distances within the limit; erosion keeps inside voxels beyond it.
    /// An empty distance span means every distance is ∞.</summary>
    private static void Threshold(ReadOnlySpan<float> distance, ReadOnlySpan<byte> voxels, Span<byte> result, bool dilate, float limit)
    {
        if (distance.IsEmpty)
        {
            for (int x = 0; x < voxels.Length; x++)
            {
                result[x] = dilate ? (byte)0 : (voxels[x] != 0 ? (byte)1 : (byte)0);
            }

            return;
        }

        for (int x = 0; x < distance.Length; x++)
        {
            result[x] = dilate
                ? (distance[x] <= limit ? (byte)1 : (byte)0)
                : (voxels[x] != 0 && distance[x] > limit ? (byte)1 : (byte)0);
        }
    }

    /// <summary>Scratch for the 1D lower envelope of parabolas f(q) + s²(p − q)² along one strided line.</summary>
    private sealed class Envelope
    {
        private readonly double[] _f;
        private readonly int[] _v;
        private readonly double[] _z;

        public Envelope(int length)
        {
            _f = new double[length];
            _v = new int[length];
            _z = new double[length + 1];
        }

        /// <summary>Replaces line[start + n·stride] by min over q of line[q] + s²(n − q)²; results above <paramref name="cap"/> become ∞.</summary>
        public void Run(float[] line, int start, int stride, double s2, double cap)
        {
            int n = _f.Length;
            double[] f = _f;
            int[] v = _v;
            double[] z = _z;
            int k = -1;
            for (int q = 0; q < n; q++)
            {
                double fq = line[start + (q * stride)];
                f[q] = fq;
                if (double.IsPositiveInfinity(fq))
                {
                    continue;
                }

                double s = double.NegativeInfinity;
                while (k >= 0)
                {
                    int p = v[k];
                    s = ((fq + (s2 * q * q)) - (f[p] + (s2 * p * p))) / (2 * s2 * (q - p));
                    if (s > z[k])
                    {
                        break;
                    }

                    k--;
                    s = double.NegativeInfinity;
                }

                k++;
                v[k] = q;
                z[k] = s;
            }

            if (k < 0)
            {
                return; // the whole line is ∞ already
            }

            z[k + 1] = double.PositiveInfinity;
            int j = 0;
            for (int q = 0; q < n; q++)
            {
                while (z[j + 1] < q)
                {
                    j++;
                }

                int p = v[j];
                double d = f[p] + (s2 * (q - p) * (q - p));
                line[start + (q * stride)] = d > cap ? float.PositiveInfinity : (float)d;
            }
        }
    }
}
