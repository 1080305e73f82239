using System.Buffers.Binary;
using System.Text;

namespace VolumeMesh.Fuzz.Targets;

/// <summary>Writes minimal explicit VR little endian Part 10 files around fuzzed pixel data (independent of the reader's code).</summary>
internal sealed class DicomBuilder
{
    private readonly MemoryStream _body = new();

    /// <summary>Adds a text element (padded to even length).</summary>
    public DicomBuilder Text(ushort group, ushort element, string vr, string value)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(value.Length % 2 == 0 ? value : value + (vr == "UI" ? "\0" : " "));
        Header(_body, group, element, vr, bytes.Length);
        _body.Write(bytes);
        return this;
    }

    /// <summary>Adds a US element.</summary>
    public DicomBuilder UShort(ushort group, ushort element, int value)
    {
        Header(_body, group, element, "US", 2);
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)value);
        _body.Write(b);
        return this;
    }

    /// <summary>Adds native pixel data (OB).</summary>
    public DicomBuilder NativePixels(ReadOnlySpan<byte> data)
    {
        int length = data.Length + (data.Length & 1);
        Header(_body, 0x7FE0, 0x0010, "OB", length);
        _body.Write(data);
        if ((data.Length & 1) != 0)
        {
            _body.WriteByte(0);
        }

        return this;
    }

    /// <summary>Adds encapsulated pixel data: an empty basic offset table and one fragment (PS3.5 §A.4).</summary>
    public DicomBuilder EncapsulatedPixels(ReadOnlySpan<byte> fragment)
    {
        Header(_body, 0x7FE0, 0x0010, "OB", -1);
        Item(_body, 0xE000, 0);
        int length = fragment.Length + (fragment.Length & 1);
        Item(_body, 0xE000, length);
        _body.Write(fragment);
        if ((fragment.Length & 1) != 0)
        {
            _body.WriteByte(0);
        }

        Item(_body, 0xE0DD, 0);
        return this;
    }

    /// <summary>The file: preamble, "DICM", file meta information with the transfer syntax, then the data set.</summary>
    public byte[] ToFile(string transferSyntax)
    {
        var meta = new MemoryStream();
        byte[] ts = Encoding.ASCII.GetBytes(transferSyntax.Length % 2 == 0 ? transferSyntax : transferSyntax + "\0");
        Header(meta, 0x0002, 0x0010, "UI", ts.Length);
        meta.Write(ts);
        var file = new MemoryStream();
        file.Write(new byte[128]);
        file.Write("DICM"u8);
        Header(file, 0x0002, 0x0000, "UL", 4);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)meta.Length);
        file.Write(length);
        meta.WriteTo(file);
        _body.WriteTo(file);
        return file.ToArray();
    }

    private static void Header(Stream s, ushort group, ushort element, string vr, int length)
    {
        Span<byte> b = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(b, group);
        BinaryPrimitives.WriteUInt16LittleEndian(b[2..], element);
        b[4] = (byte)vr[0];
        b[5] = (byte)vr[1];
        if (vr is "OB" or "OW" or "SQ" or "UN" or "UT" or "UC" or "UR" or "OF" or "OD" or "OL")
        {
            b[6] = 0;
            b[7] = 0;
            BinaryPrimitives.WriteInt32LittleEndian(b[8..], length);
            s.Write(b);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b[6..], (ushort)length);
            s.Write(b[..8]);
        }
    }

    private static void Item(Stream s, ushort element, int length)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(b, 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(b[2..], element);
        BinaryPrimitives.WriteInt32LittleEndian(b[4..], length);
        s.Write(b);
    }
}
