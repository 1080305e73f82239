using VolumeMesh.Geometry;

namespace VolumeMesh.Volumes;

/// <summary>Resamples a volume with uneven slice spacing or gantry tilt onto a regular, orthogonal grid (one affine map),
/// as formats such as NRRD and NIfTI need.</summary>
/// <remarks>
/// The new grid keeps the row and column directions and the in-plane spacing; its slices are stacked along the slice
/// normal (no tilt) every <c>sliceSpacingMm</c>, from the first source slice to the last, and it is widened in plane so
/// that every source voxel of a tilted series lies inside it. Values are interpolated trilinearly in index space
/// (bilinear in the slice, linear between the two neighbouring slices along the stacking axis, whatever their spacing),
/// which reproduces a linear field exactly; a point outside the source volume gets <c>outsideValue</c>.
/// </remarks>
public static class VolumeResampler
{
    /// <summary>Resamples an int16 volume (HU) onto a regular grid.</summary>
    /// <param name="volume">The source volume.</param>
    /// <param name="sliceSpacingMm">The new slice spacing in mm.</param>
    /// <param name="outsideValue">The value of points outside the source (−1024 HU, air, by default).</param>
    /// <param name="cancellationToken">Cancels the work between slices.</param>
    /// <returns>The resampled volume; its geometry has uniform spacing and no tilt.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sliceSpacingMm"/> is not a positive finite number.</exception>
    /// <exception cref="OperationCanceledException">The work was cancelled.</exception>
    public static Volume<short> ToRegularGrid(Volume<short> volume, double sliceSpacingMm, short outsideValue = -1024, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        if (!(sliceSpacingMm > 0 && double.IsFinite(sliceSpacingMm)))
        {
            throw new ArgumentOutOfRangeException(nameof(sliceSpacingMm), sliceSpacingMm, "The slice spacing must be a positive number of millimetres.");
        }

        VolumeGeometry g = volume.Geometry;
        Vector3D origin0 = g.SlicePositions[0];
        Vector3D normal = g.Normal;
        double firstD = 0;
        double lastD = Vector3D.Dot(g.SlicePositions[^1] - origin0, normal);
        double step = lastD >= 0 ? sliceSpacingMm : -sliceSpacingMm;
        int sizeZ = (int)Math.Floor((Math.Abs(lastD - firstD) / sliceSpacingMm) + 1e-9) + 1;

        // In-plane extent: every slice's corners, projected on the row and column axes relative to the first slice.
        double minU = 0, maxU = 0, minV = 0, maxV = 0;
        foreach (Vector3D p in g.SlicePositions)
        {
            Vector3D shift = p - origin0;
            double u = Vector3D.Dot(shift, g.RowDirection);
            double v = Vector3D.Dot(shift, g.ColumnDirection);
            minU = Math.Min(minU, u);
            maxU = Math.Max(maxU, u + ((g.SizeX - 1) * g.SpacingX));
            minV = Math.Min(minV, v);
            maxV = Math.Max(maxV, v + ((g.SizeY - 1) * g.SpacingY));
        }

        int sizeX = (int)Math.Round((maxU - minU) / g.SpacingX) + 1;
        int sizeY = (int)Math.Round((maxV - minV) / g.SpacingY) + 1;
        Vector3D origin = origin0 + (g.RowDirection * minU) + (g.ColumnDirection * minV);
        var positions = new Vector3D[sizeZ];
        for (int k = 0; k < sizeZ; k++)
        {
            positions[k] = origin + (normal * (firstD + (k * step)));
        }

        var target = new VolumeGeometry(sizeX, sizeY, g.SpacingX, g.SpacingY, g.RowDirection, g.ColumnDirection, positions, step);
        var result = new Volume<short>(target);
        short[] source = volume.Voxels;
        short[] output = result.Voxels;
        Parallel.For(0, sizeZ, new ParallelOptions { CancellationToken = cancellationToken }, k =>
        {
            // The source index is affine in (i, j) within one output slice: find it at three points, then step.
            (double i0, double j0, double kk) = g.PatientToIndex(target.IndexToPatient(0, 0, k));
            (double i1, double j1, _) = g.PatientToIndex(target.IndexToPatient(1, 0, k));
            (double i2, double j2, _) = g.PatientToIndex(target.IndexToPatient(0, 1, k));
            double diI = i1 - i0, djI = j1 - j0, diJ = i2 - i0, djJ = j2 - j0;
            int sliceOffset = k * sizeX * sizeY;
            for (int j = 0; j < sizeY; j++)
            {
                for (int i = 0; i < sizeX; i++)
                {
                    double si = i0 + (i * diI) + (j * diJ);
                    double sj = j0 + (i * djI) + (j * djJ);
                    output[sliceOffset + (j * sizeX) + i] = Sample(source, g.SizeX, g.SizeY, g.SizeZ, si, sj, kk, outsideValue);
                }
            }
        });

        return result;
    }

    private static short Sample(short[] v, int nx, int ny, int nz, double i, double j, double k, short outside)
    {
        const double Eps = 1e-6;
        if (i < -Eps || j < -Eps || k < -Eps || i > nx - 1 + Eps || j > ny - 1 + Eps || k > nz - 1 + Eps)
        {
            return outside;
        }

        int x0 = Math.Clamp((int)Math.Floor(i), 0, Math.Max(0, nx - 2));
        int y0 = Math.Clamp((int)Math.Floor(j), 0, Math.Max(0, ny - 2));
        int z0 = Math.Clamp((int)Math.Floor(k), 0, Math.Max(0, nz - 2));
        int x1 = Math.Min(x0 + 1, nx - 1), y1 = Math.Min(y0 + 1, ny - 1), z1 = Math.Min(z0 + 1, nz - 1);
        double fx = Math.Clamp(i - x0, 0, 1), fy = Math.Clamp(j - y0, 0, 1), fz = Math.Clamp(k - z0, 0, 1);
        long plane = (long)nx * ny;
        double c00 = Lerp(v[(z0 * plane) + (y0 * nx) + x0], v[(z0 * plane) + (y0 * nx) + x1], fx);
        double c10 = Lerp(v[(z0 * plane) + (y1 * nx) + x0], v[(z0 * plane) + (y1 * nx) + x1], fx);
        double c01 = Lerp(v[(z1 * plane) + (y0 * nx) + x0], v[(z1 * plane) + (y0 * nx) + x1], fx);
        double c11 = Lerp(v[(z1 * plane) + (y1 * nx) + x0], v[(z1 * plane) + (y1 * nx) + x1], fx);
        double value = Lerp(Lerp(c00, c10, fy), Lerp(c01, c11, fy), fz);
        return (short)Math.Clamp(Math.Round(value), short.MinValue, short.MaxValue);
    }

    private static double Lerp(double a, double b, double t) => a + ((b - a) * t);
}
