using System.Buffers;
using System.Globalization;
using System.Numerics;
using VolumeMesh.Geometry;
using VolumeMesh.Volumes;

namespace VolumeMesh.Dicom;

/// <summary>
/// Reads DICOM Segmentation Storage instances (SEG, PS3.3 A.51 and C.8.20) as a label map aligned with a loaded CT series.
/// </summary>
/// <remarks>
/// <para>
/// Each frame is one segment on one plane. It is placed on a slice of the series by its Derivation Image → Source Image
/// reference (Referenced SOP Instance UID, and Referenced Frame Number for multi-frame sources) when it has one, else by
/// its Plane Position (Patient) matched to a slice position within <see cref="DicomSegmentationOptions.PositionToleranceMm"/>.
/// When a frame has both, they must agree. Frames may come in any order and cover only some slices; slices without a frame
/// are background.
/// </para>
/// <para>
/// BINARY frames are 1-bit pixels packed least significant bit first, continuing across frame boundaries (PS3.5 §8.1.1).
/// A FRACTIONAL voxel is inside when value / Maximum Fractional Value ≥ <see cref="DicomSegmentationOptions.FractionalThreshold"/>
/// (0.5 by default). Overlaps follow <see cref="DicomSegmentationOptions.Overlap"/> (by default the higher Segment Number wins).
/// </para>
/// <para>
/// Refused with a <see cref="DicomFormatException"/> naming the file (and the tag or frame): a file that is not a SEG; rows,
/// columns, orientation, pixel spacing or Frame of Reference that differ from the series; a frame that lands between slices
/// or outside the series, or that references an instance not in the series, or whose reference and position disagree; a
/// frame without a Segment Identification, or without any way to place it; a Referenced Segment Number that is not in the
/// Segment Sequence; per-frame functional groups that do not match Number of Frames; pixel data shorter than the frames need.
/// LABELMAP segmentations and other types raise <see cref="NotSupportedException"/>.
/// </para>
/// </remarks>
public static class DicomSegmentationReader
{
    /// <summary>SOP Class UID of Segmentation Storage.</summary>
    public const string SegmentationStorageUid = "1.2.840.10008.5.1.4.1.1.66.4";

