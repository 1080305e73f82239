using System.Buffers.Binary;

namespace VolumeMesh.Dicom.Codecs;

/// <summary>
/// Checks a JPEG stream before it reaches JpegLibrary, for faults fuzzing found in that library (tests'
/// FuzzRegressions/jpeg and /dicom): its Huffman table builder loops for billions of iterations on a DHT segment whose 16
/// code counts are all zero, and its progressive scan decoder corrupts memory (an access violation that ends the process)
/// on malformed progressive streams. DICOM's JPEG transfer syntaxes use only SOF0 (process 1, 1.2.840.10008.1.2.4.50),
/// SOF1 (processes 2 and 4, .51) and SOF3 (process 14, .57 and .70); every other process is refused before decoding.
/// These processes are non-hierarchical, so a stream holds one frame header (ISO 10918-1 §B.2.1); JpegLibrary takes a second
/// one as a new frame of whatever size it declares and spends seconds to minutes decoding it from nothing (the jpegll campaign).
/// </summary>
internal static class JpegStreamCheck
{
    /// <summary>Walks the marker segments (ISO 10918-1 §B.1.1.4; entropy-coded data skipped to the next marker): rejects a DHT table
    /// with no codes or more than 256, a reserved or extension marker (FF02…FFBF, FFF0…FFFD), a frame header other than SOF0,
    /// SOF1 or SOF3, and a second frame header.</summary>
    /// <param name="data">The JPEG stream.</param>
    /// <param name="path">The file, for messages.</param>
    /// <exception cref="DicomFormatException">A Huffman table is invalid, the stream has a reserved marker, or it has more than one frame header.</exception>
    /// <exception cref="NotSupportedException">The stream uses a JPEG process that no DICOM JPEG transfer syntax allows (progressive, arithmetic, hierarchical, differential).</exception>
    public static void Check(ReadOnlySpan<byte> data, string? path)
    {
        int pos = 0;
        int firstFrame = -1;
        while (pos + 1 < data.Length)
        {
            if (data[pos] != 0xFF)
            {
                pos++;
                continue;
            }

            byte marker = data[pos + 1];
            // The reserved codes 02…BF and the extension codes F0…FD: no DICOM JPEG process writes them, and whether one
            // carries a length is where this walk and JpegLibrary disagreed, each time hiding from the walk a frame header
            // that JpegLibrary then decoded: an arithmetic progressive SOF behind FF 80 (an access violation), and a
            // progressive SOF2 behind FF BD and FF F8 (4 s of decoding before a failure), the jpegll campaigns. Refused.
            if (marker is (>= 0x02 and <= 0xBF) or (>= 0xF0 and <= 0xFD))
            {
                throw Corrupt($"the reserved marker FF{marker:X2} at byte {pos} (no DICOM JPEG process uses it)", path);
            }

            // Fill bytes, stuffed zeros in entropy-coded data, SOI/EOI/RSTn/TEM carry no segment.
            if (marker is 0xFF or 0x00 or 0x01 or 0xD8 or 0xD9 or (>= 0xD0 and <= 0xD7))
            {
                pos += marker == 0xFF ? 1 : 2;
                continue;
            }

            // A segment's length must fit the stream and, where the content fixes it, agree with the content: JpegLibrary
            // reads such segments by their content, so a wrong length would hide from this walk what it decodes next
            // (a DRI declaring 65408 bytes in front of an arithmetic SOF, the jpegll campaign).
            if (pos + 4 > data.Length)
            {
                throw Corrupt($"the marker FF{marker:X2} at byte {pos} is cut off", path);
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(data[(pos + 2)..]);
            if (length < 2 || pos + 2 + length > data.Length)
            {
                throw Corrupt($"the segment FF{marker:X2} at byte {pos} declares {length} bytes; {data.Length - pos - 2} remain", path);
            }

            int expected = ExpectedLength(marker, data.Slice(pos + 4, length - 2));
            if (expected >= 0 && expected != length)
            {
                throw Corrupt($"the segment FF{marker:X2} at byte {pos} declares {length} bytes; its content makes it {expected}", path);
            }

            int end = pos + 2 + length;
            if (marker == 0xC4)
            {
                CheckSegment(data[(pos + 4)..end], pos, path);
            }
            else if (marker is >= 0xC2 and <= 0xCF && marker is not (0xC3 or 0xC4 or 0xC8 or 0xCC))
            {
                throw new NotSupportedException(
                    $"JPEG frame header SOF{marker - 0xC0} (a progressive, arithmetic or hierarchical process) is not supported; DICOM's JPEG transfer syntaxes use SOF0, SOF1 or SOF3 ({path}).");
            }

            else if (marker is 0xC0 or 0xC1 or 0xC3)
            {
                if (firstFrame >= 0)
                {
                    throw new DicomFormatException(
                        $"JPEG data is corrupt: a second frame header SOF{marker - 0xC0} at byte {pos} of the stream (the first is at byte {firstFrame}); a non-hierarchical JPEG stream has one.",
                        path, -1, DicomTags.PixelData);
                }

                firstFrame = pos;
            }

            // After a segment: the next marker, or entropy-coded data (after SOS) scanned byte by byte above.
            pos = end;
        }
    }

    /// <summary>The length a segment's content fixes (DRI; SOFn by its component count; SOS by its component count), or −1.</summary>
    private static int ExpectedLength(byte marker, ReadOnlySpan<byte> content)
    {
        if (marker == 0xDD)
        {
            return 4;
        }

        if (marker is >= 0xC0 and <= 0xCF && marker is not (0xC4 or 0xC8 or 0xCC))
        {
            return content.Length >= 6 ? 8 + (3 * content[5]) : -1;
        }

        if (marker == 0xDA)
        {
            return content.Length >= 1 ? 6 + (2 * content[0]) : -1;
        }

        return -1;
    }

    private static DicomFormatException Corrupt(string what, string? path) =>
        new($"JPEG data is corrupt: {what}.", path, -1, DicomTags.PixelData);

    private static void CheckSegment(ReadOnlySpan<byte> segment, int offset, string? path)
    {
        while (segment.Length > 0)
        {
            if (segment.Length < 17)
            {
                return; // Truncated: the decoder reports it.
            }

            int codes = 0;
            for (int i = 1; i <= 16; i++)
            {
                codes += segment[i];
            }

            if (codes == 0 || codes > 256)
            {
                throw new DicomFormatException(
                    $"JPEG data is corrupt: Huffman table {segment[0] & 0x0F} (class {segment[0] >> 4}) at byte {offset} of the stream defines {codes} codes (1…256 allowed).",
                    path, -1, DicomTags.PixelData);
            }

            if (segment.Length < 17 + codes)
            {
                return;
            }

            segment = segment[(17 + codes)..];
        }
    }
}
