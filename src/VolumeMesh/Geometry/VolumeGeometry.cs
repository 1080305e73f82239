namespace VolumeMesh.Geometry;

/// <summary>
/// Maps voxel indices (i, j, k) of a volume to patient coordinates in millimetres (DICOM LPS).
/// </summary>
/// <remarks>
/// <para>
/// i runs along a row (the DICOM row direction, the first three values of Image Orientation
/// (Patient)), j along a column (the column direction), k from slice to slice. The position of
/// every slice is kept, so non-uniform slice spacing and gantry tilt are represented exactly rather
/// than resampled: the position of voxel (i, j, k) is
/// <c>SlicePositions[k] + i·SpacingX·RowDirection + j·SpacingY·ColumnDirection</c>, and a
/// fractional k interpolates linearly between the two neighbouring slices (and extrapolates from the
/// first or last interval outside the volume).
/// </para>
/// <para>Instances are immutable. Every constructor argument is validated and an
/// <see cref="ArgumentException"/> names the argument that is wrong.</para>
/// </remarks>
public sealed class VolumeGeometry
{
    private const double DirectionTolerance = 1e-3;
    private readonly Vector3D[] _slicePositions;

    /// <summary>Creates a geometry from the position of every slice.</summary>
    /// <param name="sizeX">Voxels along a row (columns, DICOM Columns).</param>
    /// <param name="sizeY">Voxels along a column (rows, DICOM Rows).</param>
    /// <param name="spacingX">Distance between neighbouring columns in mm (second value of DICOM Pixel Spacing).</param>
    /// <param name="spacingY">Distance between neighbouring rows in mm (first value of DICOM Pixel Spacing).</param>
    /// <param name="rowDirection">Unit direction of increasing i in patient LPS.</param>
    /// <param name="columnDirection">Unit direction of increasing j in patient LPS; orthogonal to <paramref name="rowDirection"/>.</param>
    /// <param name="slicePositions">The patient position of voxel (0, 0, k) of every slice k, in mm. Slices must advance monotonically.</param>
    /// <param name="singleSliceSpacing">For a single slice only: the signed step along the normal that one slice index spans, in mm
    /// (default 1; negative when k runs against the normal).</param>
    /// <exception cref="ArgumentException">A size, spacing, direction or position is invalid.</exception>
    public VolumeGeometry(
        int sizeX,
        int sizeY,
        double spacingX,
        double spacingY,
        Vector3D rowDirection,
        Vector3D columnDirection,
        IReadOnlyList<Vector3D> slicePositions,
        double singleSliceSpacing = 1.0)
    {
        ArgumentNullException.ThrowIfNull(slicePositions);
        ArgumentOutOfRangeException.ThrowIfLessThan(sizeX, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sizeY, 1);
        if (slicePositions.Count < 1)
        {
            throw new ArgumentException("A volume needs at least one slice position.", nameof(slicePositions));
        }

        RequirePositiveFinite(spacingX, nameof(spacingX));
        RequirePositiveFinite(spacingY, nameof(spacingY));
        if (singleSliceSpacing == 0 || !double.IsFinite(singleSliceSpacing))
        {
            throw new ArgumentException($"The single-slice step must be a finite, non-zero number of millimetres, not {singleSliceSpacing}.", nameof(singleSliceSpacing));
        }

        RequireUnit(rowDirection, nameof(rowDirection));
        RequireUnit(columnDirection, nameof(columnDirection));
        if (Math.Abs(Vector3D.Dot(rowDirection, columnDirection)) > DirectionTolerance)
        {
            throw new ArgumentException(
                $"Row direction {rowDirection} and column direction {columnDirection} are not orthogonal.",
                nameof(columnDirection));
        }

        SizeX = sizeX;
        SizeY = sizeY;
        SpacingX = spacingX;
        SpacingY = spacingY;
        RowDirection = rowDirection.Normalized();
        ColumnDirection = columnDirection.Normalized();
        Normal = Vector3D.Cross(RowDirection, ColumnDirection).Normalized();
        StepI = RowDirection * SpacingX;
        StepJ = ColumnDirection * SpacingY;
        _slicePositions = new Vector3D[slicePositions.Count];
        for (int k = 0; k < _slicePositions.Length; k++)
        {
            if (!slicePositions[k].IsFinite)
            {
                throw new ArgumentException($"Slice position {k} is not finite.", nameof(slicePositions));
            }

            _slicePositions[k] = slicePositions[k];
        }

        double minStep = double.PositiveInfinity;
        double maxStep = 0;
        double firstSign = 0;
        for (int k = 1; k < _slicePositions.Length; k++)
        {
            double step = Vector3D.Dot(_slicePositions[k] - _slicePositions[k - 1], Normal);
            if (step == 0 || (firstSign != 0 && Math.Sign(step) != firstSign))
            {
                throw new ArgumentException(
                    $"Slice positions must advance monotonically along the normal {Normal}; slice {k} does not (step {step:G6} mm).",
                    nameof(slicePositions));
            }

            firstSign = Math.Sign(step);
            minStep = Math.Min(minStep, Math.Abs(step));
            maxStep = Math.Max(maxStep, Math.Abs(step));
        }

        SingleSliceStep = Normal * singleSliceSpacing;
        SliceSpacingMin = _slicePositions.Length > 1 ? minStep : Math.Abs(singleSliceSpacing);
        SliceSpacingMax = _slicePositions.Length > 1 ? maxStep : Math.Abs(singleSliceSpacing);
        Vector3D sliceAxis = _slicePositions.Length > 1 ? _slicePositions[^1] - _slicePositions[0] : SingleSliceStep;
        Determinant = Vector3D.Dot(Vector3D.Cross(RowDirection * SpacingX, ColumnDirection * SpacingY), sliceAxis);
        TiltDegrees = Math.Acos(Math.Clamp(Math.Abs(Vector3D.Dot(sliceAxis.Normalized(), Normal)), 0, 1)) * 180 / Math.PI;
    }

