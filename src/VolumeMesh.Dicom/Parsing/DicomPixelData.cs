using System.Buffers.Binary;
using VolumeMesh.Dicom.Codecs;

namespace VolumeMesh.Dicom;

/// <summary>The image pixel description of a file (PS3.3 §C.7.6.3) and its frames, native or encapsulated, with a decoder.</summary>
/// <remarks>
/// Decoded frames use one layout whatever the transfer syntax: samples little endian, <see cref="BitsAllocated"/> wide
/// (one byte per pixel when it is 1), samples of a pixel interleaved. Values are the stored values; bits above
/// <see cref="BitsStored"/> are not yet masked (see <see cref="DecodeFrameValues"/>).
/// </remarks>
public sealed class DicomPixelData
{
    /// <summary>Decoded bytes a compressed frame may declare whatever its size (small images compress to almost nothing).</summary>
    internal const int MinCompressedBound = 16 * 1024 * 1024;

    /// <summary>Decoded bytes per compressed byte beyond <see cref="MinCompressedBound"/>: more than any codec reaches on real images.</summary>
    internal const int MaxCompressionRatio = 2048;
    private readonly DicomElement _element;
    private readonly ReadOnlyMemory<byte>[]? _frames;

    private DicomPixelData(DicomFile file, DicomElement element)
    {
        File = file;
        _element = element;
        DicomDataset ds = file.Dataset;
        string? path = file.FilePath;
        Rows = Require(ds, DicomTags.Rows, 1, 65535, path);
        Columns = Require(ds, DicomTags.Columns, 1, 65535, path);
        SamplesPerPixel = ds.GetInt32(DicomTags.SamplesPerPixel) ?? 1;
        BitsAllocated = Require(ds, DicomTags.BitsAllocated, 1, 32, path);
        BitsStored = ds.GetInt32(DicomTags.BitsStored) ?? BitsAllocated;
        HighBit = ds.GetInt32(DicomTags.HighBit) ?? (BitsStored - 1);
        IsSigned = (ds.GetInt32(DicomTags.PixelRepresentation) ?? 0) == 1;
        PlanarConfiguration = ds.GetInt32(DicomTags.PlanarConfiguration) ?? 0;
        PhotometricInterpretation = ds.GetString(DicomTags.PhotometricInterpretation) ?? "MONOCHROME2";
        NumberOfFrames = Math.Max(1, ds.GetInt32(DicomTags.NumberOfFrames) ?? 1);
        if (SamplesPerPixel is not (1 or 3 or 4))
        {
            throw new DicomFormatException($"Samples per Pixel {SamplesPerPixel} is not 1, 3 or 4.", path, -1, DicomTags.SamplesPerPixel);
        }

        if (BitsAllocated is not (1 or 8 or 16 or 32))
        {
            throw new DicomFormatException($"Bits Allocated {BitsAllocated} is not 1, 8, 16 or 32.", path, -1, DicomTags.BitsAllocated);
        }

        if (BitsStored < 1 || BitsStored > BitsAllocated)
        {
            throw new DicomFormatException($"Bits Stored {BitsStored} is not within 1…{BitsAllocated}.", path, -1, DicomTags.BitsStored);
        }

        long frameLength = BitsAllocated == 1 ? (long)Rows * Columns : (long)Rows * Columns * SamplesPerPixel * (BitsAllocated / 8);
        if (frameLength > Array.MaxLength)
        {
            throw new DicomFormatException($"A frame of {frameLength} bytes is larger than supported.", path, -1, DicomTags.Rows);
        }

        FrameLength = (int)frameLength;
        if (element.Fragments is null)
        {
            long stored = BitsAllocated == 1 ? ((long)Rows * Columns * NumberOfFrames + 7) / 8 : frameLength * NumberOfFrames;
            if (PhotometricInterpretation is "YBR_FULL_422" or "YBR_PARTIAL_422")
            {
                throw new NotSupportedException($"Native {PhotometricInterpretation} pixel data (sub-sampled chroma) is not supported ({path}).");
            }

            if (stored > element.Value.Length)
            {
                throw new DicomFormatException(
                    $"Pixel data holds {element.Value.Length} bytes but {NumberOfFrames} frame(s) of {Rows}×{Columns}×{SamplesPerPixel} at {BitsAllocated} bits need {stored}.",
                    path, element.Offset, DicomTags.PixelData);
            }
        }
        else
        {
            _frames = SplitFrames(element, NumberOfFrames, path, ds);
            foreach (ReadOnlyMemory<byte> f in _frames)
            {
                if (FrameLength > Math.Max(MinCompressedBound, (long)f.Length * MaxCompressionRatio))
                {
                    throw new DicomFormatException(
                        $"A {Rows}×{Columns} frame of {FrameLength} bytes cannot come from {f.Length} compressed bytes.", path, element.Offset, DicomTags.Rows);
                }
            }
        }
    }

