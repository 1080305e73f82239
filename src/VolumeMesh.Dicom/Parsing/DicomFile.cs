using System.Buffers.Binary;
using System.IO.Compression;

namespace VolumeMesh.Dicom;

/// <summary>A DICOM file (PS3.10): optional preamble and file meta information, then the data set in its transfer syntax.</summary>
/// <remarks>
/// Files without the 128-byte preamble, without file meta information (the transfer syntax is then detected from the first
/// element), deflated data sets and gzip-wrapped files are read. Malformed input raises <see cref="DicomFormatException"/>.
/// </remarks>
public sealed class DicomFile
{
    private const int HeaderProbeBytes = 16 * 1024;
    private static readonly DicomDataset s_emptyMeta = new(false, null);
    private DicomPixelData? _pixelData;

    private DicomFile(string? path, DicomDataset meta, DicomDataset dataset, DicomTransferSyntax syntax, bool hasPreamble, bool headerOnly, long fileLength, long dataSetEnd)
    {
        FilePath = path;
        FileMetaInformation = meta;
        Dataset = dataset;
        TransferSyntax = syntax;
        HasPreamble = hasPreamble;
        IsHeaderOnly = headerOnly;
        FileLength = fileLength;
        DataSetEnd = dataSetEnd;
    }

    /// <summary>The file path, when read from a file.</summary>
    public string? FilePath { get; }

    /// <summary>The file meta information (group 0002); empty when the file has none.</summary>
    public DicomDataset FileMetaInformation { get; }

    /// <summary>The data set.</summary>
    public DicomDataset Dataset { get; }

    /// <summary>The transfer syntax of the data set (from the meta information, or detected).</summary>
    public DicomTransferSyntax TransferSyntax { get; }

    /// <summary>Whether the file starts with the 128-byte preamble and "DICM".</summary>
    public bool HasPreamble { get; }

    /// <summary>Whether the read stopped before the pixel data (<see cref="ReadHeader(string)"/>).</summary>
    public bool IsHeaderOnly { get; }

    /// <summary>Size of the file in bytes.</summary>
    public long FileLength { get; }

    /// <summary>Where the data set's bytes end, in the coordinates of <see cref="DicomElement.Offset"/>: the file's length, or the
    /// inflated length of a deflated or gzip-wrapped file. What an element can hold is bounded by it, not by its declared length.</summary>
    internal long DataSetEnd { get; }

    /// <summary>Whether the data set has pixel data.</summary>
    public bool HasPixelData => Dataset.Contains(DicomTags.PixelData);

