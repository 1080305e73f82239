using VolumeMesh.IO;

namespace VolumeMesh.Dicom;

/// <summary>One item of a SEG's Segment Sequence (0062,0002): a structure, its label and colour, and how much of the volume it holds.</summary>
public sealed class DicomSegment
{
    /// <summary>Segment Number (0062,0004): the value this segment has in <see cref="DicomSegmentation.Labels"/>.</summary>
    public required int Number { get; init; }

    /// <summary>Segment Label (0062,0005); <c>segment_N</c> when the file has none.</summary>
    public required string Label { get; init; }

    /// <summary>Segment Description (0062,0006), if any.</summary>
    public string? Description { get; init; }

    /// <summary>The sRGB colour converted from Recommended Display CIELab Value (0062,000D); null when the file gives none.</summary>
    public PartColor? Color { get; init; }

    /// <summary>Segment Algorithm Type (0062,0008): MANUAL, SEMIAUTOMATIC or AUTOMATIC.</summary>
    public string? AlgorithmType { get; init; }

    /// <summary>Segment Algorithm Name (0062,0009), if any.</summary>
    public string? AlgorithmName { get; init; }

    /// <summary>Code Meaning of the Segmented Property Category (0062,0003), e.g. "Anatomical Structure".</summary>
    public string? CategoryMeaning { get; init; }

    /// <summary>Code Meaning of the Segmented Property Type (0062,000F), e.g. "Vertebra".</summary>
    public string? TypeMeaning { get; init; }

    /// <summary>Frames of the file that belong to this segment.</summary>
    public int FrameCount { get; internal set; }

    /// <summary>Voxels of <see cref="DicomSegmentation.Labels"/> that hold this segment's number (after overlaps are resolved); 0 for an empty segment.</summary>
    public long VoxelCount { get; internal set; }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"{Number} \"{Label}\" {Color?.ToHex() ?? "(no colour)"}, {VoxelCount} voxels");
}