    /// <summary>The file.</summary>
    public DicomFile File { get; }

    /// <summary>Rows (image height).</summary>
    public int Rows { get; }

    /// <summary>Columns (image width).</summary>
    public int Columns { get; }

    /// <summary>Samples per pixel (1 for grey images).</summary>
    public int SamplesPerPixel { get; }

    /// <summary>Bits allocated per sample (1, 8, 16 or 32).</summary>
    public int BitsAllocated { get; }

    /// <summary>Bits stored per sample.</summary>
    public int BitsStored { get; }

    /// <summary>High bit.</summary>
    public int HighBit { get; }

    /// <summary>Whether samples are two's complement (Pixel Representation 1).</summary>
    public bool IsSigned { get; }

    /// <summary>Planar configuration of native colour data (0 interleaved, 1 planar).</summary>
    public int PlanarConfiguration { get; }

    /// <summary>Photometric interpretation, e.g. MONOCHROME2.</summary>
    public string PhotometricInterpretation { get; }

    /// <summary>Number of frames.</summary>
    public int NumberOfFrames { get; }

    /// <summary>Bytes of one decoded frame.</summary>
    public int FrameLength { get; }

    /// <summary>The transfer syntax.</summary>
    public DicomTransferSyntax TransferSyntax => File.TransferSyntax;

    /// <summary>Whether the pixel data is native little endian with whole-byte samples, so a frame's stored bytes are its decoded bytes.</summary>
    internal bool IsNativeLittleEndian => _frames is null && !File.Dataset.IsBigEndian && BitsAllocated >= 8 && (SamplesPerPixel == 1 || PlanarConfiguration == 0);