    /// <summary>Whether a data set is a Segmentation Storage instance (by SOP Class UID, or Modality SEG when the class is absent).</summary>
    /// <param name="dataset">A data set (a header is enough).</param>
    /// <returns>True for a SEG.</returns>
    public static bool IsSegmentation(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        string? sopClass = dataset.GetString(DicomTags.SopClassUid);
        return sopClass is not null && sopClass.Length > 0
            ? sopClass == SegmentationStorageUid
            : string.Equals(dataset.GetString(DicomTags.Modality), "SEG", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Describes a SEG file from its header (what the folder scanner lists).</summary>
    /// <param name="header">The file, read with <see cref="DicomFile.ReadHeader(string)"/> or <see cref="DicomFile.Open"/>.</param>
    /// <returns>The description.</returns>
    public static DicomSegmentationInfo ReadInfo(DicomFile header)
    {
        ArgumentNullException.ThrowIfNull(header);
        DicomDataset ds = header.Dataset;
        var segments = new List<(int, string)>();
        foreach (DicomDataset item in ds.GetSequence(DicomTags.SegmentSequence))
        {
            int number = item.GetInt32(DicomTags.SegmentNumber) ?? 0;
            segments.Add((number, LabelOf(item, number)));
        }

        return new DicomSegmentationInfo
        {
            FilePath = header.FilePath ?? string.Empty,
            SopInstanceUid = ds.GetString(DicomTags.SopInstanceUid),
            SeriesInstanceUid = ds.GetString(DicomTags.SeriesInstanceUid),
            StudyInstanceUid = ds.GetString(DicomTags.StudyInstanceUid),
            FrameOfReferenceUid = ds.GetString(DicomTags.FrameOfReferenceUid),
            ReferencedSeriesInstanceUids = ReferencedSeries(ds),
            SegmentationType = ds.GetString(DicomTags.SegmentationType),
            Segments = segments,
            FrameCount = Math.Max(1, ds.GetInt32(DicomTags.NumberOfFrames) ?? 1),
            Rows = ds.GetInt32(DicomTags.Rows) ?? 0,
            Columns = ds.GetInt32(DicomTags.Columns) ?? 0,
            SeriesDescription = ds.GetString(DicomTags.SeriesDescription),
        };
    }

    /// <summary>
    /// The series of a scan that a SEG was drawn on: one named in its Referenced Series Sequence (0008,1115); failing that, the
    /// only series with its Frame of Reference UID and matrix size. Null when there is none.
    /// </summary>
    /// <param name="scan">A folder scan.</param>
    /// <param name="segmentation">A SEG listed by the scan (<see cref="DicomScanResult.Segmentations"/>) or described by <see cref="ReadInfo"/>.</param>
    /// <returns>The series or null.</returns>
    public static DicomSeriesInfo? FindReferencedSeries(DicomScanResult scan, DicomSegmentationInfo segmentation)
    {
        ArgumentNullException.ThrowIfNull(scan);
        ArgumentNullException.ThrowIfNull(segmentation);
        foreach (string uid in segmentation.ReferencedSeriesInstanceUids)
        {
            foreach (DicomSeriesInfo s in scan.Series)
            {
                if (s.SeriesInstanceUid == uid && s.Geometry is not null && s.Rows == segmentation.Rows && s.Columns == segmentation.Columns)
                {
                    return s;
                }
            }
        }

        DicomSeriesInfo? match = null;
        if (!string.IsNullOrEmpty(segmentation.FrameOfReferenceUid))
        {
            foreach (DicomSeriesInfo s in scan.Series)
            {
                if (s.FrameOfReferenceUid == segmentation.FrameOfReferenceUid && s.Geometry is not null
                    && s.Rows == segmentation.Rows && s.Columns == segmentation.Columns)
                {
                    if (match is not null)
                    {
                        return null; // ambiguous
                    }

                    match = s;
                }
            }
        }

        return match;
    }

    /// <summary>Reads a SEG and the series it references from a folder: scans the folder, finds the series (<see cref="FindReferencedSeries"/>) and reads the SEG onto it.</summary>
    /// <param name="segmentationPath">The SEG file.</param>
    /// <param name="seriesFolder">The folder holding the referenced series (it may also hold the SEG).</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="progress">Receives the fraction of frames placed, 0…1.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The segmentation; its <see cref="DicomSegmentation.Series"/> is the series found.</returns>
    /// <exception cref="DicomFormatException">The SEG is invalid, or the folder has no series it references.</exception>
    /// <exception cref="NotSupportedException">The segmentation type or transfer syntax is not supported.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public static DicomSegmentation ReadWithReferencedSeries(string segmentationPath, string seriesFolder, DicomSegmentationOptions? options = null,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(segmentationPath);
        ArgumentNullException.ThrowIfNull(seriesFolder);
        DicomFile header = DicomFile.ReadHeader(segmentationPath);
        RequireSegmentation(header.Dataset, segmentationPath);
        DicomSegmentationInfo info = ReadInfo(header);
        DicomScanResult scan = DicomDirectoryScanner.Scan(seriesFolder, null, null, cancellationToken);
        DicomSeriesInfo series = FindReferencedSeries(scan, info) ?? throw new DicomFormatException(
            $"No series in {seriesFolder} is the one this segmentation references (series {string.Join(", ", info.ReferencedSeriesInstanceUids)}; frame of reference {info.FrameOfReferenceUid ?? "(none)"}; {info.Columns}×{info.Rows}).",
            segmentationPath, -1, DicomTags.ReferencedSeriesSequence);
        return Read(segmentationPath, series, options, progress, cancellationToken);
    }

    /// <summary>Reads a SEG file as a label map in the geometry of <paramref name="series"/>.</summary>
    /// <param name="path">The SEG file.</param>
    /// <param name="series">The segmented series, from <see cref="DicomDirectoryScanner.Scan"/>; its geometry is used as is.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="progress">Receives the fraction of frames placed, 0…1.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The label map and segments.</returns>
    /// <exception cref="DicomFormatException">The file is not a valid SEG or does not fit the series (see the class remarks).</exception>
    /// <exception cref="NotSupportedException">The segmentation type (e.g. LABELMAP) or transfer syntax is not supported.</exception>
    /// <exception cref="InvalidOperationException">The series has no geometry.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="OperationCanceledException">The read was cancelled.</exception>
    public static DicomSegmentation Read(string path, DicomSeriesInfo series, DicomSegmentationOptions? options = null,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(series);
        options ??= new DicomSegmentationOptions();
        if (!(options.FractionalThreshold > 0) || options.FractionalThreshold > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.FractionalThreshold, "The fractional threshold must be in (0, 1].");
        }

        if (!(options.PositionToleranceMm > 0) || !double.IsFinite(options.PositionToleranceMm))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.PositionToleranceMm, "The position tolerance must be a positive number of millimetres.");
        }

        VolumeGeometry geometry = series.Geometry ?? throw new InvalidOperationException(
            $"Series {series.SeriesInstanceUid} has no volume geometry: {string.Join(" ", series.Warnings)}");
        DicomFile file = DicomFile.Open(path);
        DicomDataset ds = file.Dataset;
        RequireSegmentation(ds, path);

        string? seriesFrame = series.FrameOfReferenceUid;
        string? segFrame = ds.GetString(DicomTags.FrameOfReferenceUid);
        if (!string.IsNullOrEmpty(seriesFrame) && !string.IsNullOrEmpty(segFrame) && seriesFrame != segFrame)
        {
            throw new DicomFormatException(
                $"The segmentation's Frame of Reference UID {segFrame} is not that of series {series.SeriesInstanceUid} ({seriesFrame}).", path, -1, DicomTags.FrameOfReferenceUid);
        }

        DicomSegmentationType type = ParseType(ds, path);
        List<DicomSegment> segments = ParseSegments(ds, path);
        DicomPixelData pixels = file.GetPixelData();
        if (pixels.Rows != geometry.SizeY || pixels.Columns != geometry.SizeX)
        {
            throw new DicomFormatException(
                $"The segmentation's frames are {pixels.Columns}×{pixels.Rows} (columns × rows) but series {series.SeriesInstanceUid} is {geometry.SizeX}×{geometry.SizeY}.",
                path, -1, DicomTags.Rows);
        }

        if (pixels.SamplesPerPixel != 1)
        {
            throw new DicomFormatException($"Samples per Pixel is {pixels.SamplesPerPixel}; a segmentation has 1.", path, -1, DicomTags.SamplesPerPixel);
        }

        int maxFractional = 1;
        string? fractionalType = null;
        if (type == DicomSegmentationType.Binary)
        {
            if (pixels.BitsAllocated != 1)
            {
                throw new DicomFormatException($"A BINARY segmentation has Bits Allocated 1, not {pixels.BitsAllocated}.", path, -1, DicomTags.BitsAllocated);
            }

            if (file.TransferSyntax.IsEncapsulated)
            {
                throw new DicomFormatException($"A BINARY segmentation cannot have encapsulated pixel data ({file.TransferSyntax}).", path, -1, DicomTags.PixelData);
            }
        }
        else
        {
            if (pixels.BitsAllocated != 8)
            {
                throw new DicomFormatException($"A FRACTIONAL segmentation has Bits Allocated 8, not {pixels.BitsAllocated}.", path, -1, DicomTags.BitsAllocated);
            }

            int? max = ds.GetInt32(DicomTags.MaximumFractionalValue);
            if (max is null or < 1 or > 255)
            {
                throw new DicomFormatException($"Maximum Fractional Value is {max?.ToString(CultureInfo.InvariantCulture) ?? "missing"}; it must be 1…255.", path, -1, DicomTags.MaximumFractionalValue);
            }

            maxFractional = max.Value;
            fractionalType = ds.GetString(DicomTags.SegmentationFractionalType);
        }

        FramePlan plan = PlanFrames(ds, path, series, geometry, segments, pixels.NumberOfFrames, options);
        var labels = new Volume<int>(geometry);
        var counts = new long[plan.MaxNumber + 1];
        long overlaps = Fill(pixels, plan, labels, counts, type, maxFractional, options, path, progress, cancellationToken);
        foreach (DicomSegment s in segments)
        {
            s.VoxelCount = counts[s.Number];
        }

        return new DicomSegmentation(path, series, labels, segments)
        {
            SopInstanceUid = ds.GetString(DicomTags.SopInstanceUid),
            SeriesInstanceUid = ds.GetString(DicomTags.SeriesInstanceUid),
            Type = type,
            MaximumFractionalValue = maxFractional,
            FractionalType = fractionalType,
            FramesPlacedByReference = plan.ByReference,
            FramesPlacedByPosition = plan.ByPosition,
            OverlappingVoxels = overlaps,
        };
    }

    private static void RequireSegmentation(DicomDataset ds, string path)
    {
        if (!IsSegmentation(ds))
        {
            throw new DicomFormatException(
                $"Not a Segmentation Storage instance: SOP Class UID is {ds.GetString(DicomTags.SopClassUid) ?? "(none)"}, not {SegmentationStorageUid}.", path, -1, DicomTags.SopClassUid);
        }
    }

    private static DicomSegmentationType ParseType(DicomDataset ds, string path)
    {
        string? text = ds.GetString(DicomTags.SegmentationType);
        return text switch
        {
            "BINARY" => DicomSegmentationType.Binary,
            "FRACTIONAL" => DicomSegmentationType.Fractional,
            "LABELMAP" => throw new NotSupportedException($"{path}: LABELMAP segmentations are not supported; BINARY and FRACTIONAL are."),
            null or "" => throw new DicomFormatException("Segmentation Type is missing.", path, -1, DicomTags.SegmentationType),
            _ => throw new DicomFormatException($"Segmentation Type \"{text}\" is not BINARY or FRACTIONAL.", path, -1, DicomTags.SegmentationType),
        };
    }

    private static List<DicomSegment> ParseSegments(DicomDataset ds, string path)
    {
        IReadOnlyList<DicomDataset> items = ds.GetSequence(DicomTags.SegmentSequence);
        if (items.Count == 0)
        {
            throw new DicomFormatException("The Segment Sequence is missing or empty.", path, -1, DicomTags.SegmentSequence);
        }

        var segments = new List<DicomSegment>(items.Count);
        var seen = new HashSet<int>();
        foreach (DicomDataset item in items)
        {
            int? number = item.GetInt32(DicomTags.SegmentNumber);
            if (number is null or < 1 or > 65535)
            {
                throw new DicomFormatException($"A segment has Segment Number {number?.ToString(CultureInfo.InvariantCulture) ?? "(none)"}; it must be 1…65535.", path, -1, DicomTags.SegmentNumber);
            }

            if (!seen.Add(number.Value))
            {
                throw new DicomFormatException($"Segment Number {number} appears twice in the Segment Sequence.", path, -1, DicomTags.SegmentNumber);
            }

            double[]? lab = item.GetDoubles(DicomTags.RecommendedDisplayCieLabValue);
            IO.PartColor? color = lab is { Length: 3 } && Array.TrueForAll(lab, v => v is >= 0 and <= 65535)
                ? CieLab.ToSrgb((ushort)lab[0], (ushort)lab[1], (ushort)lab[2])
                : null;
            segments.Add(new DicomSegment
            {
                Number = number.Value,
                Label = LabelOf(item, number.Value),
                Description = item.GetString(DicomTags.SegmentDescription),
                Color = color,
                AlgorithmType = item.GetString(DicomTags.SegmentAlgorithmType),
                AlgorithmName = item.GetString(DicomTags.SegmentAlgorithmName),
                CategoryMeaning = CodeMeaning(item, DicomTags.SegmentedPropertyCategoryCodeSequence),
                TypeMeaning = CodeMeaning(item, DicomTags.SegmentedPropertyTypeCodeSequence),
            });
        }

        return segments;
    }

    private static string LabelOf(DicomDataset segment, int number)
    {
        string? label = segment.GetString(DicomTags.SegmentLabel);
        return string.IsNullOrWhiteSpace(label) ? string.Create(CultureInfo.InvariantCulture, $"segment_{number}") : label.Trim();
    }

    private static string? CodeMeaning(DicomDataset item, DicomTag sequence)
    {
        IReadOnlyList<DicomDataset> codes = item.GetSequence(sequence);
        return codes.Count > 0 ? codes[0].GetString(DicomTags.CodeMeaning) : null;
    }

    private static IReadOnlyList<string> ReferencedSeries(DicomDataset ds)
    {
        var uids = new List<string>();
        foreach (DicomDataset item in ds.GetSequence(DicomTags.ReferencedSeriesSequence))
        {
            string? uid = item.GetString(DicomTags.SeriesInstanceUid);
            if (!string.IsNullOrEmpty(uid) && !uids.Contains(uid))
            {
                uids.Add(uid);
            }
        }

        return uids;
    }

    private static FramePlan PlanFrames(DicomDataset ds, string path, DicomSeriesInfo series, VolumeGeometry geometry,
        List<DicomSegment> segments, int frames, DicomSegmentationOptions options)
    {
        IReadOnlyList<DicomDataset> perFrame = ds.GetSequence(DicomTags.PerFrameFunctionalGroupsSequence);
        if (perFrame.Count != frames)
        {
            throw new DicomFormatException(
                $"The Per-frame Functional Groups Sequence has {perFrame.Count} item(s) for {frames} frame(s).", path, -1, DicomTags.PerFrameFunctionalGroupsSequence);
        }

        IReadOnlyList<DicomDataset> sharedItems = ds.GetSequence(DicomTags.SharedFunctionalGroupsSequence);
        DicomDataset? shared = sharedItems.Count > 0 ? sharedItems[0] : null;

        // Slices by SOP Instance UID (several per UID for multi-frame sources, told apart by frame index).
        var bySop = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int k = 0; k < series.Slices.Count; k++)
        {
            string? sop = series.Slices[k].SopInstanceUid;
            if (string.IsNullOrEmpty(sop))
            {
                continue;
            }

            if (!bySop.TryGetValue(sop, out List<int>? list))
            {
                list = new List<int>(1);
                bySop.Add(sop, list);
            }

            list.Add(k);
        }

        // Slices the scanner dropped as duplicates of a position stand for the slice kept there.
        foreach (DicomSliceInfo duplicate in series.DuplicateSlices)
        {
            if (!string.IsNullOrEmpty(duplicate.SopInstanceUid) && duplicate.PositionLps is { } at && !bySop.ContainsKey(duplicate.SopInstanceUid))
            {
                int k = NearestSlice(at, geometry, out _);
                if ((at - geometry.SlicePositions[k]).Length <= options.PositionToleranceMm)
                {
                    bySop.Add(duplicate.SopInstanceUid, new List<int> { k });
                }
            }
        }

        int maxNumber = 0;
        var segmentIndex = new Dictionary<int, DicomSegment>();
        foreach (DicomSegment s in segments)
        {
            segmentIndex.Add(s.Number, s);
            maxNumber = Math.Max(maxNumber, s.Number);
        }

        var slice = new int[frames];
        var number = new int[frames];
        int byReference = 0;
        int byPosition = 0;
        double tolerance = options.PositionToleranceMm;
        for (int f = 0; f < frames; f++)
        {
            DicomDataset groups = perFrame[f];
            string frameName = string.Create(CultureInfo.InvariantCulture, $"frame {f + 1}");
            double[]? segmentNumber = FromGroups(groups, shared, DicomTags.SegmentIdentificationSequence, DicomTags.ReferencedSegmentNumber);
            if (segmentNumber is not { Length: > 0 })
            {
                throw new DicomFormatException(
                    $"{frameName} has no Segment Identification (0062,000A) with a Referenced Segment Number, per frame or shared.", path, -1, DicomTags.SegmentIdentificationSequence);
            }

            int n = (int)segmentNumber[0];
            if (n != segmentNumber[0] || !segmentIndex.TryGetValue(n, out DicomSegment? segment))
            {
                throw new DicomFormatException(
                    string.Create(CultureInfo.InvariantCulture, $"{frameName} references segment {segmentNumber[0]}, which is not in the Segment Sequence (segments {string.Join(", ", segmentIndex.Keys)})."),
                    path, -1, DicomTags.ReferencedSegmentNumber);
            }

            double[]? orientation = FromGroups(groups, shared, DicomTags.PlaneOrientationSequence, DicomTags.ImageOrientationPatient);
            if (orientation is not null)
            {
                CheckOrientation(orientation, geometry, path, frameName);
            }

            double[]? spacing = FromGroups(groups, shared, DicomTags.PixelMeasuresSequence, DicomTags.PixelSpacing);
            if (spacing is not null)
            {
                CheckSpacing(spacing, geometry, path, frameName);
            }

            int referenced = ReferencedSlice(groups, bySop, series, path, frameName);
            double[]? position = FromGroups(groups, shared, DicomTags.PlanePositionSequence, DicomTags.ImagePositionPatient);
            Vector3D? p = position is { Length: 3 } && double.IsFinite(position[0]) && double.IsFinite(position[1]) && double.IsFinite(position[2])
                ? new Vector3D(position[0], position[1], position[2])
                : null;
            if (referenced >= 0)
            {
                if (p is { } at && (at - geometry.SlicePositions[referenced]).Length > tolerance)
                {
                    throw new DicomFormatException(
                        string.Create(CultureInfo.InvariantCulture,
                            $"{frameName} references slice {referenced} ({series.Slices[referenced].SopInstanceUid}) at {geometry.SlicePositions[referenced]} but its Image Position (Patient) is {at}, {(at - geometry.SlicePositions[referenced]).Length:G4} mm away."),
                        path, -1, DicomTags.PlanePositionSequence);
                }

                slice[f] = referenced;
                byReference++;
            }
            else if (p is { } at)
            {
                if (orientation is null)
                {
                    throw new DicomFormatException(
                        $"{frameName} is placed by position but has no Plane Orientation (0020,9116), per frame or shared.", path, -1, DicomTags.PlaneOrientationSequence);
                }

                slice[f] = SliceAt(at, geometry, tolerance, path, frameName);
                byPosition++;
            }
            else
            {
                throw new DicomFormatException(
                    $"{frameName} has neither a Plane Position (0020,9113) nor a Derivation Image (0008,9124) source reference, so it cannot be placed.", path, -1, DicomTags.PlanePositionSequence);
            }

            number[f] = n;
            segment.FrameCount++;
        }

        return new FramePlan(slice, number, maxNumber, byReference, byPosition);
    }

    private static int ReferencedSlice(DicomDataset groups, Dictionary<string, List<int>> bySop, DicomSeriesInfo series, string path, string frameName)
    {
        string? firstMissing = null;
        foreach (DicomDataset derivation in groups.GetSequence(DicomTags.DerivationImageSequence))
        {
            foreach (DicomDataset source in derivation.GetSequence(DicomTags.SourceImageSequence))
            {
                string? sop = source.GetString(DicomTags.ReferencedSopInstanceUid);
                if (string.IsNullOrEmpty(sop))
                {
                    continue;
                }

                if (!bySop.TryGetValue(sop, out List<int>? slices))
                {
                    firstMissing ??= sop;
                    continue;
                }

                if (slices.Count == 1)
                {
                    return slices[0];
                }

                // A multi-frame source: Referenced Frame Number (1-based) picks the frame.
                int? frameNumber = source.GetInt32(DicomTags.ReferencedFrameNumber);
                if (frameNumber is not null)
                {
                    foreach (int k in slices)
                    {
                        if (series.Slices[k].FrameIndex == frameNumber.Value - 1)
                        {
                            return k;
                        }
                    }

                    throw new DicomFormatException(
                        string.Create(CultureInfo.InvariantCulture, $"{frameName} references frame {frameNumber} of {sop}, which is not a slice of series {series.SeriesInstanceUid}."),
                        path, -1, DicomTags.ReferencedFrameNumber);
                }

                return -1; // which frame is not said: placed by position
            }
        }

        if (firstMissing is not null)
        {
            throw new DicomFormatException(
                $"{frameName} was derived from instance {firstMissing}, which is not in series {series.SeriesInstanceUid}.", path, -1, DicomTags.ReferencedSopInstanceUid);
        }

        return -1;
    }

    private static int NearestSlice(Vector3D position, VolumeGeometry geometry, out double gapAlongNormal)
    {
        Vector3D normal = geometry.Normal;
        double d = Vector3D.Dot(position, normal);
        int best = 0;
        gapAlongNormal = double.PositiveInfinity;
        IReadOnlyList<Vector3D> positions = geometry.SlicePositions;
        for (int k = 0; k < positions.Count; k++)
        {
            double gap = Math.Abs(Vector3D.Dot(positions[k], normal) - d);
            if (gap < gapAlongNormal)
            {
                gapAlongNormal = gap;
                best = k;
            }
        }

        return best;
    }

    private static int SliceAt(Vector3D position, VolumeGeometry geometry, double tolerance, string path, string frameName)
    {
        int best = NearestSlice(position, geometry, out double bestGap);
        IReadOnlyList<Vector3D> positions = geometry.SlicePositions;
        double distance = (position - positions[best]).Length;
        if (distance <= tolerance)
        {
            return best;
        }

        string where = bestGap > tolerance
            ? string.Create(CultureInfo.InvariantCulture, $"{bestGap:G4} mm along the normal from slice {best}, the nearest: it lies between slices or outside the series")
            : string.Create(CultureInfo.InvariantCulture, $"in the plane of slice {best} but {distance:G4} mm from its origin: the frame is shifted in-plane");
        throw new DicomFormatException(
            string.Create(CultureInfo.InvariantCulture, $"{frameName} at Image Position (Patient) {position} is {where} (tolerance {tolerance:G4} mm)."),
            path, -1, DicomTags.PlanePositionSequence);
    }

    private static void CheckOrientation(double[] orientation, VolumeGeometry geometry, string path, string frameName)
    {
        if (orientation.Length != 6)
        {
            throw new DicomFormatException($"{frameName}: Image Orientation (Patient) has {orientation.Length} values, not 6.", path, -1, DicomTags.ImageOrientationPatient);
        }

        var row = new Vector3D(orientation[0], orientation[1], orientation[2]);
        var column = new Vector3D(orientation[3], orientation[4], orientation[5]);
        bool ok = row.Length > 0.5 && column.Length > 0.5
            && Vector3D.Dot(row.Normalized(), geometry.RowDirection) > 1 - 1e-4
            && Vector3D.Dot(column.Normalized(), geometry.ColumnDirection) > 1 - 1e-4;
        if (!ok)
        {
            throw new DicomFormatException(
                $"{frameName}: Image Orientation (Patient) {row} / {column} is not the series' {geometry.RowDirection} / {geometry.ColumnDirection}.",
                path, -1, DicomTags.ImageOrientationPatient);
        }
    }

    private static void CheckSpacing(double[] spacing, VolumeGeometry geometry, string path, string frameName)
    {
        // Pixel Spacing is (row spacing = between rows, j; column spacing = between columns, i).
        bool ok = spacing.Length == 2 && Close(spacing[0], geometry.SpacingY) && Close(spacing[1], geometry.SpacingX);
        if (!ok)
        {
            throw new DicomFormatException(
                string.Create(CultureInfo.InvariantCulture, $"{frameName}: Pixel Spacing {string.Join("\\", spacing)} is not the series' {geometry.SpacingY:G7}\\{geometry.SpacingX:G7} mm."),
                path, -1, DicomTags.PixelSpacing);
        }

        static bool Close(double a, double b) => Math.Abs(a - b) <= 1e-4 * Math.Max(1, Math.Abs(b));
    }

    private static double[]? FromGroups(DicomDataset frame, DicomDataset? shared, DicomTag sequence, DicomTag tag)
    {
        IReadOnlyList<DicomDataset> items = frame.GetSequence(sequence);
        if (items.Count > 0 && items[0].GetDoubles(tag) is { } values)
        {
            return values;
        }

        if (shared is not null)
        {
            items = shared.GetSequence(sequence);
            if (items.Count > 0 && items[0].GetDoubles(tag) is { } sharedValues)
            {
                return sharedValues;
            }
        }

        return null;
    }

    private static long Fill(DicomPixelData pixels, FramePlan plan, Volume<int> labels, long[] counts, DicomSegmentationType type, int maxFractional,
        DicomSegmentationOptions options, string path, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        // Inside test as a table over the 256 stored values: no division per voxel.
        Span<bool> inside = stackalloc bool[256];
        for (int v = 0; v < 256; v++)
        {
            inside[v] = v >= options.FractionalThreshold * maxFractional;
        }

        bool packedBits = type == DicomSegmentationType.Binary;
        int frameLength = pixels.FrameLength;
        byte[]? buffer = packedBits ? null : ArrayPool<byte>.Shared.Rent(frameLength);
        var state = new FillState(counts, options.Overlap == DicomSegmentOverlap.Throw);
        try
        {
            int frames = plan.Slice.Length;
            for (int f = 0; f < frames; f++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int number = plan.Number[f];
                int k = plan.Slice[f];
                Span<int> target = labels.Slice(k);
                int conflict;
                if (packedBits)
                {
                    // 1-bit pixels straight from the packed bytes (least significant bit first, frames continuing
                    // mid-byte, PS3.5 §8.1.1); zero bytes — most of a mask — are skipped eight pixels at a time.
                    conflict = FillPacked(pixels.GetFrameData(f).Span, (long)f * frameLength, target, number, ref state);
                }
                else
                {
                    Span<byte> frame = buffer.AsSpan(0, frameLength);
                    pixels.DecodeFrame(f, frame);
                    conflict = -1;
                    int p = 0;
                    while (conflict < 0)
                    {
                        // Runs of zero (vectorised search) are most of a fractional frame.
                        int next = frame[p..].IndexOfAnyExcept((byte)0);
                        if (next < 0)
                        {
                            break;
                        }

                        p += next;
                        if (inside[frame[p]] && !state.Claim(target, p, number))
                        {
                            conflict = p;
                        }

                        p++;
                    }
                }

                if (conflict >= 0)
                {
                    throw new DicomFormatException(
                        string.Create(CultureInfo.InvariantCulture,
                            $"Segments {target[conflict]} and {number} overlap at voxel ({conflict % labels.SizeX}, {conflict / labels.SizeX}, {k}) (frame {f + 1}); a label map holds one segment per voxel."),
                        path, -1, DicomTags.SegmentIdentificationSequence);
                }

                if (progress is not null && ((f & 15) == 15 || f == frames - 1))
                {
                    progress.Report((double)(f + 1) / frames);
                }
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        return state.Overlaps;
    }

    private static int FillPacked(ReadOnlySpan<byte> data, long firstBit, Span<int> target, int number, ref FillState state)
    {
        int length = target.Length;
        int p = 0;
        while (p < length)
        {
            long bit = firstBit + p;
            int shift = (int)(bit & 7);
            int take = Math.Min(8 - shift, length - p);
            int bits = (data[(int)(bit >> 3)] >> shift) & ((1 << take) - 1);
            while (bits != 0)
            {
                int at = p + BitOperations.TrailingZeroCount(bits);
                if (!state.Claim(target, at, number))
                {
                    return at;
                }

                bits &= bits - 1;
            }

            p += take;
        }

        return -1;
    }

    /// <summary>Per-read bookkeeping of voxel claims: counts per segment (kept while filling, so slices without frames are never read) and overlaps.</summary>
    private struct FillState(long[] counts, bool throwOnOverlap)
    {
        public long Overlaps;

        /// <summary>Claims voxel p for segment <paramref name="number"/>; false when it is another segment's and overlaps are refused.</summary>
        public bool Claim(Span<int> target, int p, int number)
        {
            int current = target[p];
            if (current == number)
            {
                return true;
            }

            if (current == 0)
            {
                target[p] = number;
                counts[number]++;
                return true;
            }

            if (throwOnOverlap)
            {
                return false;
            }

            Overlaps++;
            if (number > current)
            {
                target[p] = number;
                counts[current]--;
                counts[number]++;
            }

            return true;
        }
    }

    private sealed record FramePlan(int[] Slice, int[] Number, int MaxNumber, int ByReference, int ByPosition);
}
