namespace VolumeMesh.Components;

/// <summary>How <see cref="ComponentSelector"/> chooses components.</summary>
public enum ComponentSelectionMode
{
    /// <summary>Every component (at least <see cref="ComponentSelection.MinimumVolumeMm3"/>).</summary>
    All,

    /// <summary>The <see cref="ComponentSelection.Count"/> largest components by voxel count (1 = the largest).</summary>
    Largest,

    /// <summary>The component containing the seed point (<see cref="ComponentSelection.SeedLps"/> or <see cref="ComponentSelection.SeedIndex"/>).</summary>
    Seed,
}
