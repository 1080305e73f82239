using System.Buffers.Binary;

namespace VolumeMesh.Dicom.Codecs;

/// <summary>RLE Lossless decoder (PS3.5 Annex G): a 64-byte header of segment offsets, one PackBits segment per byte plane.</summary>
internal static class RleCodec
{
    /// <summary>Decodes one frame into little-endian, sample-interleaved bytes.</summary>
    /// <param name="frame">The frame's bytes (header and segments).</param>
    /// <param name="destination">pixels × samples × bytesPerSample bytes.</param>
    /// <param name="pixels">Rows × columns.</param>
    /// <param name="samples">Samples per pixel.</param>
    /// <param name="bytesPerSample">Bytes per sample (1, 2 or 4).</param>
    /// <param name="path">The file, for messages.</param>
    public static void Decode(ReadOnlySpan<byte> frame, Span<byte> destination, int pixels, int samples, int bytesPerSample, string? path)
    {
        if (frame.Length < 64)
        {
            throw new DicomFormatException($"RLE frame of {frame.Length} bytes is shorter than its 64-byte header.", path);
        }

        int segments = (int)BinaryPrimitives.ReadUInt32LittleEndian(frame);
        int expected = samples * bytesPerSample;
        if (segments != expected || segments > 15)
        {
            throw new DicomFormatException($"RLE frame has {segments} segments, expected {expected}.", path);
        }

        Span<int> offsets = stackalloc int[16];
        for (int i = 0; i < segments; i++)
        {
            uint o = BinaryPrimitives.ReadUInt32LittleEndian(frame[(4 + (4 * i))..]);
            if (o < 64 || o > (uint)frame.Length || (i > 0 && o < offsets[i - 1]))
            {
                throw new DicomFormatException($"RLE segment {i} offset {o} is outside the {frame.Length}-byte frame.", path);
            }

            offsets[i] = (int)o;
        }

        offsets[segments] = frame.Length;
        int stride = samples * bytesPerSample;
        for (int seg = 0; seg < segments; seg++)
        {
            // Segment order: for each sample, most significant byte first.
            int sample = seg / bytesPerSample;
            int byteInSample = bytesPerSample - 1 - (seg % bytesPerSample);
            int start = (sample * bytesPerSample) + byteInSample;
            DecodeSegment(frame[offsets[seg]..offsets[seg + 1]], destination, start, stride, pixels, path, seg);
        }
    }

    private static void DecodeSegment(ReadOnlySpan<byte> src, Span<byte> dst, int start, int stride, int count, string? path, int segment)
    {
        int written = 0;
        int di = start;
        int si = 0;
        while (written < count)
        {
            if (si >= src.Length)
            {
                throw new DicomFormatException($"RLE segment {segment} ends after {written} of {count} bytes.", path);
            }

            int n = (sbyte)src[si++];
            if (n >= 0)
            {
                int run = n + 1;
                if (si + run > src.Length || written + run > count)
                {
                    throw new DicomFormatException($"RLE segment {segment} literal run overruns its data.", path);
                }

                if (stride == 1)
                {
                    src.Slice(si, run).CopyTo(dst[di..]);
                    di += run;
                }
                else
                {
                    for (int k = 0; k < run; k++, di += stride)
                    {
                        dst[di] = src[si + k];
                    }
                }

                si += run;
                written += run;
            }
            else if (n != -128)
            {
                int run = 1 - n;
                if (si >= src.Length || written + run > count)
                {
                    throw new DicomFormatException($"RLE segment {segment} replicate run overruns its data.", path);
                }

                byte value = src[si++];
                if (stride == 1)
                {
                    dst.Slice(di, run).Fill(value);
                    di += run;
                }
                else
                {
                    for (int k = 0; k < run; k++, di += stride)
                    {
                        dst[di] = value;
                    }
                }

                written += run;
            }
        }
    }
}
