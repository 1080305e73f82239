using VolumeMesh.Geometry;
using VolumeMesh.Planning;
using VolumeMesh.Volumes;

namespace VolumeMesh.Segmentation;

/// <summary>A region of interest: an axis-aligned box in patient LPS millimetres.</summary>
/// <remarks>
/// <para>A voxel is kept when its centre lies in the box (bounds inclusive). The volume may be tilted or oblique: the
/// box is in patient axes, not index axes, so on an oblique series its faces cut the voxel grid at an angle and the cut
/// follows the voxel centres (a staircase of at most one voxel).</para>
/// <para>Cropping is a mask intersection, so the mesh of the cropped mask is capped where the box cuts the bone:
/// marching cubes on a mask (<see cref="Meshing.MarchingCubes.FromMaskedRange{T}"/>) closes the surface between the
/// kept voxels and the cut-away ones, as it does at the volume border.</para>
/// </remarks>
public sealed record CropBox
{
    /// <summary>Creates a box from two opposite corners (in any order).</summary>
    /// <param name="cornerA">One corner, LPS mm.</param>
    /// <param name="cornerB">The opposite corner, LPS mm.</param>
    /// <exception cref="ArgumentException">A corner is not finite, or the box is empty along an axis.</exception>
    public CropBox(Vector3D cornerA, Vector3D cornerB)
    {
        if (!cornerA.IsFinite || !cornerB.IsFinite)
        {
            throw new ArgumentException($"The crop box corners {cornerA} and {cornerB} must be finite.", nameof(cornerA));
        }

        MinLps = new Vector3D(Math.Min(cornerA.X, cornerB.X), Math.Min(cornerA.Y, cornerB.Y), Math.Min(cornerA.Z, cornerB.Z));
        MaxLps = new Vector3D(Math.Max(cornerA.X, cornerB.X), Math.Max(cornerA.Y, cornerB.Y), Math.Max(cornerA.Z, cornerB.Z));
        if (MinLps.X == MaxLps.X || MinLps.Y == MaxLps.Y || MinLps.Z == MaxLps.Z)
        {
            throw new ArgumentException($"The crop box {MinLps}–{MaxLps} is flat; it needs an extent along every axis.", nameof(cornerB));
        }
    }

    /// <summary>The smallest corner, LPS mm.</summary>
    public Vector3D MinLps { get; }

    /// <summary>The largest corner, LPS mm.</summary>
    public Vector3D MaxLps { get; }

    /// <summary>Whether a patient point lies in the box (bounds inclusive).</summary>
    /// <param name="pointLps">The point, LPS mm.</param>
    /// <returns>True inside.</returns>
    public bool Contains(Vector3D pointLps) =>
        pointLps.X >= MinLps.X && pointLps.X <= MaxLps.X && pointLps.Y >= MinLps.Y && pointLps.Y <= MaxLps.Y && pointLps.Z >= MinLps.Z && pointLps.Z <= MaxLps.Z;

    /// <summary>Parses <c>x0,y0,z0:x1,y1,z1</c> (two opposite corners, mm, invariant culture).</summary>
    /// <param name="text">The text.</param>
    /// <param name="box">The box when valid.</param>
    /// <returns>Whether the text is two finite corners spanning a box.</returns>
    public static bool TryParse(string? text, out CropBox? box)
    {
        box = null;
        string[] corners = (text ?? string.Empty).Split(':');
        if (corners.Length != 2 || !PlanningPoint.TryParse(corners[0], out Vector3D a) || !PlanningPoint.TryParse(corners[1], out Vector3D b))
        {
            return false;
        }

        if (a.X == b.X || a.Y == b.Y || a.Z == b.Z)
        {
            return false;
        }

        box = new CropBox(a, b);
        return true;
    }

    /// <summary>The mask with every voxel whose centre lies outside the box cleared.</summary>
    /// <param name="mask">The mask; not changed.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A new mask.</returns>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public Mask Apply(Mask mask, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mask);
        VolumeGeometry g = mask.Geometry;
        var result = new byte[mask.Voxels.Length];
        byte[] source = mask.Voxels;
        int nx = g.SizeX;
        int ny = g.SizeY;
        Parallel.For(0, g.SizeZ, new ParallelOptions { CancellationToken = cancellationToken }, k =>
        {
            for (int j = 0; j < ny; j++)
            {
                // Along a row the centre moves linearly: p(i) = p0 + i·StepI; the kept i form one interval.
                Vector3D p0 = g.IndexToPatient(0, j, k);
                (double lo, double hi) = (0, nx - 1);
                Clip(p0.X, g.StepI.X, MinLps.X, MaxLps.X, ref lo, ref hi);
                Clip(p0.Y, g.StepI.Y, MinLps.Y, MaxLps.Y, ref lo, ref hi);
                Clip(p0.Z, g.StepI.Z, MinLps.Z, MaxLps.Z, ref lo, ref hi);
                int first = (int)Math.Ceiling(lo - 1e-9);
                int last = (int)Math.Floor(hi + 1e-9);
                if (first > last)
                {
                    continue;
                }

                first = Math.Max(first, 0);
                last = Math.Min(last, nx - 1);
                int offset = nx * (j + (ny * k));
                source.AsSpan(offset + first, last - first + 1).CopyTo(result.AsSpan(offset + first));
            }
        });

        return new Mask(g, result);
    }

    /// <summary>Narrows [lo, hi] to the i with min ≤ start + i·step ≤ max.</summary>
    private static void Clip(double start, double step, double min, double max, ref double lo, ref double hi)
    {
        if (Math.Abs(step) < 1e-12)
        {
            if (start < min - 1e-9 || start > max + 1e-9)
            {
                lo = 1;
                hi = 0;
            }

            return;
        }

        double a = (min - start) / step;
        double b = (max - start) / step;
        lo = Math.Max(lo, Math.Min(a, b));
        hi = Math.Min(hi, Math.Max(a, b));
    }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"{MinLps}–{MaxLps} mm");
}