    /// <summary>Creates a geometry from an affine index-to-patient map, as NRRD's <c>space directions</c> and <c>space origin</c> give it.</summary>
    /// <param name="sizeX">Voxels along i.</param>
    /// <param name="sizeY">Voxels along j.</param>
    /// <param name="sizeZ">Voxels along k.</param>
    /// <param name="origin">The patient position of voxel (0, 0, 0) in mm (LPS).</param>
    /// <param name="directionI">The patient step for one voxel along i (its length is the spacing).</param>
    /// <param name="directionJ">The patient step for one voxel along j.</param>
    /// <param name="directionK">The patient step for one voxel along k.</param>
    /// <returns>The geometry.</returns>
    /// <exception cref="ArgumentException">The directions are degenerate or i and j are not orthogonal.</exception>
    public static VolumeGeometry FromAffine(
        int sizeX, int sizeY, int sizeZ, Vector3D origin, Vector3D directionI, Vector3D directionJ, Vector3D directionK)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sizeZ, 1);
        double kLength = directionK.Length;
        if (!(kLength > 0) || !double.IsFinite(kLength))
        {
            throw new ArgumentException("The k direction must be a finite, non-zero vector.", nameof(directionK));
        }

        var positions = new Vector3D[sizeZ];
        for (int k = 0; k < sizeZ; k++)
        {
            positions[k] = origin + (directionK * k);
        }

        Vector3D row = directionI.Normalized();
        Vector3D column = directionJ.Normalized();
        Vector3D normal = Vector3D.Cross(row, column);

        // A single slice keeps the handedness its k direction gives.
        double singleStep = Vector3D.Dot(directionK, normal) < 0 ? -kLength : kLength;
        return new VolumeGeometry(sizeX, sizeY, directionI.Length, directionJ.Length, row, column, positions, singleStep);
    }

    /// <summary>Creates an axis-aligned geometry (identity directions) with uniform spacing.</summary>
    /// <param name="sizeX">Voxels along i (patient L).</param>
    /// <param name="sizeY">Voxels along j (patient P).</param>
    /// <param name="sizeZ">Voxels along k (patient S).</param>
    /// <param name="spacingX">Spacing along i in mm.</param>
    /// <param name="spacingY">Spacing along j in mm.</param>
    /// <param name="spacingZ">Spacing along k in mm.</param>
    /// <param name="origin">Position of voxel (0, 0, 0); the patient origin when omitted.</param>
    /// <returns>The geometry.</returns>
    public static VolumeGeometry AxisAligned(
        int sizeX, int sizeY, int sizeZ, double spacingX = 1, double spacingY = 1, double spacingZ = 1, Vector3D origin = default) =>
        FromAffine(sizeX, sizeY, sizeZ, origin, new(spacingX, 0, 0), new(0, spacingY, 0), new(0, 0, spacingZ));

    /// <summary>Voxels along i (along a row).</summary>
    public int SizeX { get; }

    /// <summary>Voxels along j (along a column).</summary>
    public int SizeY { get; }

    /// <summary>Slices (voxels along k).</summary>
    public int SizeZ => _slicePositions.Length;

    /// <summary>Total voxel count.</summary>
    public long VoxelCount => (long)SizeX * SizeY * SizeZ;

    /// <summary>Distance between neighbouring columns (along <see cref="RowDirection"/>), in mm.</summary>
    public double SpacingX { get; }

    /// <summary>Distance between neighbouring rows (along <see cref="ColumnDirection"/>), in mm.</summary>
    public double SpacingY { get; }

    /// <summary>Unit direction of increasing i, patient LPS.</summary>
    public Vector3D RowDirection { get; }

    /// <summary>Unit direction of increasing j, patient LPS.</summary>
    public Vector3D ColumnDirection { get; }

    /// <summary>Unit normal of the slice plane, <see cref="RowDirection"/> × <see cref="ColumnDirection"/>.</summary>
    public Vector3D Normal { get; }

    /// <summary>The patient position of voxel (0, 0, k) of every slice, in mm.</summary>
    public IReadOnlyList<Vector3D> SlicePositions => _slicePositions;

    /// <summary>Smallest distance between neighbouring slices along the normal, in mm.</summary>
    public double SliceSpacingMin { get; }

    /// <summary>Largest distance between neighbouring slices along the normal, in mm.</summary>
    public double SliceSpacingMax { get; }

    /// <summary>Mean distance between neighbouring slices along the normal, in mm.</summary>
    public double SliceSpacingMean => SizeZ > 1
        ? Math.Abs(Vector3D.Dot(_slicePositions[^1] - _slicePositions[0], Normal)) / (SizeZ - 1)
        : SliceSpacingMin;

    /// <summary>The fraction of the slice spacing by which slice positions may differ from an even grid and still count as
    /// evenly spaced (1%): scanner jitter (under a micron) is accepted, a missing slice (100%) never is. Shared by the DICOM
    /// series check, <see cref="HasUniformSliceSpacing"/> and the NRRD writer, so every command agrees.</summary>
    public const double RelativeSliceSpacingTolerance = 0.01;

    /// <summary>The tolerance in mm for a slice spacing: <see cref="RelativeSliceSpacingTolerance"/> of it, at least 1 µm.</summary>
    /// <param name="spacingMm">The (typical) slice spacing in mm.</param>
    /// <returns>The largest deviation from an even grid, in mm, that still counts as even.</returns>
    public static double SliceSpacingToleranceMm(double spacingMm) => Math.Max(1e-3, RelativeSliceSpacingTolerance * Math.Abs(spacingMm));

    /// <summary>Whether slices are evenly spaced, within <see cref="SliceSpacingToleranceMm"/> of the mean spacing.</summary>
    public bool HasUniformSliceSpacing => SliceSpacingMax - SliceSpacingMin <= SliceSpacingToleranceMm(SliceSpacingMean);

    /// <summary>Angle between the slice stacking axis and the slice normal, in degrees (gantry tilt; 0 for an orthogonal stack).</summary>
    public double TiltDegrees { get; }

    /// <summary>
    /// Determinant of the index-to-patient map (column spacing × row spacing × stack extent, signed).
    /// Negative means the index axes form a left-handed frame in patient space.
    /// </summary>
    public double Determinant { get; }

    /// <summary>Whether (i, j, k) map to a right-handed frame in patient space. Meshing reverses triangle winding when it is not, so meshes are never mirrored.</summary>
    public bool IsRightHanded => Determinant > 0;

    private Vector3D SingleSliceStep { get; }

    /// <summary>Maps a (possibly fractional) voxel index to patient LPS millimetres.</summary>
    /// <param name="i">Index along a row.</param>
    /// <param name="j">Index along a column.</param>
    /// <param name="k">Slice index; fractional values interpolate between slices and extrapolate beyond the ends.</param>
    /// <returns>The patient position in mm.</returns>
    public Vector3D IndexToPatient(double i, double j, double k) => SlicePoint(k) + (StepI * i) + (StepJ * j);

    /// <summary>The patient step of one voxel along i: <see cref="RowDirection"/> × <see cref="SpacingX"/>, in mm.</summary>
    public Vector3D StepI { get; private init; }

    /// <summary>The patient step of one voxel along j: <see cref="ColumnDirection"/> × <see cref="SpacingY"/>, in mm.</summary>
    public Vector3D StepJ { get; private init; }

    /// <summary>The patient position of voxel (0, 0, k) for a fractional slice index.</summary>
    /// <param name="k">Slice index, fractional allowed.</param>
    /// <returns>The position in mm.</returns>
    public Vector3D SlicePoint(double k)
    {
        int last = _slicePositions.Length - 1;
        if (last == 0)
        {
            return _slicePositions[0] + (SingleSliceStep * k);
        }

        int k0 = (int)Math.Floor(k);
        k0 = Math.Clamp(k0, 0, last - 1);
        double t = k - k0;
        Vector3D a = _slicePositions[k0];
        Vector3D b = _slicePositions[k0 + 1];
        return a + ((b - a) * t);
    }

    /// <summary>Maps a patient position to a fractional voxel index (the inverse of <see cref="IndexToPatient"/>).</summary>
    /// <param name="position">Patient LPS position in mm.</param>
    /// <returns>(i, j, k), fractional.</returns>
    public (double I, double J, double K) PatientToIndex(Vector3D position)
    {
        // Find k along the stacking axis (piecewise linear), then i and j in that slice's plane.
        double k;
        int last = _slicePositions.Length - 1;
        if (last == 0)
        {
            k = Vector3D.Dot(position - _slicePositions[0], Normal) / Vector3D.Dot(SingleSliceStep, Normal);
        }
        else
        {
            double d = Vector3D.Dot(position - _slicePositions[0], Normal);
            int k0 = 0;
            double sign = Math.Sign(Vector3D.Dot(_slicePositions[1] - _slicePositions[0], Normal));
            while (k0 < last - 1 && Vector3D.Dot(_slicePositions[k0 + 1] - _slicePositions[0], Normal) * sign < d * sign)
            {
                k0++;
            }

            double d0 = Vector3D.Dot(_slicePositions[k0] - _slicePositions[0], Normal);
            double d1 = Vector3D.Dot(_slicePositions[k0 + 1] - _slicePositions[0], Normal);
            k = k0 + ((d - d0) / (d1 - d0));
        }

        Vector3D inPlane = position - SlicePoint(k);
        return (Vector3D.Dot(inPlane, RowDirection) / SpacingX, Vector3D.Dot(inPlane, ColumnDirection) / SpacingY, k);
    }

    /// <summary>Returns a copy with the slice order reversed (last slice first), describing the same patient positions.</summary>
    /// <returns>The reversed geometry.</returns>
    public VolumeGeometry WithReversedSlices()
    {
        var positions = new Vector3D[_slicePositions.Length];
        for (int k = 0; k < positions.Length; k++)
        {
            positions[k] = _slicePositions[positions.Length - 1 - k];
        }

        double singleStep = -Vector3D.Dot(SingleSliceStep, Normal);
        return new VolumeGeometry(SizeX, SizeY, SpacingX, SpacingY, RowDirection, ColumnDirection, positions, singleStep);
    }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant(
        $"{SizeX}×{SizeY}×{SizeZ}, spacing {SpacingX:G4}×{SpacingY:G4}×{SliceSpacingMean:G4} mm, tilt {TiltDegrees:G3}°, {(IsRightHanded ? "right" : "left")}-handed");

    private static void RequirePositiveFinite(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new ArgumentException($"Spacing must be a positive finite number of millimetres, not {value}.", name);
        }
    }

    private static void RequireUnit(Vector3D direction, string name)
    {
        if (!direction.IsFinite || Math.Abs(direction.Length - 1) > DirectionTolerance)
        {
            throw new ArgumentException($"Direction {direction} is not a unit vector.", name);
        }
    }
}
