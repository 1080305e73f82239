using System.Buffers.Binary;
using System.Text;

namespace VolumeMesh.Tests.Support;

/// <summary>Writes minimal DICOM Part 10 files (explicit VR little endian) for the CLI tests: a small axial slice whose
/// pixels are Pixel Data (7FE0,0010) with 16-bit integers, or Float / Double Float Pixel Data (7FE0,0008 / 7FE0,0009).</summary>
/// <remarks>Written here, in the test's temporary folder, so nothing binary is checked in; the layout follows PS3.10 §7.1
/// (preamble, "DICM", file meta group) and PS3.5 §7.1.2 (explicit VR data elements).</remarks>
internal static class TinyDicom
{
    /// <summary>The pixel element a slice carries.</summary>
    public enum Pixels
    {
        /// <summary>Pixel Data (7FE0,0010), 16-bit signed integers.</summary>
        Int16,

        /// <summary>Float Pixel Data (7FE0,0008), 32-bit IEEE floats.</summary>
        Float32,

        /// <summary>Double Float Pixel Data (7FE0,0009), 64-bit IEEE floats.</summary>
        Float64,

        /// <summary>Pixel Data (7FE0,0010), 8-bit RGB colour (a secondary-capture-like image).</summary>
        Rgb8,
    }

    /// <summary>Writes one axial slice (colour: red <paramref name="value"/>, green half of it) of <paramref name="size"/>×<paramref name="size"/> 1 mm pixels at z =
    /// <paramref name="z"/>, every pixel <paramref name="value"/>.</summary>
    public static void WriteSlice(string path, Pixels pixels, int size, double z, double value, string seriesUid = "1.2.826.0.1.3680043.9.4245.11.1")
    {
        const string sopClass = "1.2.840.10008.5.1.4.1.1.2"; // CT Image Storage
        string sopInstance = seriesUid + "." + ((int)(z * 10 + 1000)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var meta = new MemoryStream();
        Element(meta, 0x0002, 0x0001, "OB", [0, 1]);
        Element(meta, 0x0002, 0x0002, "UI", Ui(sopClass));
        Element(meta, 0x0002, 0x0003, "UI", Ui(sopInstance));
        Element(meta, 0x0002, 0x0010, "UI", Ui("1.2.840.10008.1.2.1"));

        var data = new MemoryStream();
        Element(data, 0x0008, 0x0016, "UI", Ui(sopClass));
        Element(data, 0x0008, 0x0018, "UI", Ui(sopInstance));
        Element(data, 0x0008, 0x0060, "CS", Text("CT"));
        Element(data, 0x0020, 0x000D, "UI", Ui(seriesUid + ".0"));
        Element(data, 0x0020, 0x000E, "UI", Ui(seriesUid));
        Element(data, 0x0020, 0x0032, "DS", Text(FormattableString.Invariant($"0\\0\\{z}")));
        Element(data, 0x0020, 0x0037, "DS", Text("1\\0\\0\\0\\1\\0"));
        bool rgb = pixels == Pixels.Rgb8;
        Element(data, 0x0028, 0x0002, "US", U16(rgb ? (ushort)3 : (ushort)1));
        Element(data, 0x0028, 0x0004, "CS", Text(rgb ? "RGB" : "MONOCHROME2"));
        if (rgb)
        {
            Element(data, 0x0028, 0x0006, "US", U16(0));
        }

        Element(data, 0x0028, 0x0010, "US", U16((ushort)size));
        Element(data, 0x0028, 0x0011, "US", U16((ushort)size));
        Element(data, 0x0028, 0x0030, "DS", Text("1\\1"));
        int bits = pixels switch { Pixels.Int16 => 16, Pixels.Float32 => 32, Pixels.Rgb8 => 8, _ => 64 };
        Element(data, 0x0028, 0x0100, "US", U16((ushort)bits));
        if (pixels is Pixels.Int16 or Pixels.Rgb8)
        {
            Element(data, 0x0028, 0x0101, "US", U16((ushort)bits));
            Element(data, 0x0028, 0x0102, "US", U16((ushort)(bits - 1)));
            Element(data, 0x0028, 0x0103, "US", U16(rgb ? (ushort)0 : (ushort)1));
        }

        byte[] values = new byte[size * size * (rgb ? 3 : 1) * bits / 8];
        for (int i = 0; i < size * size; i++)
        {
            switch (pixels)
            {
                case Pixels.Int16:
                    BinaryPrimitives.WriteInt16LittleEndian(values.AsSpan(2 * i), (short)value);
                    break;
                case Pixels.Rgb8:
                    values[3 * i] = (byte)value;
                    values[(3 * i) + 1] = (byte)(value / 2);
                    values[(3 * i) + 2] = 0;
                    break;
                case Pixels.Float32:
                    BinaryPrimitives.WriteSingleLittleEndian(values.AsSpan(4 * i), (float)value);
                    break;
                default:
                    BinaryPrimitives.WriteDoubleLittleEndian(values.AsSpan(8 * i), value);
                    break;
            }
        }

        (ushort element, string vr) = pixels switch { Pixels.Int16 => ((ushort)0x0010, "OW"), Pixels.Rgb8 => ((ushort)0x0010, "OB"), Pixels.Float32 => ((ushort)0x0008, "OF"), _ => ((ushort)0x0009, "OD") };
        Element(data, 0x7FE0, element, vr, values);

        using var file = File.Create(path);
        file.Write(new byte[128]);
        file.Write("DICM"u8);
        var groupLength = new MemoryStream();
        Element(groupLength, 0x0002, 0x0000, "UL", U32((uint)meta.Length));
        groupLength.WriteTo(file);
        meta.WriteTo(file);
        data.WriteTo(file);
    }

    private static void Element(Stream stream, ushort group, ushort element, string vr, byte[] value)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(header, group);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], element);
        header[4] = (byte)vr[0];
        header[5] = (byte)vr[1];
        if (vr is "OB" or "OW" or "OF" or "OD" or "SQ" or "UN" or "UT")
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)value.Length);
            stream.Write(header);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)value.Length);
            stream.Write(header[..8]);
        }

        stream.Write(value);
    }

    private static byte[] Ui(string uid) => Pad(Encoding.ASCII.GetBytes(uid), 0);

    private static byte[] Text(string text) => Pad(Encoding.ASCII.GetBytes(text), (byte)' ');

    private static byte[] Pad(byte[] bytes, byte pad) => bytes.Length % 2 == 0 ? bytes : [.. bytes, pad];

    private static byte[] U16(ushort v)
    {
        byte[] b = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        return b;
    }

    private static byte[] U32(uint v)
    {
        byte[] b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        return b;
    }
}
