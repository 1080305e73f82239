using System.Globalization;
using VolumeMesh.Geometry;

namespace VolumeMesh.Planning;

/// <summary>An acetabular cup (or socket) measured on a surface: its sphere, its rim plane and its orientation.</summary>
/// <remarks>Angles follow Murray's radiographic definitions (Murray 1993, J Bone Joint Surg Br 75:228), relative to the
/// patient axes of the DICOM LPS frame: <see cref="InclinationDegrees"/> is the angle between the longitudinal (S) axis
/// and the cup axis projected onto the coronal plane, <c>atan2(|a_L|, |a_S|)</c>; <see cref="AnteversionDegrees"/> is
/// the angle between the cup axis and the coronal plane, <c>asin(−a_P)</c>, positive when the opening faces anteriorly
/// (retroversion is negative). The cup axis a is the rim plane's unit normal pointing out of the opening.</remarks>
public sealed record CupFit
{
    /// <summary>The sphere fitted to the cup's surface (its centre is the rotation centre).</summary>
    public required SphereFit Sphere { get; init; }

    /// <summary>The centroid of the rim vertices, LPS mm (a point of the rim plane).</summary>
    public required Vector3D RimCenterLps { get; init; }

    /// <summary>The cup axis: the unit normal of the rim plane, pointing out of the opening, LPS.</summary>
    public required Vector3D AxisLps { get; init; }

    /// <summary>RMS distance of the rim vertices to the rim plane, mm.</summary>
    public required double RimPlaneRmsMm { get; init; }

    /// <summary>Mean distance of the rim vertices from the rim centre, mm (the opening's radius).</summary>
    public required double RimRadiusMm { get; init; }

    /// <summary>Rim vertices the plane was fitted to.</summary>
    public required int RimVertices { get; init; }

    /// <summary>Signed distance from the sphere centre to the rim plane along the axis, mm (negative when the centre lies
    /// inside the cup, i.e. the cup is less than a hemisphere).</summary>
    public required double CenterToRimPlaneMm { get; init; }

    /// <summary>Radiographic inclination (abduction), degrees, 0 to 90.</summary>
    public required double InclinationDegrees { get; init; }

    /// <summary>Radiographic anteversion, degrees, −90 to 90 (negative: retroversion).</summary>
    public required double AnteversionDegrees { get; init; }

    /// <summary>Radiographic inclination and anteversion of a cup axis given in LPS (Murray 1993).</summary>
    /// <param name="axisLps">The cup axis, pointing out of the opening; need not be unit length.</param>
    /// <returns>Inclination and anteversion in degrees.</returns>
    /// <exception cref="ArgumentException">The axis is zero or not finite.</exception>
    public static (double InclinationDegrees, double AnteversionDegrees) RadiographicAngles(Vector3D axisLps)
    {
        if (!axisLps.IsFinite || !(axisLps.Length > 0))
        {
            throw new ArgumentException($"The cup axis {axisLps} is zero or not finite.", nameof(axisLps));
        }

        Vector3D a = axisLps.Normalized();
        double inclination = Math.Atan2(Math.Abs(a.X), Math.Abs(a.Z)) * 180 / Math.PI;
        double anteversion = Math.Asin(Math.Clamp(-a.Y, -1, 1)) * 180 / Math.PI;
        return (inclination, anteversion);
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"inclination {InclinationDegrees:F2}°, anteversion {AnteversionDegrees:F2}°, axis {AxisLps}, rim centre {RimCenterLps} mm, rim radius {RimRadiusMm:F2} mm ({RimVertices} vertices, plane RMS {RimPlaneRmsMm:F3} mm); sphere {Sphere}");
}
