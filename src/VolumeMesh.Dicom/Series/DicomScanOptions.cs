namespace VolumeMesh.Dicom;

/// <summary>Options of <see cref="DicomDirectoryScanner.Scan"/>.</summary>
public sealed record DicomScanOptions
{
    /// <summary>Scan sub-folders (default true).</summary>
    public bool Recursive { get; init; } = true;

    /// <summary>Threads reading headers; null for the processor count.</summary>
    public int? MaxDegreeOfParallelism { get; init; }

    /// <summary>Most file-level warnings (unreadable files, dangling references) to list before summarising (default 50).</summary>
    public int MaxListedWarnings { get; init; } = 50;
}
