using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace VolumeMesh.Dicom;

/// <summary>A parsed DICOM data set (or sequence item): its elements by tag, with typed accessors.</summary>
/// <remarks>Text is decoded as ISO 8859-1; values of the tags this reader needs are plain ASCII.</remarks>
public sealed class DicomDataset
{
    private readonly Dictionary<uint, DicomElement> _elements = new();
    private readonly List<DicomElement> _ordered = new();

    internal DicomDataset(bool bigEndian, string? filePath)
    {
        IsBigEndian = bigEndian;
        FilePath = filePath;
    }

    /// <summary>Whether binary values are big endian.</summary>
    public bool IsBigEndian { get; }

    /// <summary>The file the data set was read from, when known.</summary>
    public string? FilePath { get; }

    /// <summary>The elements in file order.</summary>
    public IReadOnlyList<DicomElement> Elements => _ordered;

    /// <summary>Whether an element with the tag is present.</summary>
    /// <param name="tag">The tag.</param>
    /// <returns>True when present.</returns>
    public bool Contains(DicomTag tag) => _elements.ContainsKey(tag.Value);

    /// <summary>The element with the tag, or null.</summary>
    /// <param name="tag">The tag.</param>
    /// <returns>The element or null.</returns>
    public DicomElement? GetElement(DicomTag tag) => _elements.TryGetValue(tag.Value, out DicomElement? e) ? e : null;

    /// <summary>The whole text value of an element with trailing padding removed, or null when absent.</summary>
    /// <param name="tag">The tag.</param>
    /// <returns>The text or null.</returns>
    public string? GetString(DicomTag tag)
    {
        DicomElement? e = GetElement(tag);
        if (e is null)
        {
            return null;
        }

        return Encoding.Latin1.GetString(e.Value.Span).TrimEnd(' ', '\0');
    }

    /// <summary>The backslash-separated values of a text element, each trimmed; empty when absent.</summary>
    /// <param name="tag">The tag.</param>
    /// <returns>The values.</returns>
    public string[] GetStrings(DicomTag tag)
    {
        string? s = GetString(tag);
        if (string.IsNullOrEmpty(s))
        {
            return Array.Empty<string>();
        }

        string[] parts = s.Split('\\');
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = parts[i].Trim(' ', '\0');
        }

        return parts;
    }

    /// <summary>Numeric values of an element: decimal/integer strings (DS, IS) or binary (US, SS, UL, SL, FL, FD); null when absent, empty or unparsable.</summary>
    /// <param name="tag">The tag.</param>
    /// <returns>The values or null.</returns>
    public double[]? GetDoubles(DicomTag tag)
    {
        DicomElement? e = GetElement(tag);
        if (e is null || e.Value.Length == 0)
        {
            return null;
        }

        DicomVR vr = e.VR;
        ReadOnlySpan<byte> v = e.Value.Span;
        if (vr == DicomVR.US || vr == DicomVR.SS)
        {
            var r = new double[v.Length / 2];
            for (int i = 0; i < r.Length; i++)
            {
                ushort raw = IsBigEndian ? BinaryPrimitives.ReadUInt16BigEndian(v[(2 * i)..]) : BinaryPrimitives.ReadUInt16LittleEndian(v[(2 * i)..]);
                r[i] = vr == DicomVR.SS ? (short)raw : raw;
            }

            return r;
        }

        if (vr == DicomVR.UL || vr == DicomVR.SL || vr == DicomVR.FL)
        {
            var r = new double[v.Length / 4];
            for (int i = 0; i < r.Length; i++)
            {
                uint raw = IsBigEndian ? BinaryPrimitives.ReadUInt32BigEndian(v[(4 * i)..]) : BinaryPrimitives.ReadUInt32LittleEndian(v[(4 * i)..]);
                r[i] = vr == DicomVR.SL ? (int)raw : vr == DicomVR.FL ? BitConverter.Int32BitsToSingle((int)raw) : raw;
            }

            return r;
        }

        if (vr == DicomVR.FD)
        {
            var r = new double[v.Length / 8];
            for (int i = 0; i < r.Length; i++)
            {
                ulong raw = IsBigEndian ? BinaryPrimitives.ReadUInt64BigEndian(v[(8 * i)..]) : BinaryPrimitives.ReadUInt64LittleEndian(v[(8 * i)..]);
                r[i] = BitConverter.Int64BitsToDouble((long)raw);
            }

            return r;
        }

        string[] parts = GetStrings(tag);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
            {
                return null;
            }
        }

        return values.Length > 0 ? values : null;
    }

    /// <summary>The first numeric value of an element, or null.</summary>
    /// <param name="tag">The tag.</param>
    /// <returns>The value or null.</returns>
    public double? GetDouble(DicomTag tag)
    {
        double[]? v = GetDoubles(tag);
        return v is { Length: > 0 } ? v[0] : null;
    }

    /// <summary>The first value of an integer element (US, SS, UL, SL or IS), or null when absent or not an integer.</summary>
    /// <param name="tag">The tag.</param>
    /// <returns>The value or null.</returns>
    public int? GetInt32(DicomTag tag)
    {
        double? d = GetDouble(tag);
        if (d is null || !double.IsFinite(d.Value) || d.Value != Math.Floor(d.Value) || d.Value < int.MinValue || d.Value > int.MaxValue)
        {
            return null;
        }

        return (int)d.Value;
    }

    /// <summary>The raw 16-bit value of a US/SS element (for values whose sign depends on another element, such as Pixel Padding Value), or null.</summary>
    /// <param name="tag">The tag.</param>
    /// <returns>The raw bits or null.</returns>
    public ushort? GetRawUInt16(DicomTag tag)
    {
        DicomElement? e = GetElement(tag);
        if (e is null || e.Value.Length < 2)
        {
            return null;
        }

        return IsBigEndian ? BinaryPrimitives.ReadUInt16BigEndian(e.Value.Span) : BinaryPrimitives.ReadUInt16LittleEndian(e.Value.Span);
    }

    /// <summary>The items of a sequence element; empty when absent or not a sequence.</summary>
    /// <param name="tag">The tag.</param>
    /// <returns>The items.</returns>
    public IReadOnlyList<DicomDataset> GetSequence(DicomTag tag) => GetElement(tag)?.Items ?? Array.Empty<DicomDataset>();

    internal void Add(DicomElement element)
    {
        // A repeated tag is invalid; the first occurrence wins, as in most readers.
        if (_elements.TryAdd(element.Tag.Value, element))
        {
            _ordered.Add(element);
        }
    }
}
