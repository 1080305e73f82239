using System.Buffers.Binary;

namespace VolumeMesh.Dicom;

/// <summary>Parses data elements from bytes (PS3.5 §7): explicit and implicit VR, both byte orders, defined and undefined lengths, sequences, encapsulated pixel data.</summary>
/// <remarks>Every length is checked against the bytes that remain before it is used; nesting is bounded by <see cref="MaxDepth"/>.</remarks>
internal sealed class DicomParser
{
    /// <summary>The deepest sequence nesting accepted.</summary>
    public const int MaxDepth = 32;

    private const uint UndefinedLength = 0xFFFFFFFF;
    private readonly ReadOnlyMemory<byte> _data;
    private readonly string? _path;
    private readonly bool _partial;
    private readonly long _offsetBase;
    private int _pos;

    /// <summary>Creates a parser.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="path">The file, for messages.</param>
    /// <param name="partial">Whether <paramref name="data"/> is only a prefix of the file (a read that runs past it asks for more data).</param>
    /// <param name="offsetBase">Added to positions in messages.</param>
    public DicomParser(ReadOnlyMemory<byte> data, string? path, bool partial, long offsetBase = 0)
    {
        _data = data;
        _path = path;
        _partial = partial;
        _offsetBase = offsetBase;
    }

    /// <summary>The current position.</summary>
    public int Position
    {
        get => _pos;
        set => _pos = value;
    }

    /// <summary>Whether the read stopped at top-level pixel data.</summary>
    public bool StoppedAtPixelData { get; private set; }

