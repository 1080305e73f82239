using System.Buffers.Binary;

namespace VolumeMesh.Dicom.Codecs;

/// <summary>
/// Reads a JPEG 2000 stream's image and tile size (SIZ, ISO 15444-1 §A.5.1) before OpenJPEG does: OpenJPEG's header
/// reader builds per-tile structures for whatever the SIZ declares, which takes most of a second for a 104-byte stream
/// declaring a 16711936×1024 image (found by fuzzing; tests' FuzzRegressions/j2k). The declared size must be the data
/// set's and the tile count within the standard's 65535.
/// </summary>
internal static class Jpeg2000SizeCheck
{
    private const int MaxTiles = 65535;

    /// <summary>Checks the SIZ segment of a codestream or JP2 file.</summary>
    /// <param name="data">The frame's bytes.</param>
    /// <param name="columns">Columns the data set declares.</param>
    /// <param name="rows">Rows the data set declares.</param>
    /// <param name="path">The file, for messages.</param>
    /// <exception cref="DicomFormatException">The SIZ segment is missing, cut off, or disagrees with the data set.</exception>
    public static void Check(ReadOnlySpan<byte> data, int columns, int rows, string? path)
    {
        ReadOnlySpan<byte> codestream = FindCodestream(data);
        // SOC (FF4F) then SIZ (FF51), whose fixed part is 38 bytes after its marker (ISO 15444-1 §A.4.1, §A.5.1).
        if (codestream.Length < 4 + 38 || codestream[0] != 0xFF || codestream[1] != 0x4F || codestream[2] != 0xFF || codestream[3] != 0x51)
        {
            throw Corrupt("the codestream does not start with SOC and SIZ", path);
        }

        ReadOnlySpan<byte> siz = codestream[6..];
        uint xsiz = BinaryPrimitives.ReadUInt32BigEndian(siz[2..]);
        uint ysiz = BinaryPrimitives.ReadUInt32BigEndian(siz[6..]);
        uint xosiz = BinaryPrimitives.ReadUInt32BigEndian(siz[10..]);
        uint yosiz = BinaryPrimitives.ReadUInt32BigEndian(siz[14..]);
        uint xtsiz = BinaryPrimitives.ReadUInt32BigEndian(siz[18..]);
        uint ytsiz = BinaryPrimitives.ReadUInt32BigEndian(siz[22..]);
        uint xtosiz = BinaryPrimitives.ReadUInt32BigEndian(siz[26..]);
        uint ytosiz = BinaryPrimitives.ReadUInt32BigEndian(siz[30..]);
        if (xosiz >= xsiz || yosiz >= ysiz || xtsiz == 0 || ytsiz == 0 || xtosiz > xosiz || ytosiz > yosiz)
        {
            throw Corrupt($"SIZ declares an empty image or tiling (image {xosiz}…{xsiz} × {yosiz}…{ysiz}, tiles {xtsiz}×{ytsiz} from {xtosiz},{ytosiz})", path);
        }

        long width = xsiz - xosiz;
        long height = ysiz - yosiz;
        if (width != columns || height != rows)
        {
            throw Corrupt($"SIZ declares a {width}×{height} image but the data set says {columns}×{rows}", path);
        }

        long tiles = (((long)xsiz - xtosiz + xtsiz - 1) / xtsiz) * (((long)ysiz - ytosiz + ytsiz - 1) / ytsiz);
        if (tiles > MaxTiles)
        {
            throw Corrupt($"SIZ declares {tiles} tiles (at most {MaxTiles})", path);
        }
    }

    /// <summary>The codestream: the stream itself, or the contents of a JP2 file's contiguous codestream box (ISO 15444-1 §I.5.4).</summary>
    private static ReadOnlySpan<byte> FindCodestream(ReadOnlySpan<byte> data)
    {
        if (data.Length < 8 || data[0] == 0xFF)
        {
            return data;
        }

        ReadOnlySpan<byte> rest = data;
        while (rest.Length >= 8)
        {
            ulong length = BinaryPrimitives.ReadUInt32BigEndian(rest);
            uint type = BinaryPrimitives.ReadUInt32BigEndian(rest[4..]);
            int header = 8;
            if (length == 1)
            {
                if (rest.Length < 16)
                {
                    break;
                }

                length = BinaryPrimitives.ReadUInt64BigEndian(rest[8..]);
                header = 16;
            }
            else if (length == 0)
            {
                length = (ulong)rest.Length;
            }

            if (length < (ulong)header || length > (ulong)rest.Length)
            {
                length = (ulong)rest.Length; // A box overrunning the data: take what is there.
            }

            if (type == 0x6A703263) // 'jp2c'
            {
                return rest[header..(int)length];
            }

            rest = rest[(int)length..];
        }

        return ReadOnlySpan<byte>.Empty;
    }

    private static DicomFormatException Corrupt(string what, string? path) =>
        new($"JPEG 2000 header is invalid: {what}.", path, -1, DicomTags.PixelData);
}
