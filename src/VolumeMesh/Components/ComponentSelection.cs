using VolumeMesh.Geometry;

namespace VolumeMesh.Components;

/// <summary>Which connected components to keep.</summary>
/// <remarks>
/// <para><see cref="MinimumVolumeMm3"/> first removes every component smaller than it (in every mode but
/// <see cref="ComponentSelectionMode.Seed"/>); the mode then chooses among the rest. Ties in size are broken by the
/// smaller label (the earlier first voxel), so the choice is deterministic.</para>
/// <para>Seed mode: the seed is given in patient LPS millimetres (<see cref="SeedLps"/>, mapped through
/// <see cref="VolumeGeometry.PatientToIndex"/> and rounded to the nearest voxel) or as a voxel index
/// (<see cref="SeedIndex"/>). When the seed voxel is background, the component with the voxel nearest to the
/// seed (Euclidean distance in mm between voxel centres, ties to the smaller label) within
/// <see cref="SeedSearchRadiusMm"/> is chosen; with the default radius 0 a background seed is an error.</para>
/// </remarks>
public sealed record ComponentSelection
{
    /// <summary>Keep every component.</summary>
    public static ComponentSelection All { get; } = new() { Mode = ComponentSelectionMode.All };

    /// <summary>Keep the largest component.</summary>
    public static ComponentSelection LargestOnly { get; } = new() { Mode = ComponentSelectionMode.Largest, Count = 1 };

    /// <summary>The selection mode; <see cref="ComponentSelectionMode.Largest"/> by default.</summary>
    public ComponentSelectionMode Mode { get; init; } = ComponentSelectionMode.Largest;

    /// <summary>How many of the largest components to keep in <see cref="ComponentSelectionMode.Largest"/> mode (at least 1; default 1).</summary>
    public int Count { get; init; } = 1;

    /// <summary>Components below this volume in mm³ are dropped (not applied in seed mode); 0 by default.</summary>
    public double MinimumVolumeMm3 { get; init; }

    /// <summary>The seed in patient LPS millimetres (seed mode); takes precedence over <see cref="SeedIndex"/>.</summary>
    public Vector3D? SeedLps { get; init; }

    /// <summary>The seed as a voxel index (seed mode).</summary>
    public VoxelIndex? SeedIndex { get; init; }

    /// <summary>How far from a background seed to look for the nearest component, in mm; 0 (the default) makes a background seed an error.</summary>
    public double SeedSearchRadiusMm { get; init; }

    /// <summary>Keep the <paramref name="count"/> largest components.</summary>
    /// <param name="count">How many, at least 1.</param>
    /// <returns>The selection.</returns>
    public static ComponentSelection Largest(int count = 1) => new() { Mode = ComponentSelectionMode.Largest, Count = count };

    /// <summary>Keep every component of at least <paramref name="volumeMm3"/>.</summary>
    /// <param name="volumeMm3">The smallest volume kept, in mm³.</param>
    /// <returns>The selection.</returns>
    public static ComponentSelection AboveVolume(double volumeMm3) => new() { Mode = ComponentSelectionMode.All, MinimumVolumeMm3 = volumeMm3 };

    /// <summary>Keep the component containing a patient position.</summary>
    /// <param name="seedLps">The seed in patient LPS mm.</param>
    /// <param name="searchRadiusMm">How far to look when the seed voxel is background (0: an error).</param>
    /// <returns>The selection.</returns>
    public static ComponentSelection AtSeed(Vector3D seedLps, double searchRadiusMm = 0) =>
        new() { Mode = ComponentSelectionMode.Seed, SeedLps = seedLps, SeedSearchRadiusMm = searchRadiusMm };

    /// <summary>Keep the component containing a voxel.</summary>
    /// <param name="seed">The seed voxel index.</param>
    /// <param name="searchRadiusMm">How far to look when the seed voxel is background (0: an error).</param>
    /// <returns>The selection.</returns>
    public static ComponentSelection AtSeed(VoxelIndex seed, double searchRadiusMm = 0) =>
        new() { Mode = ComponentSelectionMode.Seed, SeedIndex = seed, SeedSearchRadiusMm = searchRadiusMm };
}