    /// <summary>Parses elements until <paramref name="end"/>, an item delimiter (when <paramref name="inUndefinedItem"/>), or (with <paramref name="onlyGroup"/>) the first element of another group.</summary>
    public DicomDataset ParseDataset(int end, bool explicitVR, bool bigEndian, int depth, bool inUndefinedItem, bool stopAtPixelData, int onlyGroup = -1)
    {
        if (depth > MaxDepth)
        {
            throw Error($"Sequences are nested deeper than {MaxDepth} levels.", null);
        }

        var dataset = new DicomDataset(bigEndian, _path);
        ReadOnlySpan<byte> span = _data.Span;
        while (true)
        {
            if (_pos >= end)
            {
                if (inUndefinedItem)
                {
                    throw Truncated("An item of undefined length has no item delimiter.", null);
                }

                return dataset;
            }

            if (end - _pos < 8)
            {
                if (!inUndefinedItem && onlyGroup < 0 && depth == 0 && IsAllPadding(span[_pos..end]))
                {
                    // Trailing padding (some writers pad files to an even or block length).
                    _pos = end;
                    return dataset;
                }

                throw Truncated($"Only {end - _pos} bytes remain where a data element header needs at least 8.", null);
            }

            int elementStart = _pos;
            var tag = new DicomTag(ReadUInt16(span, _pos, bigEndian), ReadUInt16(span, _pos + 2, bigEndian));
            if (onlyGroup >= 0 && tag.Group != onlyGroup)
            {
                return dataset;
            }

            if (tag.Group == 0xFFFE)
            {
                uint delimLength = ReadUInt32(span, _pos + 4, bigEndian);
                _pos += 8;
                if (tag == DicomTags.ItemDelimitationItem && inUndefinedItem)
                {
                    return dataset;
                }

                if (tag == DicomTags.SequenceDelimitationItem || tag == DicomTags.ItemDelimitationItem)
                {
                    // A stray delimiter outside its context: tolerated (some writers emit one), its length must be 0.
                    if (delimLength != 0)
                    {
                        throw Error($"Stray delimiter with non-zero length {delimLength}.", tag);
                    }

                    continue;
                }

                throw Error("An item tag appears outside a sequence.", tag);
            }

            DicomVR vr;
            uint length;
            if (explicitVR)
            {
                byte c0 = span[_pos + 4];
                byte c1 = span[_pos + 5];
                vr = new DicomVR((ushort)((c0 << 8) | c1));
                if (!vr.IsKnown)
                {
                    throw Error($"Invalid value representation bytes 0x{c0:X2} 0x{c1:X2}.", tag);
                }

                if (vr.HasLongLength)
                {
                    if (end - _pos < 12)
                    {
                        throw Truncated("The data element header is cut off.", tag);
                    }

                    length = ReadUInt32(span, _pos + 8, bigEndian);
                    _pos += 12;
                }
                else
                {
                    length = ReadUInt16(span, _pos + 6, bigEndian);
                    _pos += 8;
                }
            }
            else
            {
                vr = DicomVR.ForImplicit(tag);
                length = ReadUInt32(span, _pos + 4, bigEndian);
                _pos += 8;
            }

            bool isPixelData = tag == DicomTags.PixelData;
            if (isPixelData && depth == 0 && stopAtPixelData)
            {
                StoppedAtPixelData = true;
                dataset.Add(new DicomElement(tag, vr, _offsetBase + _pos, length, ReadOnlyMemory<byte>.Empty) { IsValueSkipped = true });
                _pos = end;
                return dataset;
            }

            if (length == UndefinedLength)
            {
                if (isPixelData || tag == DicomTags.FloatPixelData || tag == DicomTags.DoubleFloatPixelData)
                {
                    dataset.Add(ParseEncapsulated(tag, vr, end, bigEndian));
                    continue;
                }

                if (vr == DicomVR.SQ || vr == DicomVR.UN || !explicitVR)
                {
                    // PS3.5 §6.2.2: UN of undefined length is a sequence encoded as implicit VR little endian.
                    bool itemsExplicit = vr == DicomVR.SQ ? explicitVR : false;
                    bool itemsBigEndian = vr == DicomVR.SQ && bigEndian;
                    int valueStart = _pos;
                    List<DicomDataset> items = ParseSequence(end, undefinedLength: true, itemsExplicit, itemsBigEndian, depth + 1, tag);
                    dataset.Add(new DicomElement(tag, DicomVR.SQ, _offsetBase + valueStart, length, ReadOnlyMemory<byte>.Empty) { Items = items });
                    continue;
                }

                throw Error($"Undefined length is not allowed for VR {vr}.", tag);
            }

            if (length > (uint)(end - _pos))
            {
                throw Truncated($"Value length {length} exceeds the {end - _pos} bytes that remain.", tag, elementStart);
            }

            int valueEnd = _pos + (int)length;
            if (vr == DicomVR.SQ)
            {
                int valueStart = _pos;
                List<DicomDataset> items = ParseSequence(valueEnd, undefinedLength: false, explicitVR, bigEndian, depth + 1, tag);
                _pos = valueEnd;
                dataset.Add(new DicomElement(tag, vr, _offsetBase + valueStart, length, ReadOnlyMemory<byte>.Empty) { Items = items });
                continue;
            }

            if (!explicitVR && vr == DicomVR.UN && length >= 8 && LooksLikeItem(span, _pos, bigEndian))
            {
                // Implicit VR: a private or unknown sequence of defined length; parse it, keep raw bytes if that fails.
                int valueStart = _pos;
                try
                {
                    List<DicomDataset> items = ParseSequence(valueEnd, undefinedLength: false, explicitVR, bigEndian, depth + 1, tag);
                    _pos = valueEnd;
                    dataset.Add(new DicomElement(tag, DicomVR.SQ, _offsetBase + valueStart, length, ReadOnlyMemory<byte>.Empty) { Items = items });
                    continue;
                }
                catch (DicomFormatException)
                {
                    _pos = valueStart;
                }
            }

            dataset.Add(new DicomElement(tag, vr, _offsetBase + _pos, length, _data.Slice(_pos, (int)length)));
            _pos = valueEnd;
        }
    }

    private static bool IsAllPadding(ReadOnlySpan<byte> bytes) => bytes.IndexOfAnyExcept((byte)0) < 0;

    private static bool LooksLikeItem(ReadOnlySpan<byte> span, int pos, bool bigEndian) =>
        ReadUInt16(span, pos, bigEndian) == 0xFFFE && ReadUInt16(span, pos + 2, bigEndian) == 0xE000;