    /// <summary>Reads a whole file, pixel data included.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The file.</returns>
    /// <exception cref="DicomFormatException">The file is not valid DICOM.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static DicomFile Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes = File.ReadAllBytes(path);
        return Parse(bytes, path, headerOnly: false);
    }

    /// <summary>Reads the header of a file: every element before the pixel data, reading only as much of the file as that needs.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The file, with <see cref="IsHeaderOnly"/> set when pixel data was skipped.</returns>
    /// <exception cref="DicomFormatException">The file is not valid DICOM.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static DicomFile ReadHeader(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        long length = stream.Length;
        int probe = (int)Math.Min(length, HeaderProbeBytes);
        while (true)
        {
            byte[] buffer = new byte[probe];
            stream.Position = 0;
            stream.ReadExactly(buffer);
            bool partial = probe < length;
            try
            {
                return Parse(buffer, path, headerOnly: true, partial, length);
            }
            catch (DicomParser.NeedMoreDataException)
            {
                // Only a partial read asks for more; the next try reads 8× as much, at last the whole file.
                probe = (int)Math.Min(length, Math.Min((long)probe * 8, Array.MaxLength));
            }
        }
    }

    /// <summary>Parses a file's bytes.</summary>
    /// <param name="bytes">The whole file.</param>
    /// <param name="path">The file name for messages, if any.</param>
    /// <param name="headerOnly">Stop before the top-level pixel data.</param>
    /// <returns>The file.</returns>
    /// <exception cref="DicomFormatException">The bytes are not valid DICOM.</exception>
    public static DicomFile Parse(ReadOnlyMemory<byte> bytes, string? path = null, bool headerOnly = false) =>
        Parse(bytes, path, headerOnly, partial: false, bytes.Length);

    /// <summary>The pixel data description and frame decoder.</summary>
    /// <returns>The pixel data.</returns>
    /// <exception cref="InvalidOperationException">The file was read header-only.</exception>
    /// <exception cref="DicomFormatException">There is no pixel data or the image attributes are invalid.</exception>
    public DicomPixelData GetPixelData()
    {
        if (IsHeaderOnly)
        {
            throw new InvalidOperationException("The file was read header-only; open it with DicomFile.Open to decode pixels.");
        }

        return _pixelData ??= DicomPixelData.Create(this);
    }

    internal static DicomFile Parse(ReadOnlyMemory<byte> bytes, string? path, bool headerOnly, bool partial, long fileLength)
    {
        ReadOnlySpan<byte> span = bytes.Span;
        if (span.Length >= 2 && span[0] == 0x1F && span[1] == 0x8B)
        {
            if (partial)
            {
                throw new DicomParser.NeedMoreDataException();
            }

            return Parse(Inflate(bytes, path, gzip: true), path, headerOnly, false, fileLength);
        }

        int pos = 0;
        bool hasPreamble = span.Length >= 132 && span[128] == (byte)'D' && span[129] == (byte)'I' && span[130] == (byte)'C' && span[131] == (byte)'M';
        if (hasPreamble)
        {
            pos = 132;
        }

        DicomDataset meta = s_emptyMeta;
        if (span.Length - pos >= 8 && BinaryPrimitives.ReadUInt16LittleEndian(span[pos..]) == 0x0002)
        {
            bool metaExplicit = IsVRAt(span, pos + 4);
            var metaParser = new DicomParser(bytes, path, partial) { Position = pos };
            meta = metaParser.ParseDataset(bytes.Length, metaExplicit, false, 0, false, false, onlyGroup: 0x0002);
            pos = metaParser.Position;
        }
        else if (!hasPreamble && !LooksLikeDataSetStart(span))
        {
            throw new DicomFormatException("Not a DICOM file: no \"DICM\" prefix, no file meta information and no recognisable first element.", path, 0);
        }

        string? tsUid = meta.GetString(DicomTags.TransferSyntaxUid);
        DicomTransferSyntax syntax;
        if (!string.IsNullOrEmpty(tsUid))
        {
            syntax = DicomTransferSyntax.FromUid(tsUid);
        }
        else
        {
            syntax = DetectSyntax(span, pos, path);
        }

        ReadOnlyMemory<byte> data = bytes;
        int start = pos;
        int end = bytes.Length;
        if (syntax.IsDeflated)
        {
            if (partial)
            {
                throw new DicomParser.NeedMoreDataException();
            }

            data = Inflate(bytes[pos..], path, gzip: false);
            start = 0;
            end = data.Length;
        }

        bool explicitVR = syntax.IsExplicitVR;
        if (end - start >= 6)
        {
            // Some files declare explicit VR but are written implicit (and vice versa); trust the bytes (as pydicom and dcmtk do).
            bool looksExplicit = IsVRAt(data.Span, start + 4);
            if (explicitVR != looksExplicit && !syntax.IsBigEndian)
            {
                explicitVR = looksExplicit;
            }
        }

        var parser = new DicomParser(data, path, partial);
        parser.Position = start;
        DicomDataset dataset = parser.ParseDataset(end, explicitVR, syntax.IsBigEndian, 0, false, headerOnly);
        if (partial && !parser.StoppedAtPixelData)
        {
            throw new DicomParser.NeedMoreDataException();
        }

        if (explicitVR != syntax.IsExplicitVR && !string.IsNullOrEmpty(tsUid) && syntax.PixelEncoding == DicomPixelEncoding.Native && !syntax.IsDeflated)
        {
            syntax = explicitVR ? DicomTransferSyntax.ExplicitVRLittleEndian : DicomTransferSyntax.ImplicitVRLittleEndian;
        }

        return new DicomFile(path, meta, dataset, syntax, hasPreamble, headerOnly && parser.StoppedAtPixelData, fileLength, partial ? fileLength : end);
    }

    private static bool IsVRAt(ReadOnlySpan<byte> span, int pos)
    {
        if (pos + 2 > span.Length)
        {
            return false;
        }

        return new DicomVR((ushort)((span[pos] << 8) | span[pos + 1])).IsKnown;
    }

    private static bool LooksLikeDataSetStart(ReadOnlySpan<byte> span)
    {
        if (span.Length < 8)
        {
            return false;
        }

        ushort le = BinaryPrimitives.ReadUInt16LittleEndian(span);
        ushort be = BinaryPrimitives.ReadUInt16BigEndian(span);
        return le is 0x0008 or 0x0002 || be is 0x0008 or 0x0002;
    }

    private static DicomTransferSyntax DetectSyntax(ReadOnlySpan<byte> span, int pos, string? path)
    {
        if (span.Length - pos < 8)
        {
            throw new DicomFormatException("The file has no data set.", path, pos);
        }

        ushort le = BinaryPrimitives.ReadUInt16LittleEndian(span[pos..]);
        ushort be = BinaryPrimitives.ReadUInt16BigEndian(span[pos..]);
        bool bigEndian = le > 0x00FF && be <= 0x00FF;
        bool explicitVR = IsVRAt(span, pos + 4);
        if (bigEndian)
        {
            return DicomTransferSyntax.ExplicitVRBigEndian;
        }

        return explicitVR ? DicomTransferSyntax.ExplicitVRLittleEndian : DicomTransferSyntax.ImplicitVRLittleEndian;
    }

    private static byte[] Inflate(ReadOnlyMemory<byte> compressed, string? path, bool gzip)
    {
        try
        {
            using var input = new MemoryStream(compressed.ToArray(), writable: false);
            using Stream inflater = gzip ? new GZipStream(input, CompressionMode.Decompress) : new DeflateStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            byte[] chunk = new byte[81920];
            int n;
            while ((n = inflater.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (output.Length + n > Array.MaxLength)
                {
                    throw new DicomFormatException("The deflated data set expands beyond the largest array.", path);
                }

                output.Write(chunk, 0, n);
            }

            return output.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw new DicomFormatException($"The {(gzip ? "gzip" : "deflated")} data is corrupt: {ex.Message}", path, -1, null, ex);
        }
    }
}
