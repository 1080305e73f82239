using System.Collections.Concurrent;
using System.Globalization;
using VolumeMesh.Geometry;

namespace VolumeMesh.Dicom;

/// <summary>Finds the image series in a folder: reads every file's header (in parallel, stopping before pixel data), checks DICOMDIR references, and assembles series.</summary>
public static class DicomDirectoryScanner
{
    /// <summary>Scans a folder (or one file, or a DICOMDIR's folder) for series.</summary>
    /// <param name="path">A folder, a DICOMDIR file (its folder is scanned) or a single DICOM file.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="progress">Receives the fraction of files read, 0…1.</param>
    /// <param name="cancellationToken">Cancels the scan.</param>
    /// <returns>The series and file-level warnings.</returns>
    /// <exception cref="DirectoryNotFoundException">The path does not exist.</exception>
    /// <exception cref="OperationCanceledException">The scan was cancelled.</exception>
    /// <remarks>Files that are not DICOM or cannot be parsed are skipped and reported in <see cref="DicomScanResult.Warnings"/>; the scan itself does not fail on them.</remarks>
    public static DicomScanResult Scan(string path, DicomScanOptions? options = null, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new DicomScanOptions();
        string[] files;
        if (File.Exists(path))
        {
            files = string.Equals(Path.GetFileName(path), "DICOMDIR", StringComparison.OrdinalIgnoreCase)
                ? Enumerate(Path.GetDirectoryName(Path.GetFullPath(path))!, options.Recursive)
                : new[] { Path.GetFullPath(path) };
        }
        else if (Directory.Exists(path))
        {
            files = Enumerate(Path.GetFullPath(path), options.Recursive);
        }
        else
        {
            throw new DirectoryNotFoundException($"No such folder or file: {path}");
        }

        var scans = new FileScan[files.Length];
        int done = 0;
        var parallel = new ParallelOptions
        {
            CancellationToken = cancellationToken,
            MaxDegreeOfParallelism = Execution.Parallelism.ForParallelOptions(Execution.Parallelism.FromNullable(options.MaxDegreeOfParallelism)),
        };
        Parallel.For(0, files.Length, parallel, i =>
        {
            scans[i] = ScanFile(files[i]);
            int n = Interlocked.Increment(ref done);
            if (progress is not null && (n % 16 == 0 || n == files.Length))
            {
                progress.Report((double)n / files.Length);
            }
        });

        var warnings = new List<string>();
        int skipped = 0;
        int nonImage = 0;
        var directoryFiles = new List<string>();
        var dangling = new List<string>();
        var fileSet = new HashSet<string>(files, StringComparer.Ordinal);
        var groups = new Dictionary<string, List<(DicomSliceInfo Slice, SeriesAttributes Attributes)>>(StringComparer.Ordinal);
        var groupOrder = new List<string>();
        var orientations = new Dictionary<string, List<(Vector3D Row, Vector3D Column)>>(StringComparer.Ordinal);
        var segmentations = new List<DicomSegmentationInfo>();
        var damaged = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (int i = 0; i < files.Length; i++)
        {
            FileScan scan = scans[i];
            if (scan.Error is not null)
            {
                skipped++;
                AddWarning(warnings, options, $"Skipped {files[i]}: {scan.Error}");
                continue;
            }

            if (scan.References is not null)
            {
                directoryFiles.Add(files[i]);
                foreach (string reference in scan.References)
                {
                    if (!ResolveReference(files[i], reference, fileSet, out string resolved))
                    {
                        dangling.Add(resolved);
                        AddWarning(warnings, options, $"{files[i]} references {reference}, which does not exist.");
                    }
                }
            }

            if (scan.Segmentation is not null)
            {
                segmentations.Add(scan.Segmentation);
                continue;
            }

            if (scan.Slices is null)
            {
                nonImage++;
                continue;
            }

            foreach (DicomSliceInfo slice in scan.Slices)
            {
                string key = GroupKey(scan.Attributes!, slice, orientations);
                if (scan.Damage is not null)
                {
                    // The slice joins no series; the series it belongs to lists it as unreadable (and has a gap there).
                    if (!damaged.TryGetValue(key, out var bad))
                    {
                        bad = new List<string>();
                        damaged.Add(key, bad);
                    }

                    string line = $"{files[i]}: {scan.Damage}";
                    if (!bad.Contains(line))
                    {
                        bad.Add(line);
                    }

                    continue;
                }

                if (!groups.TryGetValue(key, out var list))
                {
                    list = new List<(DicomSliceInfo, SeriesAttributes)>();
                    groups.Add(key, list);
                    groupOrder.Add(key);
                }

                list.Add((slice, scan.Attributes!));
            }
        }

        if (warnings.Count >= options.MaxListedWarnings)
        {
            warnings.Add($"… and more: {skipped} file(s) skipped, {dangling.Count} dangling reference(s) in all.");
        }

        var series = new List<DicomSeriesInfo>();
        foreach (string key in groupOrder)
        {
            cancellationToken.ThrowIfCancellationRequested();
            series.Add(SeriesAssembler.Assemble(groups[key], damaged.GetValueOrDefault(key)));
        }

        foreach ((string key, List<string> bad) in damaged)
        {
            if (!groups.ContainsKey(key))
            {
                foreach (string line in bad)
                {
                    skipped++;
                    AddWarning(warnings, options, $"Skipped {line}");
                }
            }
        }

        series.Sort((a, b) =>
        {
            int c = string.CompareOrdinal(a.StudyInstanceUid, b.StudyInstanceUid);
            if (c != 0)
            {
                return c;
            }

            c = (a.SeriesNumber ?? int.MaxValue).CompareTo(b.SeriesNumber ?? int.MaxValue);
            if (c != 0)
            {
                return c;
            }

            c = string.CompareOrdinal(a.SeriesInstanceUid, b.SeriesInstanceUid);
            return c != 0 ? c : b.SliceCount.CompareTo(a.SliceCount);
        });

        return new DicomScanResult(series, warnings, files.Length, skipped, nonImage, directoryFiles, dangling) { Segmentations = segmentations };
    }

