using VolumeMesh.Geometry;
using VolumeMesh.Volumes;

namespace VolumeMesh.Segmentation;

/// <summary>
/// Where and how far a dilation or erosion by a ball must look: the box around the mask, the squared radius with its
/// tolerance, and the per-axis window half-widths. Shared by the managed and the GPU morphology so both see the same numbers.
/// </summary>
internal sealed record MorphologyPlan(
    int X0, int Y0, int Z0, int X1, int Y1, int Z1, double SpacingX, double SpacingY, double SpacingZ, double Limit, int WindowX, int WindowY, int WindowZ)
{
    /// <summary>Relative tolerance on r², so that voxels lying exactly on the sphere count despite rounding.</summary>
    public const double RelativeTolerance = 1e-5;

    public int Width => X1 - X0;

    public int Height => Y1 - Y0;

    public int Depth => Z1 - Z0;

    /// <summary>The squared distance in mm² of <paramref name="steps"/> voxels along an axis of the given spacing, as stored (float).</summary>
    public static float Weight(int steps, double spacing) => (float)(steps * spacing * (steps * spacing));

    /// <summary>The plan, or <see langword="null"/> when the mask is empty (both operations then return an empty mask).</summary>
    public static MorphologyPlan? Create(Mask mask, bool dilate, double radiusMm, ParallelOptions parallel)
    {
        int nx = mask.Geometry.SizeX;
        int ny = mask.Geometry.SizeY;
        int nz = mask.Geometry.SizeZ;
        (int X0, int Y0, int Z0, int X1, int Y1, int Z1)? bounds = Bounds(mask.Voxels, nx, ny, nz, parallel);
        if (bounds is null)
        {
            return null;
        }

        return FromBounds(mask.Geometry, dilate, radiusMm, bounds.Value);
    }

    /// <summary>The plan for a mask whose non-zero voxels span [x0, x1) × [y0, y1) × [z0, z1) (found elsewhere, e.g. on a device).</summary>
    public static MorphologyPlan FromBounds(VolumeGeometry geometry, bool dilate, double radiusMm, (int X0, int Y0, int Z0, int X1, int Y1, int Z1) bounds)
    {
        int nx = geometry.SizeX;
        int ny = geometry.SizeY;
        int nz = geometry.SizeZ;
        double sx = geometry.SpacingX;
        double sy = geometry.SpacingY;
        double sz = geometry.SliceSpacingMean;
        double limit = radiusMm * radiusMm * (1 + RelativeTolerance);
        (int x0, int y0, int z0, int x1, int y1, int z1) = bounds;

        // Dilation reaches at most the radius beyond the mask; the nearest background of a voxel in the mask's bounds
        // lies within one voxel of those bounds (clamping any farther one onto that layer only brings it closer).
        int gx = dilate ? (int)Math.Ceiling(radiusMm / sx) : 1;
        int gy = dilate ? (int)Math.Ceiling(radiusMm / sy) : 1;
        int gz = dilate ? (int)Math.Ceiling(radiusMm / sz) : 1;
        double reach = Math.Sqrt(limit);
        return new MorphologyPlan(
            Math.Max(0, x0 - gx),
            Math.Max(0, y0 - gy),
            Math.Max(0, z0 - gz),
            Math.Min(nx, x1 + gx),
            Math.Min(ny, y1 + gy),
            Math.Min(nz, z1 + gz),
            sx,
            sy,
            sz,
            limit,
            (int)Math.Floor(reach / sx),
            (int)Math.Floor(reach / sy),
            (int)Math.Floor(reach / sz));
    }

    private static (int X0, int Y0, int Z0, int X1, int Y1, int Z1)? Bounds(byte[] voxels, int nx, int ny, int nz, ParallelOptions parallel)
    {
        var slices = new (int X0, int Y0, int X1, int Y1)[nz];
        Parallel.For(0, nz, parallel, z =>
        {
            int xMin = int.MaxValue, xMax = -1, yMin = int.MaxValue, yMax = -1;
            for (int y = 0; y < ny; y++)
            {
                ReadOnlySpan<byte> row = voxels.AsSpan(nx * (y + (ny * z)), nx);
                int first = row.IndexOfAnyExcept((byte)0);
                if (first < 0)
                {
                    continue;
                }

                int last = row.LastIndexOfAnyExcept((byte)0);
                xMin = Math.Min(xMin, first);
                xMax = Math.Max(xMax, last);
                yMin = Math.Min(yMin, y);
                yMax = y;
            }

            slices[z] = (xMin, yMin, xMax + 1, yMax + 1);
        });

        int x0 = int.MaxValue, y0 = int.MaxValue, z0 = int.MaxValue, x1 = -1, y1 = -1, z1 = -1;
        for (int z = 0; z < nz; z++)
        {
            if (slices[z].X1 <= 0)
            {
                continue;
            }

            x0 = Math.Min(x0, slices[z].X0);
            y0 = Math.Min(y0, slices[z].Y0);
            x1 = Math.Max(x1, slices[z].X1);
            y1 = Math.Max(y1, slices[z].Y1);
            z0 = Math.Min(z0, z);
            z1 = z + 1;
        }

        return z1 < 0 ? null : (x0, y0, z0, x1, y1, z1);
    }
}
