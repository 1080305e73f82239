using System.Collections;

namespace VolumeMesh.Dicom;

/// <summary>What <see cref="DicomDirectoryScanner.Scan"/> found: the series (largest first within a study order), and problems with files.</summary>
public sealed class DicomScanResult : IReadOnlyList<DicomSeriesInfo>
{
    internal DicomScanResult(IReadOnlyList<DicomSeriesInfo> series, IReadOnlyList<string> warnings, int filesScanned, int filesSkipped,
        int nonImageFiles, IReadOnlyList<string> directoryFiles, IReadOnlyList<string> danglingReferences)
    {
        Series = series;
        Warnings = warnings;
        FilesScanned = filesScanned;
        FilesSkipped = filesSkipped;
        NonImageFiles = nonImageFiles;
        DirectoryFiles = directoryFiles;
        DanglingReferences = danglingReferences;
    }

    /// <summary>The series found.</summary>
    public IReadOnlyList<DicomSeriesInfo> Series { get; }

    /// <summary>File-level problems: unreadable files, dangling DICOMDIR references.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Files examined.</summary>
    public int FilesScanned { get; }

    /// <summary>Files that are not DICOM or could not be parsed.</summary>
    public int FilesSkipped { get; }

    /// <summary>DICOM files without pixel data (reports, directories, …).</summary>
    public int NonImageFiles { get; }

    /// <summary>DICOM Segmentation (SEG) files found; they are not image series (see <see cref="DicomSegmentationReader"/>).</summary>
    public IReadOnlyList<DicomSegmentationInfo> Segmentations { get; internal init; } = Array.Empty<DicomSegmentationInfo>();

    /// <summary>DICOMDIR (and other directory record) files found.</summary>
    public IReadOnlyList<string> DirectoryFiles { get; }

    /// <summary>Files a directory record references that do not exist (full paths as resolved).</summary>
    public IReadOnlyList<string> DanglingReferences { get; }

    /// <summary>The series to load when none is named: the CT with most slices (else any series with most slices); null when none.</summary>
    public DicomSeriesInfo? DefaultSeries => DicomDirectoryScanner.PickDefault(Series);

    /// <inheritdoc/>
    public int Count => Series.Count;

    /// <inheritdoc/>
    public DicomSeriesInfo this[int index] => Series[index];

    /// <summary>Finds a series by Series Instance UID (the first group with it when a localizer shares the UID).</summary>
    /// <param name="seriesInstanceUid">The UID.</param>
    /// <returns>The series or null.</returns>
    public DicomSeriesInfo? Find(string seriesInstanceUid)
    {
        foreach (DicomSeriesInfo s in Series)
        {
            if (s.SeriesInstanceUid == seriesInstanceUid)
            {
                return s;
            }
        }

        return null;
    }

    /// <inheritdoc/>
    public IEnumerator<DicomSeriesInfo> GetEnumerator() => Series.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