    /// <summary>The series to load by default: the CT with the most slices (then the largest matrix); else the series with the most slices.</summary>
    /// <param name="series">Candidates.</param>
    /// <returns>The pick, or null when there are none.</returns>
    public static DicomSeriesInfo? PickDefault(IEnumerable<DicomSeriesInfo> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        DicomSeriesInfo? best = null;
        foreach (DicomSeriesInfo s in series)
        {
            if (best is null || Rank(s).CompareTo(Rank(best)) > 0)
            {
                best = s;
            }
        }

        return best;

        static (int IsCt, int HasGeometry, int Slices, long Pixels) Rank(DicomSeriesInfo s) =>
            (s.Modality == "CT" ? 1 : 0, s.Geometry is null ? 0 : 1, s.SliceCount, (long)s.Rows * s.Columns);
    }

    /// <summary>Reads the slice descriptions of one file's header (one per frame).</summary>
    /// <param name="header">A file read with <see cref="DicomFile.ReadHeader(string)"/> or <see cref="DicomFile.Open"/>.</param>
    /// <returns>The slices; empty when the file has no pixel data.</returns>
    public static IReadOnlyList<DicomSliceInfo> ReadSlices(DicomFile header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return ExtractSlices(header) ?? (IReadOnlyList<DicomSliceInfo>)Array.Empty<DicomSliceInfo>();
    }

    private static void AddWarning(List<string> warnings, DicomScanOptions options, string message)
    {
        if (warnings.Count < options.MaxListedWarnings)
        {
            warnings.Add(message);
        }
    }

    private static string[] Enumerate(string folder, bool recursive)
    {
        var enumeration = new EnumerationOptions
        {
            RecurseSubdirectories = recursive,
            IgnoreInaccessible = true,
            AttributesToSkip = FileAttributes.Hidden | FileAttributes.System | FileAttributes.ReparsePoint,
        };
        string[] files = Directory.GetFiles(folder, "*", enumeration);
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    private static bool ResolveReference(string directoryFile, string reference, HashSet<string> files, out string resolved)
    {
        // Referenced File ID is relative to the folder of the DICOMDIR (PS3.10 §8.5); nested directory files
        // (Philips DIRFILE) use the same root, so try the directory file's folder and each of its parents.
        string relative = reference.Replace('\\', Path.DirectorySeparatorChar);
        string? folder = Path.GetDirectoryName(directoryFile);
        resolved = Path.Combine(folder ?? string.Empty, relative);
        for (int up = 0; folder is not null && up < 8; up++, folder = Path.GetDirectoryName(folder))
        {
            string candidate = Path.Combine(folder, relative);
            if (files.Contains(candidate) || File.Exists(candidate))
            {
                resolved = candidate;
                return true;
            }
        }

        return false;
    }

    private static string GroupKey(SeriesAttributes attributes, DicomSliceInfo slice, Dictionary<string, List<(Vector3D Row, Vector3D Column)>> orientations)
    {
        // Same series, same matrix, and the same orientation within about 0.1° (scanners jitter the last digits).
        string key = string.Create(CultureInfo.InvariantCulture, $"{attributes.SeriesInstanceUid}|{slice.Rows}x{slice.Columns}");
        if (slice.RowDirection is not { } row || slice.ColumnDirection is not { } column)
        {
            return key + "|no orientation";
        }

        row = row.Normalized();
        column = column.Normalized();
        if (!orientations.TryGetValue(key, out var known))
        {
            known = new List<(Vector3D, Vector3D)>();
            orientations.Add(key, known);
        }

        for (int i = 0; i < known.Count; i++)
        {
            if (Vector3D.Dot(known[i].Row, row) > 1 - 1e-6 && Vector3D.Dot(known[i].Column, column) > 1 - 1e-6)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{key}|{i}");
            }
        }

        known.Add((row, column));
        return string.Create(CultureInfo.InvariantCulture, $"{key}|{known.Count - 1}");
    }

