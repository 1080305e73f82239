namespace VolumeMesh.Dicom;

/// <summary>How pixel data of a transfer syntax is compressed.</summary>
public enum DicomPixelEncoding
{
    /// <summary>Native (uncompressed) pixel data.</summary>
    Native,

    /// <summary>RLE Lossless (PS3.5 Annex G).</summary>
    Rle,

    /// <summary>JPEG (ISO 10918-1): baseline, extended and lossless processes.</summary>
    Jpeg,

    /// <summary>JPEG-LS (ISO 14495-1).</summary>
    JpegLs,

    /// <summary>JPEG 2000 (ISO 15444-1).</summary>
    Jpeg2000,

    /// <summary>A compression this reader does not decode.</summary>
    Unsupported,
}

/// <summary>A DICOM transfer syntax (PS3.5 §10, Annex A): byte order, VR encoding and pixel compression.</summary>
public sealed class DicomTransferSyntax
{
    private static readonly Dictionary<string, DicomTransferSyntax> s_known = new(StringComparer.Ordinal);

    /// <summary>Implicit VR Little Endian (1.2.840.10008.1.2).</summary>
    public static readonly DicomTransferSyntax ImplicitVRLittleEndian = Add("1.2.840.10008.1.2", "Implicit VR Little Endian", false, false, false, DicomPixelEncoding.Native);

    /// <summary>Explicit VR Little Endian (1.2.840.10008.1.2.1).</summary>
    public static readonly DicomTransferSyntax ExplicitVRLittleEndian = Add("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, false, false, DicomPixelEncoding.Native);

    /// <summary>Deflated Explicit VR Little Endian (1.2.840.10008.1.2.1.99).</summary>
    public static readonly DicomTransferSyntax DeflatedExplicitVRLittleEndian = Add("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, false, true, DicomPixelEncoding.Native);

    /// <summary>Explicit VR Big Endian (1.2.840.10008.1.2.2, retired).</summary>
    public static readonly DicomTransferSyntax ExplicitVRBigEndian = Add("1.2.840.10008.1.2.2", "Explicit VR Big Endian", true, true, false, DicomPixelEncoding.Native);

    /// <summary>RLE Lossless (1.2.840.10008.1.2.5).</summary>
    public static readonly DicomTransferSyntax RleLossless = Add("1.2.840.10008.1.2.5", "RLE Lossless", true, false, false, DicomPixelEncoding.Rle);

    /// <summary>JPEG Baseline, process 1 (1.2.840.10008.1.2.4.50).</summary>
    public static readonly DicomTransferSyntax JpegBaseline = Add("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", true, false, false, DicomPixelEncoding.Jpeg);

    /// <summary>JPEG Extended, processes 2 and 4 (1.2.840.10008.1.2.4.51).</summary>
    public static readonly DicomTransferSyntax JpegExtended = Add("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)", true, false, false, DicomPixelEncoding.Jpeg);

    /// <summary>JPEG Lossless, non-hierarchical, process 14 (1.2.840.10008.1.2.4.57).</summary>
    public static readonly DicomTransferSyntax JpegLossless = Add("1.2.840.10008.1.2.4.57", "JPEG Lossless (Process 14)", true, false, false, DicomPixelEncoding.Jpeg);

    /// <summary>JPEG Lossless, process 14, selection value 1 (1.2.840.10008.1.2.4.70).</summary>
    public static readonly DicomTransferSyntax JpegLosslessSV1 = Add("1.2.840.10008.1.2.4.70", "JPEG Lossless (Process 14, SV1)", true, false, false, DicomPixelEncoding.Jpeg);

    /// <summary>JPEG-LS Lossless (1.2.840.10008.1.2.4.80).</summary>
    public static readonly DicomTransferSyntax JpegLsLossless = Add("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless", true, false, false, DicomPixelEncoding.JpegLs);

    /// <summary>JPEG-LS near-lossless (1.2.840.10008.1.2.4.81).</summary>
    public static readonly DicomTransferSyntax JpegLsNearLossless = Add("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless)", true, false, false, DicomPixelEncoding.JpegLs);

    /// <summary>JPEG 2000 lossless only (1.2.840.10008.1.2.4.90).</summary>
    public static readonly DicomTransferSyntax Jpeg2000Lossless = Add("1.2.840.10008.1.2.4.90", "JPEG 2000 (Lossless Only)", true, false, false, DicomPixelEncoding.Jpeg2000);

    /// <summary>JPEG 2000 (1.2.840.10008.1.2.4.91).</summary>
    public static readonly DicomTransferSyntax Jpeg2000 = Add("1.2.840.10008.1.2.4.91", "JPEG 2000", true, false, false, DicomPixelEncoding.Jpeg2000);

    private DicomTransferSyntax(string uid, string name, bool explicitVR, bool bigEndian, bool deflated, DicomPixelEncoding encoding)
    {
        Uid = uid;
        Name = name;
        IsExplicitVR = explicitVR;
        IsBigEndian = bigEndian;
        IsDeflated = deflated;
        PixelEncoding = encoding;
    }

    /// <summary>The UID.</summary>
    public string Uid { get; }

    /// <summary>A readable name.</summary>
    public string Name { get; }

    /// <summary>Whether data elements carry their VR.</summary>
    public bool IsExplicitVR { get; }

    /// <summary>Whether binary values are big endian.</summary>
    public bool IsBigEndian { get; }

    /// <summary>Whether the data set after the file meta information is deflated (RFC 1951).</summary>
    public bool IsDeflated { get; }

    /// <summary>How the pixel data is compressed.</summary>
    public DicomPixelEncoding PixelEncoding { get; }

    /// <summary>Whether pixel data is encapsulated (fragments in items).</summary>
    public bool IsEncapsulated => PixelEncoding != DicomPixelEncoding.Native;

    /// <summary>Finds the transfer syntax for a UID; unknown UIDs give an encapsulated, explicit VR little endian syntax whose pixels cannot be decoded.</summary>
    /// <param name="uid">The UID (trailing NUL or space padding is ignored).</param>
    /// <returns>The transfer syntax.</returns>
    public static DicomTransferSyntax FromUid(string uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        uid = uid.TrimEnd('\0', ' ');
        lock (s_known)
        {
            if (!s_known.TryGetValue(uid, out DicomTransferSyntax? syntax))
            {
                syntax = new DicomTransferSyntax(uid, "unknown or retired transfer syntax", true, false, false, DicomPixelEncoding.Unsupported);
            }

            return syntax;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Uid})";

    private static DicomTransferSyntax Add(string uid, string name, bool explicitVR, bool bigEndian, bool deflated, DicomPixelEncoding encoding)
    {
        var syntax = new DicomTransferSyntax(uid, name, explicitVR, bigEndian, deflated, encoding);
        s_known.Add(uid, syntax);
        return syntax;
    }
}
