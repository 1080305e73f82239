using VolumeMesh.Geometry;

namespace VolumeMesh.Planning;

/// <summary>Options of <see cref="SphereFitter"/> and <see cref="CupFitter"/>: which part of the surface to fit.</summary>
public sealed record SphereFitOptions
{
    /// <summary>Creates options.</summary>
    /// <param name="seedLps">A point near the centre of the sphere (the femoral head, the acetabulum), LPS mm.</param>
    /// <param name="searchRadiusMm">Only vertices within this distance of the seed are fitted, in mm.</param>
    /// <exception cref="ArgumentException">The seed is not finite or the radius is not a positive finite number.</exception>
    public SphereFitOptions(Vector3D seedLps, double searchRadiusMm)
    {
        if (!seedLps.IsFinite)
        {
            throw new ArgumentException($"The seed {seedLps} is not finite.", nameof(seedLps));
        }

        if (!(searchRadiusMm > 0) || !double.IsFinite(searchRadiusMm))
        {
            throw new ArgumentException($"The search radius must be a positive finite number of millimetres, not {searchRadiusMm}.", nameof(searchRadiusMm));
        }

        SeedLps = seedLps;
        SearchRadiusMm = searchRadiusMm;
    }

    /// <summary>A point near the centre of the sphere, LPS mm.</summary>
    public Vector3D SeedLps { get; init; }

    /// <summary>Only vertices within this distance of the seed are fitted, in mm.</summary>
    public double SearchRadiusMm { get; init; }

    /// <summary>Whether to refit without the vertices whose residual exceeds <see cref="OutlierFactor"/> × RMS (and
    /// <see cref="OutlierFloorMm"/>) until none is dropped: the neck of a femur or a rim face inside the search ball then stops
    /// pulling the sphere. On by default.</summary>
    public bool TrimOutliers { get; init; } = true;

    /// <summary>Residuals above this many RMS are outliers (default 3).</summary>
    public double OutlierFactor { get; init; } = 3;

    /// <summary>Residuals at or below this, in mm, are never outliers (default 0.1 mm).</summary>
    public double OutlierFloorMm { get; init; } = 0.1;

    /// <summary>Most Gauss–Newton iterations per fit (default 100).</summary>
    public int MaxIterations { get; init; } = 100;
}