    private static FileScan ScanFile(string path)
    {
        try
        {
            DicomFile header = DicomFile.ReadHeader(path);
            DicomDataset ds = header.Dataset;
            var scan = new FileScan();
            if (ds.Contains(DicomTags.DirectoryRecordSequence))
            {
                var references = new List<string>();
                foreach (DicomDataset record in ds.GetSequence(DicomTags.DirectoryRecordSequence))
                {
                    string? id = record.GetString(DicomTags.ReferencedFileId);
                    if (!string.IsNullOrWhiteSpace(id))
                    {
                        references.Add(id.Trim());
                    }
                }

                scan.References = references;
            }

            if (DicomSegmentationReader.IsSegmentation(ds))
            {
                // A SEG's frames are segments, not image planes: list it apart so it never joins or splits a series.
                scan.Segmentation = DicomSegmentationReader.ReadInfo(header);
                return scan;
            }

            if (UnsupportedPixels(ds) is string unsupported)
            {
                return new FileScan { Error = unsupported };
            }

            scan.Slices = ExtractSlices(header);
            if (scan.Slices is not null)
            {
                scan.Damage = FindTruncation(header);
                scan.Attributes = new SeriesAttributes
                {
                    SeriesInstanceUid = ds.GetString(DicomTags.SeriesInstanceUid) ?? $"(no Series Instance UID) {path}",
                    StudyInstanceUid = ds.GetString(DicomTags.StudyInstanceUid),
                    FrameOfReferenceUid = ds.GetString(DicomTags.FrameOfReferenceUid),
                    Modality = ds.GetString(DicomTags.Modality),
                    SeriesDescription = ds.GetString(DicomTags.SeriesDescription),
                    SeriesNumber = ds.GetInt32(DicomTags.SeriesNumber),
                    ImageType = ds.GetStrings(DicomTags.ImageType),
                };
            }

            return scan;
        }
        catch (Exception ex) when (ex is DicomFormatException or NotSupportedException or IOException or UnauthorizedAccessException)
        {
            return new FileScan { Error = ex is DicomFormatException dfe ? dfe.BareMessage : ex.Message };
        }
    }

    /// <summary>Pixels that no Modality LUT turns into Hounsfield units or another modality value: Float Pixel Data
    /// (7FE0,0008) and Double Float Pixel Data (7FE0,0009), which parametric maps and some research exports use instead of
    /// Pixel Data (PS3.3 §C.7.6.3.1.9).</summary>
    /// <returns>Why the file is refused, naming the pixel element; null when it holds ordinary Pixel Data or none.</returns>
    private static string? UnsupportedPixels(DicomDataset ds)
    {
        if (ds.Contains(DicomTags.PixelData))
        {
            return null;
        }

        string? kind = ds.Contains(DicomTags.FloatPixelData) ? "Float Pixel Data (7FE0,0008), 32-bit floating point"
            : ds.Contains(DicomTags.DoubleFloatPixelData) ? "Double Float Pixel Data (7FE0,0009), 64-bit floating point"
            : null;
        return kind is null
            ? null
            : $"{kind} pixels are not supported: VolumeMesh reads integer Pixel Data (7FE0,0010) rescaled to modality values (HU); export the series as integer CT or MR images, or convert it to NIfTI or NRRD.";
    }

