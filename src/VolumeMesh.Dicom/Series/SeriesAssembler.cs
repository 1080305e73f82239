using System.Globalization;
using VolumeMesh.Geometry;

namespace VolumeMesh.Dicom;

/// <summary>Turns the slices of one group into a sorted series with exact geometry and warnings.</summary>
internal static class SeriesAssembler
{
    private const double DuplicateToleranceMm = 1e-3;

    public static DicomSeriesInfo Assemble(List<(DicomSliceInfo Slice, SeriesAttributes Attributes)> group, IReadOnlyList<string>? unreadableFiles = null)
    {
        SeriesAttributes attributes = group[0].Attributes;
        var slices = new List<DicomSliceInfo>(group.Count);
        foreach (var (slice, _) in group)
        {
            slices.Add(slice);
        }

        var warnings = new List<string>();
        DicomSliceInfo first = slices[0];
        bool hasOrientation = slices.TrueForAll(s => s.RowDirection is not null && s.ColumnDirection is not null);
        bool hasPositions = hasOrientation && slices.TrueForAll(s => s.PositionLps is not null);
        Vector3D row = new(1, 0, 0);
        Vector3D column = new(0, 1, 0);
        if (hasOrientation)
        {
            // Image Orientation values are rounded in the file; make the frame orthonormal (Gram–Schmidt).
            row = first.RowDirection!.Value.Normalized();
            Vector3D c = first.ColumnDirection!.Value;
            column = (c - (row * Vector3D.Dot(c, row))).Normalized();
        }
        else
        {
            warnings.Add("No Image Orientation (Patient): axes assumed along patient L and P.");
        }

        Vector3D normal = Vector3D.Cross(row, column);
        List<DicomSliceInfo> duplicates = new();
        double[] distance;
        if (hasPositions)
        {
            slices.Sort((a, b) =>
            {
                int c = Vector3D.Dot(a.PositionLps!.Value, normal).CompareTo(Vector3D.Dot(b.PositionLps!.Value, normal));
                return c != 0 ? c : CompareIdentity(a, b);
            });

            var kept = new List<DicomSliceInfo>(slices.Count);
            foreach (DicomSliceInfo s in slices)
            {
                if (kept.Count > 0 && Math.Abs(Vector3D.Dot(s.PositionLps!.Value - kept[^1].PositionLps!.Value, normal)) < DuplicateToleranceMm)
                {
                    duplicates.Add(s);
                    continue;
                }

                kept.Add(s);
            }

            if (duplicates.Count > 0)
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{duplicates.Count} slice(s) duplicate the position of another slice and were left out (first: {duplicates[0]})."));
            }

            slices = kept;
            distance = slices.ConvertAll(s => Vector3D.Dot(s.PositionLps!.Value, normal)).ToArray();
        }
        else
        {
            slices.Sort(CompareIdentity);
            if (hasOrientation)
            {
                warnings.Add("Some slices have no Image Position (Patient): stacked by Instance Number at 1 mm.");
            }

            distance = new double[slices.Count];
            for (int k = 0; k < distance.Length; k++)
            {
                distance[k] = k;
            }
        }

        double spacingX = first.SpacingXMm ?? 1;
        double spacingY = first.SpacingYMm ?? 1;
        if (first.SpacingXMm is null)
        {
            warnings.Add("No Pixel Spacing: 1 mm assumed.");
        }

        var steps = new double[Math.Max(0, slices.Count - 1)];
        for (int k = 0; k < steps.Length; k++)
        {
            steps[k] = distance[k + 1] - distance[k];
        }

