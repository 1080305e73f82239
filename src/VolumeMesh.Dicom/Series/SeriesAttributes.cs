namespace VolumeMesh.Dicom;

/// <summary>Series-level header values of one file.</summary>
internal sealed class SeriesAttributes
{
    public required string SeriesInstanceUid { get; init; }

    public string? StudyInstanceUid { get; init; }

    public string? FrameOfReferenceUid { get; init; }

    public string? Modality { get; init; }

    public string? SeriesDescription { get; init; }

    public int? SeriesNumber { get; init; }

    public string[] ImageType { get; init; } = Array.Empty<string>();
}
