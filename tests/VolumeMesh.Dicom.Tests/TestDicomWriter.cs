using System.Buffers.Binary;
using System.Text;

namespace VolumeMesh.Dicom.Tests;

/// <summary>Writes small explicit VR little endian Part 10 files for synthetic tests (independent of the reader's code).</summary>
internal sealed class TestDicomWriter
{
    private readonly MemoryStream _body = new();

    public TestDicomWriter Text(ushort group, ushort element, string vr, string value)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(value.Length % 2 == 0 ? value : value + (vr == "UI" ? "\0" : " "));
        return Raw(_body, group, element, vr, bytes);
    }

    public TestDicomWriter UShort(ushort group, ushort element, ushort value)
    {
        byte[] b = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        return Raw(_body, group, element, "US", b);
    }

    /// <summary>A sequence of undefined length whose items (of undefined length) are written by the callbacks.</summary>
    public TestDicomWriter Sequence(ushort group, ushort element, params Action<TestDicomWriter>[] items)
    {
        WriteTag(_body, group, element);
        _body.Write("SQ"u8);
        _body.Write(new byte[2]);
        WriteUInt32(_body, 0xFFFFFFFF);
        foreach (Action<TestDicomWriter> item in items)
        {
            WriteTag(_body, 0xFFFE, 0xE000);
            WriteUInt32(_body, 0xFFFFFFFF);
            var inner = new TestDicomWriter();
            item(inner);
            inner._body.WriteTo(_body);
            WriteTag(_body, 0xFFFE, 0xE00D);
            WriteUInt32(_body, 0);
        }

        WriteTag(_body, 0xFFFE, 0xE0DD);
        WriteUInt32(_body, 0);
        return this;
    }

    public TestDicomWriter PixelData(ushort[] values)
    {
        byte[] b = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(2 * i), values[i]);
        }

        return Raw(_body, 0x7FE0, 0x0010, "OW", b);
    }

    /// <summary>Encapsulated pixel data (PS3.5 §A.4): an empty basic offset table, one fragment, the sequence delimiter.</summary>
    public TestDicomWriter Encapsulated(byte[] fragment)
    {
        WriteTag(_body, 0x7FE0, 0x0010);
        _body.Write("OB"u8);
        _body.Write(new byte[2]);
        WriteUInt32(_body, 0xFFFFFFFF);
        WriteTag(_body, 0xFFFE, 0xE000);
        WriteUInt32(_body, 0);
        WriteTag(_body, 0xFFFE, 0xE000);
        WriteUInt32(_body, (uint)(fragment.Length + (fragment.Length & 1)));
        _body.Write(fragment);
        if ((fragment.Length & 1) != 0)
        {
            _body.WriteByte(0);
        }

        WriteTag(_body, 0xFFFE, 0xE0DD);
        WriteUInt32(_body, 0);
        return this;
    }

    public byte[] ToFile(string transferSyntax = "1.2.840.10008.1.2.1")
    {
        var meta = new MemoryStream();
        string ts = transferSyntax.Length % 2 == 0 ? transferSyntax : transferSyntax + "\0";
        Raw(meta, 0x0002, 0x0010, "UI", Encoding.ASCII.GetBytes(ts));
        var file = new MemoryStream();
        file.Write(new byte[128]);
        file.Write("DICM"u8);
        Raw(file, 0x0002, 0x0000, "UL", BitConverter.GetBytes((uint)meta.Length));
        meta.WriteTo(file);
        _body.WriteTo(file);
        return file.ToArray();
    }

    private TestDicomWriter Raw(Stream s, ushort group, ushort element, string vr, byte[] value)
    {
        WriteTag(s, group, element);
        s.Write(Encoding.ASCII.GetBytes(vr));
        if (vr is "OB" or "OW" or "SQ" or "UN" or "UT")
        {
            s.Write(new byte[2]);
            WriteUInt32(s, (uint)value.Length);
        }
        else
        {
            byte[] l = new byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(l, (ushort)value.Length);
            s.Write(l);
        }

        s.Write(value);
        return this;
    }

    private static void WriteTag(Stream s, ushort group, ushort element)
    {
        byte[] b = new byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(b, group);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(2), element);
        s.Write(b);
    }

    private static void WriteUInt32(Stream s, uint v)
    {
        byte[] b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        s.Write(b);
    }
}
