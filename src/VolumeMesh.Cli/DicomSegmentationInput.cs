using VolumeMesh.Dicom;
using VolumeMesh.Labels;

namespace VolumeMesh.Cli;

/// <summary>A DICOM SEG file as the input of <c>mesh --labels</c>: read onto the series it segments, its segments as the label table.</summary>
internal static class DicomSegmentationInput
{
    /// <summary>Whether the file is a DICOM Segmentation object (read from its header only).</summary>
    /// <param name="path">An existing input file.</param>
    /// <returns>True for a DICOM file whose SOP class is Segmentation Storage.</returns>
    /// <exception cref="DicomFormatException">The file looks like DICOM (see <see cref="VolumeInput.LooksLikeDicom"/>) but its header is damaged.</exception>
    public static bool IsSegmentation(string path)
    {
        return VolumeInput.LooksLikeDicom(path) && DicomSegmentationReader.IsSegmentation(DicomFile.ReadHeader(path).Dataset);
    }

    /// <summary>Reads the SEG onto the series it references, found in <paramref name="referenceFolder"/> or the SEG's own folder.</summary>
    /// <param name="path">The SEG file.</param>
    /// <param name="referenceFolder">The folder holding the segmented series; null for the SEG's folder.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The label map in the series' geometry and its segments.</returns>
    /// <exception cref="UserInputException">The reference folder does not exist.</exception>
    public static DicomSegmentation Read(string path, string? referenceFolder, CancellationToken cancellationToken)
    {
        string folder = referenceFolder ?? Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(folder))
        {
            throw new UserInputException($"--reference '{folder}' is not a folder.");
        }

        return DicomSegmentationReader.ReadWithReferencedSeries(path, folder, null, null, cancellationToken);
    }

    /// <summary>The segments as a label table: segment number → label, colour (the SEG's recommended colour, else the default palette's).</summary>
    /// <param name="segmentation">The segmentation read.</param>
    /// <returns>The table.</returns>
    public static LabelTable Table(DicomSegmentation segmentation)
    {
        var entries = new List<LabelInfo>(segmentation.Segments.Count);
        foreach (DicomSegment segment in segmentation.Segments)
        {
            string name = string.IsNullOrWhiteSpace(segment.Label) ? LabelInfo.DefaultName(segment.Number) : segment.Label;
            entries.Add(new LabelInfo(segment.Number, name, segment.Color ?? LabelTable.Empty[segment.Number].Color));
        }

        return new LabelTable(entries);
    }
}