    /// <summary>A file cut short (an interrupted copy) has an intact header and a Pixel Data value that runs past the end
    /// of the file; the header read stops before pixel data, so this is the one check that finds it while scanning.</summary>
    /// <returns>What is wrong, or null when the value fits (or cannot be checked: encapsulated, deflated, gzip-wrapped).</returns>
    private static string? FindTruncation(DicomFile header)
    {
        DicomElement? pixels = header.Dataset.GetElement(DicomTags.PixelData);
        if (pixels is null || pixels.Length == uint.MaxValue || header.TransferSyntax.IsDeflated || pixels.Offset + pixels.Length <= header.FileLength)
        {
            return null;
        }

        if (header.FilePath is not null)
        {
            // A gzip-wrapped file reports offsets in the inflated bytes; its own length says nothing about them.
            Span<byte> magic = stackalloc byte[2];
            using var stream = new FileStream(header.FilePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            if (stream.Read(magic) == 2 && magic[0] == 0x1F && magic[1] == 0x8B)
            {
                return null;
            }
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"truncated: Pixel Data (7FE0,0010) at offset {pixels.Offset} needs {pixels.Length} bytes, the file has {Math.Max(0, header.FileLength - pixels.Offset)}.");
    }

    private static List<DicomSliceInfo>? ExtractSlices(DicomFile header)
    {
        DicomDataset ds = header.Dataset;
        if (!ds.Contains(DicomTags.PixelData))
        {
            return null;
        }

        int rows = ds.GetInt32(DicomTags.Rows) ?? 0;
        int columns = ds.GetInt32(DicomTags.Columns) ?? 0;
        if (rows <= 0 || columns <= 0)
        {
            throw new DicomFormatException("Rows or Columns is missing or invalid.", header.FilePath, -1, DicomTags.Rows);
        }

        int frames = Math.Max(1, ds.GetInt32(DicomTags.NumberOfFrames) ?? 1);
        if (frames > Math.Max(1, header.FileLength / 8))
        {
            // Every frame needs at least an item header (encapsulated) or a byte (native): bound what an untrusted count allocates.
            throw new DicomFormatException($"Number of Frames {frames} cannot fit in a file of {header.FileLength} bytes.", header.FilePath, -1, DicomTags.NumberOfFrames);
        }

        IReadOnlyList<DicomDataset> perFrame = ds.GetSequence(DicomTags.PerFrameFunctionalGroupsSequence);
        IReadOnlyList<DicomDataset> sharedGroups = ds.GetSequence(DicomTags.SharedFunctionalGroupsSequence);
        DicomDataset? shared = sharedGroups.Count > 0 ? sharedGroups[0] : null;
        if (perFrame.Count > 0 && perFrame.Count != frames)
        {
            throw new DicomFormatException($"{perFrame.Count} per-frame functional group items for {frames} frames.", header.FilePath, -1, DicomTags.PerFrameFunctionalGroupsSequence);
        }

        // Multi-frame images without per-frame positions (RT Dose, older multi-frame CT/NM): frames are stacked along
        // the normal by Grid Frame Offset Vector (PS3.3 §C.8.8.3.2) when present, else by Spacing Between Slices (or
        // Slice Thickness, or 1 mm) — the only spacing such files carry.
        double[]? frameOffsets = null;
        if (frames > 1 && perFrame.Count == 0)
        {
            frameOffsets = ds.GetDoubles(new DicomTag(0x3004, 0x000C));
            if (frameOffsets is null || frameOffsets.Length != frames || !AllFinite(frameOffsets))
            {
                double step = ds.GetDouble(DicomTags.SpacingBetweenSlices) ?? ds.GetDouble(DicomTags.SliceThickness) ?? 1.0;
                step = double.IsFinite(step) && step != 0 ? step : 1.0;
                frameOffsets = new double[frames];
                for (int f = 0; f < frames; f++)
                {
                    frameOffsets[f] = f * step;
                }
            }
        }

        // What the pixel data can hold, measured now so that the loader checks the declared frames against it before it
        // allocates a volume from the untrusted Rows × Columns × slices.
        DicomElement pixelData = ds.GetElement(DicomTags.PixelData)!;
        bool encapsulated = pixelData.Length == uint.MaxValue;
        long remaining = Math.Max(0, header.DataSetEnd - pixelData.Offset);
        long pixelBytes = encapsulated ? remaining : Math.Min(pixelData.Length, remaining);
        int bitsAllocated = ds.GetInt32(DicomTags.BitsAllocated) ?? 0;
        var slices = new List<DicomSliceInfo>(frames);
        string sop = ds.GetString(DicomTags.SopInstanceUid) ?? string.Empty;
        int? instance = ds.GetInt32(DicomTags.InstanceNumber);
        for (int f = 0; f < frames; f++)
        {
            DicomDataset? frameGroups = perFrame.Count > 0 ? perFrame[f] : null;

            // Enhanced CT/MR (PS3.3 §C.7.6.16): per-frame functional groups, then shared ones, then the top level.
            double[]? position = FromGroups(frameGroups, shared, DicomTags.PlanePositionSequence, DicomTags.ImagePositionPatient) ?? ds.GetDoubles(DicomTags.ImagePositionPatient);
            double[]? orientation = FromGroups(frameGroups, shared, DicomTags.PlaneOrientationSequence, DicomTags.ImageOrientationPatient) ?? ds.GetDoubles(DicomTags.ImageOrientationPatient);
            double[]? spacing = FromGroups(frameGroups, shared, DicomTags.PixelMeasuresSequence, DicomTags.PixelSpacing) ?? ds.GetDoubles(DicomTags.PixelSpacing);
            double? slope = FromGroups(frameGroups, shared, DicomTags.PixelValueTransformationSequence, DicomTags.RescaleSlope)?[0] ?? ds.GetDouble(DicomTags.RescaleSlope);
            double? intercept = FromGroups(frameGroups, shared, DicomTags.PixelValueTransformationSequence, DicomTags.RescaleIntercept)?[0] ?? ds.GetDouble(DicomTags.RescaleIntercept);
            Vector3D? row = null, column = null, pos = null;
            if (orientation is { Length: 6 } && AllFinite(orientation))
            {
                row = new Vector3D(orientation[0], orientation[1], orientation[2]);
                column = new Vector3D(orientation[3], orientation[4], orientation[5]);
                if (!(row.Value.Length > 0.5) || !(column.Value.Length > 0.5))
                {
                    row = column = null;
                }
            }

            if (position is { Length: 3 } && AllFinite(position))
            {
                pos = new Vector3D(position[0], position[1], position[2]);
                if (frameOffsets is not null && row is not null && column is not null)
                {
                    pos = pos.Value + (Vector3D.Cross(row.Value.Normalized(), column.Value.Normalized()).Normalized() * frameOffsets[f]);
                }
            }

            bool spacingOk = spacing is { Length: 2 } && spacing[0] > 0 && spacing[1] > 0 && AllFinite(spacing);
            slices.Add(new DicomSliceInfo
            {
                FilePath = header.FilePath ?? string.Empty,
                FrameIndex = f,
                FramesInFile = frames,
                SopInstanceUid = sop,
                InstanceNumber = instance,
                PositionLps = pos,
                RowDirection = row,
                ColumnDirection = column,
                SpacingXMm = spacingOk ? spacing![1] : null,
                SpacingYMm = spacingOk ? spacing![0] : null,
                RescaleSlope = slope is { } s && double.IsFinite(s) && s != 0 ? s : 1,
                RescaleIntercept = intercept is { } i && double.IsFinite(i) ? i : 0,
                Rows = rows,
                Columns = columns,
                TransferSyntaxUid = header.TransferSyntax.Uid,
                FileLength = header.FileLength,
                BitsAllocated = bitsAllocated,
                IsEncapsulated = encapsulated,
                PixelDataBytes = pixelBytes,
            });
        }

        return slices;
    }

    private static bool AllFinite(double[] values)
    {
        foreach (double v in values)
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }

    private static double[]? FromGroups(DicomDataset? frame, DicomDataset? shared, DicomTag sequence, DicomTag tag)
    {
        foreach (DicomDataset? groups in new[] { frame, shared })
        {
            if (groups is null)
            {
                continue;
            }

            IReadOnlyList<DicomDataset> items = groups.GetSequence(sequence);
            if (items.Count > 0 && items[0].GetDoubles(tag) is { } values)
            {
                return values;
            }
        }

        return null;
    }

    private sealed class FileScan
    {
        public string? Error { get; init; }

        public List<DicomSliceInfo>? Slices { get; set; }

        public SeriesAttributes? Attributes { get; set; }

        /// <summary>Why the file's header was read but its pixel data cannot be (e.g. truncated); null when intact.</summary>
        public string? Damage { get; set; }

        public List<string>? References { get; set; }

        public DicomSegmentationInfo? Segmentation { get; set; }
    }
}
