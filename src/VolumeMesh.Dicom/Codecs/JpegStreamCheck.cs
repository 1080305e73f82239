using System.Buffers.Binary;

namespace VolumeMesh.Dicom.Codecs;

/// <summary>
/// Checks the Huffman tables of a JPEG stream before it reaches JpegLibrary, whose table builder loops for billions of
/// iterations on a DHT segment whose 16 code counts are all zero (found by fuzzing; see tests' FuzzRegressions/jpeg).
/// </summary>
internal static class JpegStreamCheck
{
    /// <summary>Walks the marker segments (ISO 10918-1 §B.1.1.4; entropy-coded data skipped to the next marker) and rejects a DHT table with no codes, more than 256 codes, or fewer value bytes than codes.</summary>
    /// <param name="data">The JPEG stream.</param>
    /// <param name="path">The file, for messages.</param>
    /// <exception cref="DicomFormatException">A Huffman table is invalid.</exception>
    public static void CheckHuffmanTables(ReadOnlySpan<byte> data, string? path)
    {
        int pos = 0;
        while (pos + 1 < data.Length)
        {
            if (data[pos] != 0xFF)
            {
                pos++;
                continue;
            }

            byte marker = data[pos + 1];
            // Fill bytes, stuffed zeros in entropy-coded data, SOI/EOI/RSTn/TEM carry no segment.
            if (marker is 0xFF or 0x00 or 0x01 or 0xD8 or 0xD9 or (>= 0xD0 and <= 0xD7))
            {
                pos += marker == 0xFF ? 1 : 2;
                continue;
            }

            if (pos + 4 > data.Length)
            {
                return; // A cut-off segment is the decoder's error to report.
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(data[(pos + 2)..]);
            if (length < 2)
            {
                return;
            }

            int end = Math.Min(data.Length, pos + 2 + length);
            if (marker == 0xC4)
            {
                CheckSegment(data[(pos + 4)..end], pos, path);
            }

            // After a segment: the next marker, or entropy-coded data (after SOS) scanned byte by byte above.
            pos = end;
        }
    }

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
