using VolumeMesh.Components;
using VolumeMesh.Geometry;
using VolumeMesh.Volumes;

namespace VolumeMesh.Segmentation;

/// <summary>Splits a bone mask into one region per seed: touching bones (femoral head and acetabulum, vertebrae joined
/// through osteophytes or partial volume) become separate, non-overlapping parts.</summary>
/// <remarks>
/// <para>Method: a marker-controlled (seeded) watershed on the Euclidean distance transform (Beucher &amp; Meyer 1993;
/// Meyer's priority flood). Every inside voxel gets its distance to the outside (<see cref="DistanceTransform"/>);
/// bones are thick where they are whole and thin where they touch, so the distance is high inside each bone and low at
/// the contact. The flood starts from all seeds at once and always grows next the unlabelled face neighbour (6-connected,
/// as the mesh separates regions) of the deepest reached voxel, so each bone fills from its core and the floods meet at
/// the thinnest contact. Priorities are the distance quantised to 1/64 mm, kept in a bucket queue (one FIFO per level);
/// ties go to the voxel queued first, and seeds are queued in the order given, so the result is deterministic.</para>
/// <para>The regions are disjoint voxel sets that cover the inside voxels connected to a seed; inside voxels connected
/// to no seed get label 0 and are left out. Meshed separately (each region as its own mask), the parts' surfaces meet
/// where the regions touch — on the same mid-edge vertices — but never cross.</para>
/// <para>The distance alone decides: a joint space that is open in the threshold needs no separation, and a contact as
/// thick as the bones themselves (a fused joint) is split where the floods happen to meet.</para>
/// </remarks>
public static class BoneSeparation
{
    private const int LevelsPerMm = 64;

    /// <summary>Splits <paramref name="mask"/> into one region per seed.</summary>
    /// <param name="mask">The bone mask.</param>
    /// <param name="seedsLps">One patient point per bone, LPS mm; each must lie inside the mask or within
    /// <see cref="SeparationOptions.SeedSearchRadiusMm"/> of it.</param>
    /// <param name="options">Options; <see cref="SeparationOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>Labels 1..seeds in seed order (0 outside every region); statistics per label.</returns>
    /// <exception cref="ArgumentException">No seed is given, a seed is not finite, no inside voxel lies near a seed, or two
    /// seeds fall on the same voxel.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static LabelVolume Separate(Mask mask, IReadOnlyList<Vector3D> seedsLps, SeparationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(seedsLps);
        options ??= SeparationOptions.Default;
        if (seedsLps.Count == 0)
        {
            throw new ArgumentException("Separation needs at least one seed.", nameof(seedsLps));
        }

        if (seedsLps.Count > ushort.MaxValue)
        {
            throw new ArgumentException($"{seedsLps.Count} seeds are too many (at most {ushort.MaxValue}).", nameof(seedsLps));
        }

        var g = mask.Geometry;
        var seedVoxels = new long[seedsLps.Count];
        for (int s = 0; s < seedsLps.Count; s++)
        {
            seedVoxels[s] = FindSeedVoxel(mask, seedsLps[s], s, options.SeedSearchRadiusMm);
            for (int t = 0; t < s; t++)
            {
                if (seedVoxels[t] == seedVoxels[s])
                {
                    throw new ArgumentException($"Seeds {t + 1} {seedsLps[t]} and {s + 1} {seedsLps[s]} fall on the same voxel; give one seed per bone.", nameof(seedsLps));
                }
            }
        }

        Volume<float> distance = DistanceTransform.Compute(mask, options.MaxDegreeOfParallelism, cancellationToken);
        float[] d = distance.Voxels;
        byte[] inside = mask.Voxels;
        int nx = g.SizeX, ny = g.SizeY, nz = g.SizeZ;
        long slice = (long)nx * ny;
        var labels = new int[inside.Length];
        long total = 0;
        foreach (byte b in inside)
        {
            total += b != 0 ? 1 : 0;
        }

        // Levels are monotone: a voxel is queued at min(its level, the level being flooded), never above it, so a bucket
        // queue (one FIFO per level, the deepest first) pops in the same order as a priority queue keyed by (level, order).
        float maxDistance = 0;
        foreach (float value in d)
        {
            maxDistance = Math.Max(maxDistance, value);
        }

