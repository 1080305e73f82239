using System.Globalization;
using VolumeMesh.Geometry;
using VolumeMesh.Meshing;

namespace VolumeMesh.Planning;

/// <summary>A named patient point (an entry point, the rotation centre, a pedicle) shown as a small closed sphere.</summary>
public sealed record Landmark
{
    /// <summary>The default sphere radius, in mm.</summary>
    public const double DefaultRadiusMm = 2;

    /// <summary>Creates a landmark.</summary>
    /// <param name="name">The name (becomes the part name <c>landmark-NAME</c>).</param>
    /// <param name="positionLps">The point, LPS mm.</param>
    /// <param name="radiusMm">The sphere radius in mm.</param>
    /// <exception cref="ArgumentException">The name is empty, the point is not finite or the radius is not a positive finite number.</exception>
    public Landmark(string name, Vector3D positionLps, double radiusMm = DefaultRadiusMm)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!positionLps.IsFinite)
        {
            throw new ArgumentException($"Landmark '{name}': the point {positionLps} is not finite.", nameof(positionLps));
        }

        if (!(radiusMm > 0) || !double.IsFinite(radiusMm))
        {
            throw new ArgumentException($"Landmark '{name}': the radius must be a positive finite number of millimetres, not {radiusMm}.", nameof(radiusMm));
        }

        Name = name;
        PositionLps = positionLps;
        RadiusMm = radiusMm;
    }

    /// <summary>The name.</summary>
    public string Name { get; }

    /// <summary>The point, LPS mm.</summary>
    public Vector3D PositionLps { get; }

    /// <summary>The sphere radius in mm.</summary>
    public double RadiusMm { get; }

    /// <summary>Parses <c>NAME:X,Y,Z</c>.</summary>
    /// <param name="text">The text, e.g. <c>entry:12,-40,101.5</c>.</param>
    /// <param name="radiusMm">The sphere radius given to the landmark.</param>
    /// <param name="landmark">The landmark when valid.</param>
    /// <returns>Whether the text is a non-empty name, a colon and a point.</returns>
    public static bool TryParse(string? text, double radiusMm, out Landmark? landmark)
    {
        landmark = null;
        int colon = (text ?? string.Empty).IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !PlanningPoint.TryParse(text![(colon + 1)..], out Vector3D point) || string.IsNullOrWhiteSpace(text[..colon]))
        {
            return false;
        }

        if (!(radiusMm > 0) || !double.IsFinite(radiusMm))
        {
            return false;
        }

        landmark = new Landmark(text[..colon].Trim(), point, radiusMm);
        return true;
    }

    /// <summary>The landmark as a closed icosphere (subdivision 2: 320 triangles).</summary>
    /// <returns>The sphere mesh.</returns>
    public Mesh CreateMesh() => PlanningShapes.Icosphere(PositionLps, RadiusMm, 2);

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} {PositionLps}");
}