        double minStep = steps.Length > 0 ? steps.Min() : 0;
        double maxStep = steps.Length > 0 ? steps.Max() : 0;
        if (steps.Length > 1)
        {
            double[] sorted = (double[])steps.Clone();
            Array.Sort(sorted);
            double median = sorted[sorted.Length / 2];
            for (int k = 0; k < steps.Length; k++)
            {
                // A gap that is a whole multiple (≥ 2) of a neighbouring step means slices are missing; a change of
                // protocol (e.g. 4 mm then 7 mm) is only reported as non-uniform spacing.
                for (int side = -1; side <= 1; side += 2)
                {
                    int neighbour = k + side;
                    if (neighbour < 0 || neighbour >= steps.Length)
                    {
                        continue;
                    }

                    double ratio = steps[k] / steps[neighbour];
                    int n = (int)Math.Round(ratio);
                    if (n >= 2 && Math.Abs(ratio - n) < 0.1)
                    {
                        warnings.Add(string.Create(CultureInfo.InvariantCulture,
                            $"Missing slice(s): a gap of {steps[k]:G4} mm between slices {k} and {k + 1} where the neighbouring spacing is {steps[neighbour]:G4} mm (about {n - 1} slice(s) missing)."));
                        break;
                    }
                }
            }

            if (maxStep - minStep > VolumeGeometry.SliceSpacingToleranceMm(median))
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"Non-uniform slice spacing: from {minStep:G4} to {maxStep:G4} mm (kept exactly, every slice at its own position)."));
            }
        }

        VolumeGeometry? geometry = null;
        try
        {
            var positions = new Vector3D[slices.Count];
            for (int k = 0; k < positions.Length; k++)
            {
                positions[k] = hasPositions ? slices[k].PositionLps!.Value : normal * distance[k];
            }

            geometry = new VolumeGeometry(first.Columns, first.Rows, spacingX, spacingY, row, column, positions);
        }
        catch (ArgumentException ex)
        {
            warnings.Add($"No volume geometry: {ex.Message}");
        }

        var syntaxes = new SortedSet<string>(StringComparer.Ordinal);
        bool fractional = false;
        long bytes = 0;
        var files = new HashSet<string>(StringComparer.Ordinal);
        foreach (DicomSliceInfo s in slices)
        {
            syntaxes.Add(s.TransferSyntaxUid);
            fractional |= s.RescaleSlope != Math.Round(s.RescaleSlope) || s.RescaleIntercept != Math.Round(s.RescaleIntercept);
            if (files.Add(s.FilePath))
            {
                bytes += s.FileLength;
            }
        }

        if (unreadableFiles is { Count: > 0 })
        {
            warnings.Insert(0, string.Create(CultureInfo.InvariantCulture,
                $"{unreadableFiles.Count} unreadable file(s) left out (the series has a gap there): {unreadableFiles[0]}{(unreadableFiles.Count > 1 ? " …" : string.Empty)}"));
        }

        return new DicomSeriesInfo
        {
            UnreadableFiles = unreadableFiles ?? Array.Empty<string>(),
            SeriesInstanceUid = attributes.SeriesInstanceUid,
            StudyInstanceUid = attributes.StudyInstanceUid,
            FrameOfReferenceUid = attributes.FrameOfReferenceUid,
            Modality = attributes.Modality,
            SeriesDescription = attributes.SeriesDescription,
            SeriesNumber = attributes.SeriesNumber,
            ImageType = attributes.ImageType,
            Rows = first.Rows,
            Columns = first.Columns,
            Slices = slices,
            DuplicateSlices = duplicates,
            Geometry = geometry,
            SpacingXMm = spacingX,
            SpacingYMm = spacingY,
            SliceSpacingMm = geometry?.SizeZ > 1 ? geometry.SliceSpacingMean : 0,
            SliceSpacingMinMm = minStep,
            SliceSpacingMaxMm = maxStep,
            TiltDegrees = geometry?.SizeZ > 1 ? geometry.TiltDegrees : 0,
            TransferSyntaxUids = syntaxes.ToArray(),
            IsMultiFrame = slices.Exists(s => s.FramesInFile > 1),
            HasFractionalRescale = fractional,
            TotalFileBytes = bytes,
            Warnings = warnings,
        };
    }

    private static int CompareIdentity(DicomSliceInfo a, DicomSliceInfo b)
    {
        int c = (a.InstanceNumber ?? int.MaxValue).CompareTo(b.InstanceNumber ?? int.MaxValue);
        if (c != 0)
        {
            return c;
        }

        c = string.CompareOrdinal(a.SopInstanceUid, b.SopInstanceUid);
        if (c != 0)
        {
            return c;
        }

        c = a.FrameIndex.CompareTo(b.FrameIndex);
        return c != 0 ? c : string.CompareOrdinal(a.FilePath, b.FilePath);
    }
}
