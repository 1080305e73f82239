using VolumeMesh.Dicom;
using VolumeMesh.IO;
using VolumeMesh.Pipeline;

namespace VolumeMesh.Cli;

/// <summary>Turns the <c>input</c> argument of <c>volumemesh mesh</c> and <c>convert</c> into a volume.</summary>
/// <remarks>The one place that knows input kinds: NRRD files (<c>.nrrd</c>, <c>.nhdr</c>), NIfTI (<c>.nii</c>, <c>.nii.gz</c>, <c>.hdr</c>), and DICOM — a folder (scanned
/// recursively, DICOMDIR honoured), a DICOMDIR or a single DICOM file — loaded in Hounsfield units.</remarks>
internal static class VolumeInput
{
    /// <summary>Loads a volume.</summary>
    /// <param name="path">A file or folder.</param>
    /// <param name="seriesUid">For DICOM: the Series Instance UID to load; the CT series with the most slices when null.</param>
    /// <param name="stderr">Where the choice of series and warnings are printed.</param>
    /// <param name="cancellationToken">Cancels loading.</param>
    /// <param name="skipBadSlices">DICOM: leave out slices whose files are damaged (a warning each, the gap reported) instead of refusing the series.</param>
    /// <returns>The volume.</returns>
    /// <exception cref="InputFormatException">The input does not exist, is of an unknown kind, or holds no DICOM series.</exception>
    /// <exception cref="NothingToMeshException">The series asked for is not there, or no series has a volume geometry.</exception>
    /// <exception cref="UserInputException">--series was given for a non-DICOM input.</exception>
    public static PipelineVolume Load(string path, string? seriesUid, TextWriter stderr, CancellationToken cancellationToken, bool skipBadSlices = false) =>
        Load(path, seriesUid, stderr, cancellationToken, skipBadSlices, out _);

    /// <summary>Loads a volume and says which DICOM series it came from.</summary>
    /// <param name="path">A file or folder.</param>
    /// <param name="seriesUid">For DICOM: the Series Instance UID to load; the CT series with the most slices when null.</param>
    /// <param name="stderr">Where the choice of series and warnings are printed.</param>
    /// <param name="cancellationToken">Cancels loading.</param>
    /// <param name="skipBadSlices">DICOM: leave out slices whose files are damaged instead of refusing the series.</param>
    /// <param name="chosenSeries">The Series Instance UID loaded; null for NRRD and NIfTI.</param>
    /// <param name="maxDegreeOfParallelism">Threads decoding DICOM slices (<c>--threads</c>): a positive count, or −1 for every core.</param>
    /// <returns>The volume.</returns>
    public static PipelineVolume Load(
        string path, string? seriesUid, TextWriter stderr, CancellationToken cancellationToken, bool skipBadSlices, out string? chosenSeries, int maxDegreeOfParallelism = -1)
    {
        chosenSeries = null;
        if (!Directory.Exists(path) && !File.Exists(path))
        {
            throw new InputFormatException($"input '{path}' does not exist; give a DICOM folder or file, NRRD or NIfTI.");
        }

        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (File.Exists(path) && extension is ".nrrd" or ".nhdr")
        {
            if (seriesUid is not null)
            {
                throw new UserInputException("--series applies to DICOM input only.");
            }

            return PipelineVolume.FromNrrd(NrrdReader.Read(path, cancellationToken));
        }

        if (File.Exists(path) && NiftiReader.IsNiftiPath(path))
        {
            NiftiVolume nifti = seriesUid is null ? NiftiReader.Read(path, cancellationToken) : throw new UserInputException("--series applies to DICOM input only.");
            return nifti.DataType == NiftiDataType.Int16 && !nifti.IsScaled
                ? PipelineVolume.FromInt16(new VolumeMesh.Volumes.Volume<short>(nifti.Geometry, (short[])nifti.Voxels), path)
                : PipelineVolume.FromFloat(nifti.AsFloat(), path);
        }

        if (File.Exists(path) && !LooksLikeDicom(path))
        {
            throw new InputFormatException($"input '{path}': unknown volume format '{extension}' (supported: .nrrd, .nhdr, .nii, .nii.gz, .hdr/.img, DICOM files and folders).");
        }

        DicomSeriesInfo series = ChooseSeries(path, seriesUid, stderr, cancellationToken, skipBadSlices);
        chosenSeries = series.SeriesInstanceUid;
        return PipelineVolume.FromInt16(LoadSkippingDamage(series, stderr, skipBadSlices, maxDegreeOfParallelism, cancellationToken), path);
    }

