namespace VolumeMesh.Dicom;

/// <summary>One data element of a data set: its tag, VR, and value bytes (or sequence items, or pixel fragments).</summary>
/// <remarks>The value is a slice of the file's bytes, not a copy.</remarks>
public sealed class DicomElement
{
    internal DicomElement(DicomTag tag, DicomVR vr, long offset, uint length, ReadOnlyMemory<byte> value)
    {
        Tag = tag;
        VR = vr;
        Offset = offset;
        Length = length;
        Value = value;
    }

    /// <summary>The tag.</summary>
    public DicomTag Tag { get; }

    /// <summary>The VR (as encoded for explicit VR; from the data dictionary, or UN, for implicit VR).</summary>
    public DicomVR VR { get; }

    /// <summary>Byte offset of the value in the (decoded) data set.</summary>
    public long Offset { get; }

    /// <summary>The value length as encoded; 0xFFFFFFFF for undefined length.</summary>
    public uint Length { get; }

    /// <summary>The value bytes (empty for sequences, encapsulated pixel data, and pixel data skipped by a header-only read).</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>The items of a sequence, or null when the element is not a sequence.</summary>
    public IReadOnlyList<DicomDataset>? Items { get; internal init; }

    /// <summary>The fragments of encapsulated pixel data (after the basic offset table), or null.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>>? Fragments { get; internal init; }

    /// <summary>Byte offsets of the fragment item headers relative to the first fragment's item header (for the basic offset table), or null.</summary>
    internal IReadOnlyList<long>? FragmentItemOffsets { get; init; }

    /// <summary>The basic offset table of encapsulated pixel data (may be empty).</summary>
    public ReadOnlyMemory<byte> BasicOffsetTable { get; internal init; }

    /// <summary>Whether the value was not loaded because the read stopped before the pixel data.</summary>
    public bool IsValueSkipped { get; internal init; }
}
