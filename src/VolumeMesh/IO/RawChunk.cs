using System.Globalization;
using System.Xml;

namespace VolumeMesh.IO;

/// <summary>A fixed character buffer of markup that needs no escaping (fixed names, numbers), flushed to an
/// <see cref="XmlWriter"/> as raw text whenever it is nearly full.</summary>
internal sealed class RawChunk(XmlWriter xml)
{
    private const int Capacity = 1 << 16;
    private const int Reserve = 256;

    private readonly XmlWriter _xml = xml;
    private readonly char[] _buffer = new char[Capacity];
    private int _length;

    public void Append(string text)
    {
        EnsureRoom();
        text.CopyTo(_buffer.AsSpan(_length));
        _length += text.Length;
    }

    public void Append(float value)
    {
        EnsureRoom();
        value.TryFormat(_buffer.AsSpan(_length), out int written, "R", CultureInfo.InvariantCulture);
        _length += written;
    }

    public void Append(int value)
    {
        EnsureRoom();
        value.TryFormat(_buffer.AsSpan(_length), out int written, default, CultureInfo.InvariantCulture);
        _length += written;
    }

    public void Flush()
    {
        if (_length > 0)
        {
            _xml.WriteRaw(_buffer, 0, _length);
            _length = 0;
        }
    }

    private void EnsureRoom()
    {
        if (_length > Capacity - Reserve)
        {
            Flush();
        }
    }
}
