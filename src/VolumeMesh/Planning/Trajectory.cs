using System.Globalization;
using VolumeMesh.Geometry;
using VolumeMesh.Meshing;

namespace VolumeMesh.Planning;

/// <summary>A straight instrument path (a kyphoplasty needle, a screw) from an entry point to a target, in patient LPS mm.</summary>
/// <remarks>
/// <para>Angles are those between the trajectory line and an anatomical plane of the patient, in degrees from 0 (in the
/// plane) to 90 (perpendicular to it): <c>asin(|d·n|)</c> for the unit direction d and the plane's unit normal n. The
/// axial (transverse) plane has normal S = (0, 0, 1), the sagittal plane L = (1, 0, 0), the coronal plane P = (0, 1, 0),
/// in DICOM LPS. So a needle running straight anterior-posterior lies in the axial and the sagittal plane (both 0°).
/// The angles need nothing from the scan: they are relative to the patient axes of the DICOM frame, which is the
/// scanner table's frame (a patient lying rotated on the table rotates these planes with the table, not with the spine).</para>
/// <para>The signed <see cref="CranialTiltDegrees"/> (toward the head, +S) and <see cref="LeftwardTiltDegrees"/> (toward the patient's left, +L) tell the side; whether leftward is medial depends on the side of the entry.</para>
/// </remarks>
public sealed record Trajectory
{
    /// <summary>The default diameter of the cylinder, in mm (a kyphoplasty trocar is 3–4 mm).</summary>
    public const double DefaultDiameterMm = 4;

    /// <summary>Creates a trajectory.</summary>
    /// <param name="entryLps">The entry point (skin or bone surface), LPS mm.</param>
    /// <param name="targetLps">The target point, LPS mm.</param>
    /// <param name="diameterMm">The diameter of the instrument, in mm.</param>
    /// <exception cref="ArgumentException">A point is not finite, the points coincide, or the diameter is not a positive finite number.</exception>
    public Trajectory(Vector3D entryLps, Vector3D targetLps, double diameterMm = DefaultDiameterMm)
    {
        if (!entryLps.IsFinite || !targetLps.IsFinite)
        {
            throw new ArgumentException($"The trajectory's points {entryLps} and {targetLps} must be finite.", nameof(entryLps));
        }

        if (!((targetLps - entryLps).Length > 1e-6))
        {
            throw new ArgumentException($"The trajectory's entry and target {entryLps} coincide.", nameof(targetLps));
        }

        if (!(diameterMm > 0) || !double.IsFinite(diameterMm))
        {
            throw new ArgumentException($"The trajectory's diameter must be a positive finite number of millimetres, not {diameterMm}.", nameof(diameterMm));
        }

        EntryLps = entryLps;
        TargetLps = targetLps;
        DiameterMm = diameterMm;
    }

    /// <summary>The entry point, LPS mm.</summary>
    public Vector3D EntryLps { get; }

    /// <summary>The target point, LPS mm.</summary>
    public Vector3D TargetLps { get; }

    /// <summary>The instrument diameter, in mm.</summary>
    public double DiameterMm { get; }

    /// <summary>The distance from entry to target, in mm.</summary>
    public double LengthMm => (TargetLps - EntryLps).Length;

    /// <summary>The unit direction from entry to target, LPS.</summary>
    public Vector3D Direction => (TargetLps - EntryLps).Normalized();

    /// <summary>Angle between the trajectory and the axial (transverse) plane, 0° to 90°: <c>asin(|d_S|)</c>.</summary>
    public double AngleToAxialPlaneDegrees => AngleToPlane(Direction.Z);

    /// <summary>Angle between the trajectory and the sagittal plane, 0° to 90°: <c>asin(|d_L|)</c>.</summary>
    public double AngleToSagittalPlaneDegrees => AngleToPlane(Direction.X);

    /// <summary>Angle between the trajectory and the coronal plane, 0° to 90°: <c>asin(|d_P|)</c>.</summary>
    public double AngleToCoronalPlaneDegrees => AngleToPlane(Direction.Y);

    /// <summary>The axial-plane angle with a sign: positive when the path runs toward the head (superior, +S) from entry to target.</summary>
    public double CranialTiltDegrees => Math.Asin(Math.Clamp(Direction.Z, -1, 1)) * 180 / Math.PI;

    /// <summary>The sagittal-plane angle with a sign: positive when the path runs toward the patient's left (+L) from entry to target.</summary>
    public double LeftwardTiltDegrees => Math.Asin(Math.Clamp(Direction.X, -1, 1)) * 180 / Math.PI;

    /// <summary>Parses <c>X,Y,Z:X,Y,Z[:DIAMETER]</c> (entry, target, optional diameter; invariant culture, mm).</summary>
    /// <param name="text">The text.</param>
    /// <param name="trajectory">The trajectory when the text is valid.</param>
    /// <returns>Whether the text is a valid trajectory.</returns>
    public static bool TryParse(string? text, out Trajectory? trajectory)
    {
        trajectory = null;
        string[] fields = (text ?? string.Empty).Split(':');
        if (fields.Length is < 2 or > 3 || !PlanningPoint.TryParse(fields[0], out Vector3D entry) || !PlanningPoint.TryParse(fields[1], out Vector3D target))
        {
            return false;
        }

        double diameter = DefaultDiameterMm;
        if (fields.Length == 3 && !double.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out diameter))
        {
            return false;
        }

        if (!(diameter > 0) || !double.IsFinite(diameter) || !((target - entry).Length > 1e-6))
        {
            return false;
        }

        trajectory = new Trajectory(entry, target, diameter);
        return true;
    }

    /// <summary>The trajectory as a closed cylinder of its diameter whose cap centres are the entry and target points.</summary>
    /// <param name="segments">Vertices around the cylinder (default 32).</param>
    /// <returns>The closed, counter-clockwise cylinder.</returns>
    public Mesh CreateMesh(int segments = 32) => PlanningShapes.Cylinder(EntryLps, TargetLps, DiameterMm / 2, segments);

    private static double AngleToPlane(double normalComponent) => Math.Asin(Math.Min(1, Math.Abs(normalComponent))) * 180 / Math.PI;
}