        var buckets = new List<int>?[(int)(maxDistance * LevelsPerMm) + 1];
        int LevelOf(int v) => (int)(d[v] * LevelsPerMm);
        void Push(int v, int level) => (buckets[level] ??= []).Add(v);

        for (int s = 0; s < seedVoxels.Length; s++)
        {
            int v = (int)seedVoxels[s];
            labels[v] = s + 1;
            Push(v, LevelOf(v));
        }

        long done = 0;
        for (int level = buckets.Length - 1; level >= 0; level--)
        {
            List<int>? bucket = buckets[level];
            if (bucket is null)
            {
                continue;
            }

            // The bucket grows while it is read (neighbours at this level join its end).
            for (int at = 0; at < bucket.Count; at++)
            {
                int v = bucket[at];
                if ((++done & 0xFFFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    options.Progress?.Report((double)done / total);
                }

                int label = labels[v];
                int i = (int)(v % nx);
                int j = (int)(v / nx % ny);
                int k = (int)(v / slice);
                if (i > 0)
                {
                    Visit(v - 1);
                }

                if (i < nx - 1)
                {
                    Visit(v + 1);
                }

                if (j > 0)
                {
                    Visit(v - nx);
                }

                if (j < ny - 1)
                {
                    Visit(v + nx);
                }

                if (k > 0)
                {
                    Visit((int)(v - slice));
                }

                if (k < nz - 1)
                {
                    Visit((int)(v + slice));
                }

                void Visit(int q)
                {
                    if (inside[q] != 0 && labels[q] == 0)
                    {
                        labels[q] = label;
                        Push(q, Math.Min(level, LevelOf(q)));
                    }
                }
            }

            buckets[level] = null;
        }

        options.Progress?.Report(1);
        return new LabelVolume(g, labels, seedsLps.Count);
    }

    /// <summary>The seed's voxel, or the nearest inside voxel within the search radius.</summary>
    private static long FindSeedVoxel(Mask mask, Vector3D seed, int index, double radiusMm)
    {
        if (!seed.IsFinite)
        {
            throw new ArgumentException($"Seed {index + 1} {seed} is not finite.", nameof(seed));
        }

        var g = mask.Geometry;
        (double fi, double fj, double fk) = g.PatientToIndex(seed);
        int ci = (int)Math.Round(fi), cj = (int)Math.Round(fj), ck = (int)Math.Round(fk);
        int ri = (int)Math.Ceiling(radiusMm / g.SpacingX) + 1;
        int rj = (int)Math.Ceiling(radiusMm / g.SpacingY) + 1;
        int rk = (int)Math.Ceiling(radiusMm / Math.Max(1e-6, g.SliceSpacingMin)) + 1;
        long best = -1;
        double bestDistance = double.PositiveInfinity;
        for (int k = Math.Max(0, ck - rk); k <= Math.Min(g.SizeZ - 1, ck + rk); k++)
        {
            for (int j = Math.Max(0, cj - rj); j <= Math.Min(g.SizeY - 1, cj + rj); j++)
            {
                for (int i = Math.Max(0, ci - ri); i <= Math.Min(g.SizeX - 1, ci + ri); i++)
                {
                    if (!mask[i, j, k])
                    {
                        continue;
                    }

                    double distance = (g.IndexToPatient(i, j, k) - seed).Length;
                    if (distance < bestDistance)
                    {
                        bestDistance = distance;
                        best = mask.Volume.IndexOf(i, j, k);
                    }
                }
            }
        }

        // A seed inside a voxel's cell is always accepted; beyond that, within the search radius.
        double cell = 0.5 * Math.Sqrt((g.SpacingX * g.SpacingX) + (g.SpacingY * g.SpacingY) + (g.SliceSpacingMax * g.SliceSpacingMax));
        if (best < 0 || bestDistance > Math.Max(radiusMm, cell))
        {
            throw new ArgumentException(
                $"Seed {index + 1} {seed} mm: no bone voxel within {radiusMm} mm (is the point inside the volume and on the bone, in LPS millimetres?).",
                nameof(seed));
        }

        return best;
    }
}
