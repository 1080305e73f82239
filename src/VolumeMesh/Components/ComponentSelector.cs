using VolumeMesh.Geometry;
using VolumeMesh.Volumes;

namespace VolumeMesh.Components;

/// <summary>Chooses connected components (largest, N largest, above a volume, at a seed) and turns them into a mask.</summary>
public static class ComponentSelector
{
    /// <summary>The labels a selection keeps, in ascending order.</summary>
    /// <param name="labels">The labelled volume.</param>
    /// <param name="selection">What to keep.</param>
    /// <returns>The kept labels (empty when there is no component).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="ComponentSelection.Count"/> is below 1, or the minimum volume or search radius is negative or not finite.</exception>
    /// <exception cref="ArgumentException">Seed mode without a seed; the seed lies outside the volume; or the seed voxel is background and no
    /// component lies within <see cref="ComponentSelection.SeedSearchRadiusMm"/>. The message names the seed.</exception>
    public static IReadOnlyList<int> SelectLabels(LabelVolume labels, ComponentSelection selection)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(selection);
        return SelectLabels(labels.Statistics, labels.Geometry, (i, j, k) => labels[i, j, k], selection);
    }

    /// <summary>The selection on component statistics and a label lookup, so that it also runs on labelled runs without a label volume.</summary>
    internal static IReadOnlyList<int> SelectLabels(
        IReadOnlyList<ComponentStatistics> statistics, VolumeGeometry geometry, Func<int, int, int, int> labelAt, ComponentSelection selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        if (!(selection.MinimumVolumeMm3 >= 0) || !double.IsFinite(selection.MinimumVolumeMm3))
        {
            throw new ArgumentOutOfRangeException(nameof(selection), selection.MinimumVolumeMm3, "The minimum volume must be a finite number of mm³, at least 0.");
        }

        switch (selection.Mode)
        {
            case ComponentSelectionMode.All:
            case ComponentSelectionMode.Largest:
            {
                if (selection.Mode == ComponentSelectionMode.Largest && selection.Count < 1)
                {
                    throw new ArgumentOutOfRangeException(nameof(selection), selection.Count, "The number of largest components to keep must be at least 1.");
                }

                var candidates = new List<ComponentStatistics>();
                foreach (ComponentStatistics c in statistics)
                {
                    if (c.VolumeMm3 >= selection.MinimumVolumeMm3)
                    {
                        candidates.Add(c);
                    }
                }

                if (selection.Mode == ComponentSelectionMode.Largest)
                {
                    candidates.Sort(static (a, b) => a.VoxelCount != b.VoxelCount ? b.VoxelCount.CompareTo(a.VoxelCount) : a.Label.CompareTo(b.Label));
                    if (candidates.Count > selection.Count)
                    {
                        candidates.RemoveRange(selection.Count, candidates.Count - selection.Count);
                    }
                }

                var result = new int[candidates.Count];
                for (int n = 0; n < result.Length; n++)
                {
                    result[n] = candidates[n].Label;
                }

                Array.Sort(result);
                return result;
            }

            case ComponentSelectionMode.Seed:
                return [SeedLabel(geometry, labelAt, selection)];
            default:
                throw new ArgumentOutOfRangeException(nameof(selection), selection.Mode, "Unknown selection mode.");
        }
    }

    /// <summary>A mask of the components a selection keeps.</summary>
    /// <param name="labels">The labelled volume.</param>
    /// <param name="selection">What to keep.</param>
    /// <returns>The mask (1 inside kept components), with the labels' geometry.</returns>
    /// <exception cref="ArgumentException">See <see cref="SelectLabels(LabelVolume, ComponentSelection)"/>.</exception>
    public static Mask Select(LabelVolume labels, ComponentSelection selection) => labels.CreateMask(SelectLabels(labels, selection));

    /// <summary>The label of the component at (or, within the search radius, nearest to) the seed.</summary>
    /// <param name="labels">The labelled volume.</param>
    /// <param name="selection">A seed-mode selection.</param>
    /// <returns>The label, 1..N.</returns>
    /// <exception cref="ArgumentException">No seed, a seed outside the volume, or no component at or near the seed.</exception>
    public static int SeedLabel(LabelVolume labels, ComponentSelection selection)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(selection);
        return SeedLabel(labels.Geometry, (i, j, k) => labels[i, j, k], selection);
    }

    private static int SeedLabel(VolumeGeometry g, Func<int, int, int, int> labelAt, ComponentSelection selection)
    {
        if (!(selection.SeedSearchRadiusMm >= 0) || !double.IsFinite(selection.SeedSearchRadiusMm))
        {
            throw new ArgumentOutOfRangeException(nameof(selection), selection.SeedSearchRadiusMm, "The seed search radius must be a finite number of mm, at least 0.");
        }

        string where;
        double si, sj, sk;
        if (selection.SeedLps is Vector3D lps)
        {
            (si, sj, sk) = g.PatientToIndex(lps);
            where = FormattableString.Invariant($"seed {lps} mm LPS (voxel {si:F2}, {sj:F2}, {sk:F2})");
        }
        else if (selection.SeedIndex is VoxelIndex index)
        {
            (si, sj, sk) = (index.I, index.J, index.K);
            where = $"seed voxel {index}";
        }
        else
        {
            throw new ArgumentException("Seed selection needs a seed: set SeedLps or SeedIndex.", nameof(selection));
        }

        int i = (int)Math.Round(si, MidpointRounding.AwayFromZero);
        int j = (int)Math.Round(sj, MidpointRounding.AwayFromZero);
        int k = (int)Math.Round(sk, MidpointRounding.AwayFromZero);
        if (!double.IsFinite(si) || !double.IsFinite(sj) || !double.IsFinite(sk)
            || i < 0 || j < 0 || k < 0 || i >= g.SizeX || j >= g.SizeY || k >= g.SizeZ)
        {
            throw new ArgumentException($"The {where} lies outside the volume ({g.SizeX}×{g.SizeY}×{g.SizeZ} voxels).", nameof(selection));
        }

        int label = labelAt(i, j, k);
        if (label != 0)
        {
            return label;
        }

        double radius = selection.SeedSearchRadiusMm;
        if (radius > 0)
        {
            double sz = g.SliceSpacingMean;
            int ri = (int)Math.Ceiling(radius / g.SpacingX);
            int rj = (int)Math.Ceiling(radius / g.SpacingY);
            int rk = (int)Math.Ceiling(radius / sz);
            double best = double.PositiveInfinity;
            int bestLabel = 0;
            for (int kk = Math.Max(0, k - rk); kk <= Math.Min(g.SizeZ - 1, k + rk); kk++)
            {
                for (int jj = Math.Max(0, j - rj); jj <= Math.Min(g.SizeY - 1, j + rj); jj++)
                {
                    for (int ii = Math.Max(0, i - ri); ii <= Math.Min(g.SizeX - 1, i + ri); ii++)
                    {
                        int l = labelAt(ii, jj, kk);
                        if (l == 0)
                        {
                            continue;
                        }

                        double dx = (ii - i) * g.SpacingX;
                        double dy = (jj - j) * g.SpacingY;
                        double dz = (kk - k) * sz;
                        double d2 = (dx * dx) + (dy * dy) + (dz * dz);
                        if (d2 <= radius * radius && (d2 < best || (d2 == best && l < bestLabel)))
                        {
                            best = d2;
                            bestLabel = l;
                        }
                    }
                }
            }

            if (bestLabel != 0)
            {
                return bestLabel;
            }
        }

        throw new ArgumentException(
            FormattableString.Invariant($"The {where} is background, and no component lies within {radius:G4} mm of it."),
            nameof(selection));
    }
}