    /// <summary>Loads a series; damage that only decoding finds (a corrupt compressed stream behind an intact header) is
    /// treated like damage the scan finds: without <paramref name="skipBadSlices"/> an error naming the file, with it the
    /// slice is left out with a warning and the series loaded again without it (the gap reported).</summary>
    /// <exception cref="InputFormatException">A slice cannot be decoded and <paramref name="skipBadSlices"/> is false.</exception>
    internal static VolumeMesh.Volumes.Volume<short> LoadSkippingDamage(DicomSeriesInfo series, TextWriter stderr, bool skipBadSlices, int? maxDegreeOfParallelism, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return DicomSeriesLoader.LoadHu(series, new DicomLoadOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, null, cancellationToken);
            }
            catch (DicomFormatException e) when (e.FilePath is not null && HasFile(series, e.FilePath))
            {
                string reason = e.Message.StartsWith(e.FilePath + ": ", StringComparison.Ordinal) ? e.Message[(e.FilePath.Length + 2)..] : e.Message;
                if (!skipBadSlices)
                {
                    throw new InputFormatException(
                        $"{reason} Give --skip-bad-slices to use the series without it (the gap is reported).", e.FilePath, e);
                }

                series = series.WithoutFiles([$"{e.FilePath}: {reason}"]);
                stderr.WriteLine($"warning: skipped bad slice {e.FilePath}: {reason}");
                foreach (string warning in series.Warnings)
                {
                    if (!warning.Contains(" unreadable file(s) left out", StringComparison.Ordinal))
                    {
                        stderr.WriteLine($"warning: {warning}");
                    }
                }
            }
        }
    }

    private static bool HasFile(DicomSeriesInfo series, string file)
    {
        foreach (DicomSliceInfo slice in series.Slices)
        {
            if (string.Equals(slice.FilePath, file, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Scans DICOM input and picks a series: the one named, or the CT series with the most slices (the choice is printed).</summary>
    /// <param name="path">A folder, DICOMDIR or file.</param>
    /// <param name="seriesUid">The Series Instance UID, or null.</param>
    /// <param name="stderr">Where the choice and warnings go.</param>
    /// <param name="cancellationToken">Cancels the scan.</param>
    /// <param name="skipBadSlices">Accept a series with unreadable files (they become a gap) instead of refusing it.</param>
    /// <returns>The series.</returns>
    /// <exception cref="InputFormatException">A file of the series is damaged and <paramref name="skipBadSlices"/> is false.</exception>
    public static DicomSeriesInfo ChooseSeries(string path, string? seriesUid, TextWriter stderr, CancellationToken cancellationToken, bool skipBadSlices = false)
    {
        DicomScanResult scan = DicomDirectoryScanner.Scan(path, null, null, cancellationToken);
        if (scan.Count == 0)
        {
            // The first file-level reason (e.g. float pixel data, a damaged header) says why, when there is one.
            string why = scan.Warnings.Count > 0 ? " " + scan.Warnings[0] : string.Empty;
            throw new InputFormatException($"input '{path}' holds no DICOM image series ({scan.FilesScanned} files scanned, {scan.FilesSkipped} skipped).{why}");
        }

        DicomSeriesInfo? series;
        if (seriesUid is not null)
        {
            series = scan.Find(seriesUid)
                ?? throw new NothingToMeshException($"--series {seriesUid}: no such series in '{path}'; run 'volumemesh info {path}' to list them.");
        }
        else
        {
            series = scan.DefaultSeries
                ?? throw new NothingToMeshException($"input '{path}' holds no series with a volume geometry; run 'volumemesh info {path}'.");
            if (scan.Count > 1)
            {
                stderr.WriteLine($"{scan.Count} series found; using {series.SeriesInstanceUid} ({CliOutput.Series(series)}) — choose another with --series UID.");
            }
        }

        if (series.UnreadableFiles.Count > 0 && !skipBadSlices)
        {
            string first = series.UnreadableFiles[0];
            int colon = first.IndexOf(": ", StringComparison.Ordinal);
            string more = series.UnreadableFiles.Count > 1 ? $" ({series.UnreadableFiles.Count - 1} more damaged file(s) in the series)" : string.Empty;
            throw new InputFormatException(
                $"{(colon > 0 ? first[(colon + 2)..] : first)}{more} Give --skip-bad-slices to use the series without it (the gap is reported).",
                colon > 0 ? first[..colon] : null, null);
        }

        foreach (string bad in series.UnreadableFiles)
        {
            stderr.WriteLine($"warning: skipped bad slice {bad}");
        }

        foreach (string warning in series.Warnings)
        {
            stderr.WriteLine($"warning: {warning}");
        }

        return series;
    }

    internal static bool LooksLikeDicom(string path)
    {
        // DICOM files carry no extension, .dcm, .dicom or .ima (or are a DICOMDIR); anything else is another format.
        string extension = Path.GetExtension(path).ToLowerInvariant();
        return extension is "" or ".dcm" or ".dicom" or ".ima"
            || string.Equals(Path.GetFileName(path), "DICOMDIR", StringComparison.OrdinalIgnoreCase);
    }
}