    /// <summary>The stored bytes of a frame: native bytes, or the compressed bit stream (fragments joined).</summary>
    /// <param name="frame">Frame index.</param>
    /// <returns>The bytes.</returns>
    public ReadOnlyMemory<byte> GetFrameData(int frame)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frame);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(frame, NumberOfFrames);
        if (_frames is not null)
        {
            return _frames[frame];
        }

        if (BitsAllocated == 1)
        {
            return _element.Value;
        }

        return _element.Value.Slice(frame * FrameLength, FrameLength);
    }

    /// <summary>Decodes a frame into a new array (layout in the class remarks).</summary>
    /// <param name="frame">Frame index.</param>
    /// <returns>The decoded bytes.</returns>
    /// <exception cref="DicomFormatException">The frame data is corrupt.</exception>
    /// <exception cref="NotSupportedException">The transfer syntax is not supported, or its native library is missing.</exception>
    public byte[] DecodeFrame(int frame)
    {
        byte[] result = new byte[FrameLength];
        DecodeFrame(frame, result);
        return result;
    }

    /// <summary>Decodes a frame into <paramref name="destination"/> (layout in the class remarks).</summary>
    /// <param name="frame">Frame index.</param>
    /// <param name="destination">At least <see cref="FrameLength"/> bytes.</param>
    /// <exception cref="DicomFormatException">The frame data is corrupt.</exception>
    /// <exception cref="NotSupportedException">The transfer syntax is not supported, or its native library is missing.</exception>
    public void DecodeFrame(int frame, Span<byte> destination)
    {
        if (destination.Length < FrameLength)
        {
            throw new ArgumentException($"The destination needs {FrameLength} bytes.", nameof(destination));
        }

        destination = destination[..FrameLength];
        ReadOnlyMemory<byte> data = GetFrameData(frame);
        DicomTransferSyntax ts = TransferSyntax;
        switch (ts.PixelEncoding)
        {
            case DicomPixelEncoding.Native:
                DecodeNative(frame, data.Span, destination);
                break;
            case DicomPixelEncoding.Rle:
                RleCodec.Decode(data.Span, destination, Rows * Columns, SamplesPerPixel, BitsAllocated / 8, File.FilePath);
                break;
            case DicomPixelEncoding.Jpeg:
                JpegCodec.Decode(data, destination, this);
                break;
            case DicomPixelEncoding.JpegLs:
                CharLsCodec.Decode(data, destination, this);
                break;
            case DicomPixelEncoding.Jpeg2000:
                OpenJpegCodec.Decode(data, destination, this);
                break;
            default:
                throw new NotSupportedException(
                    $"{File.FilePath}: pixel data in {ts} cannot be decoded; convert the file to an uncompressed or lossless syntax first (e.g. 'gdcmconv --raw' or dcmtk's 'dcmdjpeg').");
        }
    }

    /// <summary>Decodes a frame to stored values: masked to <see cref="BitsStored"/> and sign-extended when <see cref="IsSigned"/>; samples interleaved.</summary>
    /// <param name="frame">Frame index.</param>
    /// <returns>One value per sample.</returns>
    public long[] DecodeFrameValues(int frame)
    {
        byte[] bytes = DecodeFrame(frame);
        int bytesPerSample = Math.Max(1, BitsAllocated / 8);
        var values = new long[bytes.Length / bytesPerSample];
        int bits = BitsStored;
        long mask = (1L << bits) - 1;
        for (int i = 0; i < values.Length; i++)
        {
            long raw = bytesPerSample switch
            {
                1 => bytes[i],
                2 => BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(2 * i)),
                _ => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4 * i)),
            };
            raw &= mask;
            if (IsSigned && bits < 64 && (raw >> (bits - 1)) != 0)
            {
                raw -= 1L << bits;
            }

            values[i] = raw;
        }

        return values;
    }

    internal static DicomPixelData Create(DicomFile file)
    {
        DicomElement? element = file.Dataset.GetElement(DicomTags.PixelData);
        if (element is null)
        {
            throw new DicomFormatException("The file has no Pixel Data.", file.FilePath, -1, DicomTags.PixelData);
        }

        if (file.TransferSyntax.IsEncapsulated != (element.Fragments is not null))
        {
            throw new DicomFormatException(
                $"Pixel data is {(element.Fragments is null ? "native" : "encapsulated")} but the transfer syntax is {file.TransferSyntax}.",
                file.FilePath, element.Offset, DicomTags.PixelData);
        }

        return new DicomPixelData(file, element);
    }

    private static int Require(DicomDataset ds, DicomTag tag, int min, int max, string? path)
    {
        int? v = ds.GetInt32(tag);
        if (v is null || v < min || v > max)
        {
            throw new DicomFormatException($"Missing or invalid value {v?.ToString() ?? "(none)"} (expected {min}…{max}).", path, -1, tag);
        }

        return v.Value;
    }

    private static ReadOnlyMemory<byte>[] SplitFrames(DicomElement element, int frames, string? path, DicomDataset ds)
    {
        IReadOnlyList<ReadOnlyMemory<byte>> fragments = element.Fragments!;
        if (fragments.Count == 0)
        {
            throw new DicomFormatException("Encapsulated pixel data has no fragments.", path, element.Offset, DicomTags.PixelData);
        }

        if (frames == 1)
        {
            return new[] { Join(fragments, 0, fragments.Count) };
        }

        if (fragments.Count == frames)
        {
            return fragments.ToArray();
        }

        if (fragments.Count < frames)
        {
            throw new DicomFormatException($"{frames} frames but only {fragments.Count} fragments.", path, element.Offset, DicomTags.PixelData);
        }

        // Several fragments per frame: use the extended offset table (7FE0,0001) or the basic offset table
        // (PS3.5 §A.4), both offsets of item headers from the first fragment's; else split where a codestream starts.
        ReadOnlySpan<byte> bot = element.BasicOffsetTable.Span;
        ReadOnlySpan<byte> eot = (ds.GetElement(DicomTags.ExtendedOffsetTable)?.Value ?? ReadOnlyMemory<byte>.Empty).Span;
        int entrySize = eot.Length == 8 * frames ? 8 : 4;
        ReadOnlySpan<byte> table = entrySize == 8 ? eot : bot;
        var starts = new List<int>();
        if (table.Length == entrySize * frames)
        {
            IReadOnlyList<long> itemOffsets = element.FragmentItemOffsets!;
            for (int f = 0; f < frames; f++)
            {
                ulong offset = entrySize == 8
                    ? BinaryPrimitives.ReadUInt64LittleEndian(table[(8 * f)..])
                    : BinaryPrimitives.ReadUInt32LittleEndian(table[(4 * f)..]);
                int index = -1;
                for (int i = 0; i < itemOffsets.Count; i++)
                {
                    if ((ulong)itemOffsets[i] == offset)
                    {
                        index = i;
                        break;
                    }
                }

                if (index < 0 || (starts.Count > 0 && index <= starts[^1]))
                {
                    throw new DicomFormatException($"Offset table entry {f} ({offset}) does not point at a fragment.", path, element.Offset, DicomTags.PixelData);
                }

                starts.Add(index);
            }
        }
        else
        {
            for (int i = 0; i < fragments.Count; i++)
            {
                ReadOnlySpan<byte> s = fragments[i].Span;
                bool codestreamStart = s.Length >= 2 && s[0] == 0xFF && (s[1] == 0xD8 || s[1] == 0x4F);
                if (i == 0 || codestreamStart)
                {
                    starts.Add(i);
                }
            }

            if (starts.Count != frames)
            {
                throw new DicomFormatException($"Cannot split {fragments.Count} fragments into {frames} frames without an offset table.", path, element.Offset, DicomTags.PixelData);
            }
        }

        var result = new ReadOnlyMemory<byte>[frames];
        for (int f = 0; f < frames; f++)
        {
            int end = f + 1 < frames ? starts[f + 1] : fragments.Count;
            result[f] = Join(fragments, starts[f], end - starts[f]);
        }

        return result;
    }

    private static ReadOnlyMemory<byte> Join(IReadOnlyList<ReadOnlyMemory<byte>> fragments, int start, int count)
    {
        if (count == 1)
        {
            return fragments[start];
        }

        long total = 0;
        for (int i = 0; i < count; i++)
        {
            total += fragments[start + i].Length;
        }

        byte[] joined = new byte[total];
        int at = 0;
        for (int i = 0; i < count; i++)
        {
            fragments[start + i].Span.CopyTo(joined.AsSpan(at));
            at += fragments[start + i].Length;
        }

        return joined;
    }

    private void DecodeNative(int frame, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (BitsAllocated == 1)
        {
            // Bits are packed across frames, least significant bit first (PS3.5 §8.1.1).
            long bit = (long)frame * Rows * Columns;
            for (int i = 0; i < destination.Length; i++, bit++)
            {
                destination[i] = (byte)((data[(int)(bit >> 3)] >> (int)(bit & 7)) & 1);
            }

            return;
        }

        int bytesPerSample = BitsAllocated / 8;
        bool swap = File.Dataset.IsBigEndian && bytesPerSample > 1;
        if (SamplesPerPixel > 1 && PlanarConfiguration == 1)
        {
            int pixels = Rows * Columns;
            for (int s = 0; s < SamplesPerPixel; s++)
            {
                for (int p = 0; p < pixels; p++)
                {
                    data.Slice(((s * pixels) + p) * bytesPerSample, bytesPerSample)
                        .CopyTo(destination.Slice(((p * SamplesPerPixel) + s) * bytesPerSample, bytesPerSample));
                }
            }
        }
        else
        {
            data[..destination.Length].CopyTo(destination);
        }

        if (swap)
        {
            if (bytesPerSample == 2)
            {
                BinaryPrimitives.ReverseEndianness(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(destination), System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(destination));
            }
            else
            {
                BinaryPrimitives.ReverseEndianness(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(destination), System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(destination));
            }
        }
    }
}