    private static ushort ReadUInt16(ReadOnlySpan<byte> s, int pos, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(s[pos..]) : BinaryPrimitives.ReadUInt16LittleEndian(s[pos..]);

    private static uint ReadUInt32(ReadOnlySpan<byte> s, int pos, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s[pos..]) : BinaryPrimitives.ReadUInt32LittleEndian(s[pos..]);

    private List<DicomDataset> ParseSequence(int end, bool undefinedLength, bool explicitVR, bool bigEndian, int depth, DicomTag sequenceTag)
    {
        if (depth > MaxDepth)
        {
            throw Error($"Sequences are nested deeper than {MaxDepth} levels.", sequenceTag);
        }

        var items = new List<DicomDataset>();
        ReadOnlySpan<byte> span = _data.Span;
        while (true)
        {
            if (_pos >= end)
            {
                if (undefinedLength)
                {
                    throw Truncated("A sequence of undefined length has no sequence delimiter.", sequenceTag);
                }

                return items;
            }

            if (end - _pos < 8)
            {
                throw Truncated("An item header is cut off.", sequenceTag);
            }

            var tag = new DicomTag(ReadUInt16(span, _pos, bigEndian), ReadUInt16(span, _pos + 2, bigEndian));
            uint length = ReadUInt32(span, _pos + 4, bigEndian);
            _pos += 8;
            if (tag == DicomTags.SequenceDelimitationItem)
            {
                if (undefinedLength)
                {
                    return items;
                }

                continue;
            }

            if (tag != DicomTags.Item)
            {
                throw Error($"Expected an item in sequence {sequenceTag}, found {tag}.", tag);
            }

            if (length == UndefinedLength)
            {
                items.Add(ParseDataset(end, explicitVR, bigEndian, depth, inUndefinedItem: true, stopAtPixelData: false));
            }
            else
            {
                if (length > (uint)(end - _pos))
                {
                    throw Truncated($"Item length {length} exceeds the {end - _pos} bytes that remain.", sequenceTag);
                }

                int itemEnd = _pos + (int)length;
                items.Add(ParseDataset(itemEnd, explicitVR, bigEndian, depth, inUndefinedItem: false, stopAtPixelData: false));
                _pos = itemEnd;
            }
        }
    }

    private DicomElement ParseEncapsulated(DicomTag tag, DicomVR vr, int end, bool bigEndian)
    {
        // PS3.5 §A.4: items of defined length (first: basic offset table), ended by a sequence delimiter.
        ReadOnlySpan<byte> span = _data.Span;
        int valueStart = _pos;
        ReadOnlyMemory<byte> offsetTable = ReadOnlyMemory<byte>.Empty;
        var fragments = new List<ReadOnlyMemory<byte>>();
        var itemOffsets = new List<long>();
        bool first = true;
        int firstFragmentItem = -1;
        while (true)
        {
            if (end - _pos < 8)
            {
                throw Truncated("Encapsulated pixel data has no sequence delimiter.", tag);
            }

            int itemStart = _pos;
            var itemTag = new DicomTag(ReadUInt16(span, _pos, bigEndian), ReadUInt16(span, _pos + 2, bigEndian));
            uint length = ReadUInt32(span, _pos + 4, bigEndian);
            _pos += 8;
            if (itemTag == DicomTags.SequenceDelimitationItem)
            {
                break;
            }

            if (itemTag != DicomTags.Item)
            {
                throw Error($"Expected a pixel data item, found {itemTag}.", tag);
            }

            if (length > (uint)(end - _pos))
            {
                throw Truncated($"Pixel data fragment length {length} exceeds the {end - _pos} bytes that remain.", tag);
            }

            ReadOnlyMemory<byte> value = _data.Slice(_pos, (int)length);
            _pos += (int)length;
            if (first)
            {
                offsetTable = value;
                first = false;
                continue;
            }

            if (firstFragmentItem < 0)
            {
                firstFragmentItem = itemStart;
            }

            fragments.Add(value);
            itemOffsets.Add(itemStart - firstFragmentItem);
        }

        return new DicomElement(tag, vr, _offsetBase + valueStart, UndefinedLength, ReadOnlyMemory<byte>.Empty)
        {
            Fragments = fragments,
            FragmentItemOffsets = itemOffsets,
            BasicOffsetTable = offsetTable,
        };
    }

    private Exception Truncated(string message, DicomTag? tag, int at = -1)
    {
        if (_partial)
        {
            return new NeedMoreDataException();
        }

        return Error(message, tag, at);
    }

    private DicomFormatException Error(string message, DicomTag? tag, int at = -1) =>
        new(message, _path, _offsetBase + (at >= 0 ? at : _pos), tag);

    /// <summary>Thrown internally when a header-only read needs more of the file.</summary>
    internal sealed class NeedMoreDataException : Exception
    {
    }
}
