using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace VolumeMesh.Dicom.Codecs;

/// <summary>
/// A fast decoder for the JPEG lossless process 14 (ISO 10918-1 Annex H, Huffman coded, non-hierarchical, one scan,
/// all components in the scan, sampling 1×1), the transfer syntaxes 1.2.840.10008.1.2.4.57 and .70 that CT uses.
/// Other JPEG streams are left to JpegLibrary (<see cref="TryDecode"/> returns false for them).
/// </summary>
internal static class JpegLosslessDecoder
{
    private const int LookupBits = 9;
    private const int FastBits = 12;

    /// <summary>Decodes a lossless JPEG frame into little-endian, sample-interleaved output.</summary>
    /// <returns>False when the stream uses a feature this decoder leaves to the general decoder.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> data, Span<byte> destination, int width, int height, int components, int bytesPerSample, string? path)
    {
        var tables = new HuffmanTable?[4];
        int restartInterval = 0;
        int precision = 0;
        int frameComponents = 0;
        Span<int> componentIds = stackalloc int[4];
        int pos = 0;
        if (data.Length < 4 || data[0] != 0xFF || data[1] != 0xD8)
        {
            throw Corrupt("the stream does not start with SOI", path);
        }

        pos = 2;
        while (true)
        {
            // Find the next marker (fill bytes 0xFF may precede it).
            while (pos < data.Length && data[pos] != 0xFF)
            {
                pos++;
            }

            while (pos < data.Length && data[pos] == 0xFF)
            {
                pos++;
            }

            if (pos >= data.Length)
            {
                throw Corrupt("no scan before the end of the data", path);
            }

            byte marker = data[pos++];
            if (marker == 0xD9)
            {
                throw Corrupt("end of image before any scan", path);
            }

            if (pos + 2 > data.Length)
            {
                throw Corrupt("marker segment is cut off", path);
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(data[pos..]);
            if (length < 2 || pos + length > data.Length)
            {
                throw Corrupt($"marker 0x{marker:X2} segment length {length} overruns the data", path);
            }

            ReadOnlySpan<byte> segment = data.Slice(pos + 2, length - 2);
            pos += length;
            switch (marker)
            {
                case 0xC3:
                    if (segment.Length < 6)
                    {
                        throw Corrupt("SOF3 is too short", path);
                    }

                    precision = segment[0];
                    int lines = BinaryPrimitives.ReadUInt16BigEndian(segment[1..]);
                    int samples = BinaryPrimitives.ReadUInt16BigEndian(segment[3..]);
                    frameComponents = segment[5];
                    if (lines != height || samples != width || frameComponents != components || frameComponents > 4 || segment.Length < 6 + (3 * frameComponents))
                    {
                        throw Corrupt($"frame is {samples}×{lines}×{frameComponents}, expected {width}×{height}×{components}", path);
                    }

                    if (precision < 2 || precision > 16 || precision > 8 * bytesPerSample)
                    {
                        throw Corrupt($"precision {precision} does not fit {8 * bytesPerSample}-bit samples", path);
                    }

                    for (int c = 0; c < frameComponents; c++)
                    {
                        componentIds[c] = segment[6 + (3 * c)];
                        if (segment[7 + (3 * c)] != 0x11)
                        {
                            return false; // sub-sampled components
                        }
                    }

                    break;
                case 0xC4:
                    ReadHuffmanTables(segment, tables, path);
                    break;
                case 0xDD:
                    if (segment.Length < 2)
                    {
                        throw Corrupt("DRI is too short", path);
                    }

                    restartInterval = BinaryPrimitives.ReadUInt16BigEndian(segment);
                    break;
                case 0xDA:
                    if (frameComponents == 0)
                    {
                        throw Corrupt("scan before the frame header", path);
                    }

                    int ns = segment.Length > 0 ? segment[0] : 0;
                    if (ns != frameComponents || segment.Length < 1 + (2 * ns) + 3)
                    {
                        return false; // non-interleaved or multi-scan images
                    }

                    var scanTables = new HuffmanTable[ns];
                    for (int c = 0; c < ns; c++)
                    {
                        if (segment[1 + (2 * c)] != componentIds[c])
                        {
                            return false;
                        }

                        int td = segment[2 + (2 * c)] >> 4;
                        scanTables[c] = (td < 4 ? tables[td] : null) ?? throw Corrupt($"Huffman table {td} is not defined", path);
                    }

                    int predictor = segment[1 + (2 * ns)];
                    int pointTransform = segment[3 + (2 * ns)] & 0x0F;
                    if (predictor is < 1 or > 7 || pointTransform >= precision)
                    {
                        throw Corrupt($"predictor {predictor} or point transform {pointTransform} is invalid", path);
                    }

                    DecodeScan(data[pos..], destination, width, height, ns, bytesPerSample, precision, predictor, pointTransform, restartInterval, scanTables, path);
                    return true;
                case 0xC0 or 0xC1 or 0xC2 or 0xC5 or 0xC6 or 0xC7 or 0xC9 or 0xCA or 0xCB or 0xCD or 0xCE or 0xCF:
                    return false; // not process 14
                default:
                    break; // APPn, COM, DQT, … are skipped
            }
        }
    }

    private static void ReadHuffmanTables(ReadOnlySpan<byte> segment, HuffmanTable?[] tables, string? path)
    {
        int p = 0;
        while (p < segment.Length)
        {
            if (p + 17 > segment.Length)
            {
                throw Corrupt("DHT is cut off", path);
            }

            int tc = segment[p] >> 4;
            int th = segment[p] & 0x0F;
            ReadOnlySpan<byte> counts = segment.Slice(p + 1, 16);
            int total = 0;
            foreach (byte n in counts)
            {
                total += n;
            }

            if (total > 256 || p + 17 + total > segment.Length || th > 3)
            {
                throw Corrupt("DHT table is invalid", path);
            }

            var table = new HuffmanTable(counts, segment.Slice(p + 17, total), path);
            if (tc == 0)
            {
                tables[th] = table;
            }

            p += 17 + total;
        }
    }

    private static void DecodeScan(ReadOnlySpan<byte> data, Span<byte> destination, int width, int height, int nc, int bytesPerSample,
        int precision, int predictor, int pt, int restartInterval, HuffmanTable[] tables, string? path)
    {
        if (nc == 1 && restartInterval == 0 && pt == 0 && bytesPerSample == 2 && BitConverter.IsLittleEndian)
        {
            DecodeGrey16(data, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(destination), width, height, precision, predictor, tables[0], path);
            return;
        }

        int lineLength = width * nc;
        int[] lineBuffer = ArrayPool<int>.Shared.Rent(2 * lineLength);
        try
        {
            Span<int> previous = lineBuffer.AsSpan(0, lineLength);
            Span<int> current = lineBuffer.AsSpan(lineLength, lineLength);
            var reader = new BitReader(data);
            int initial = 1 << (precision - pt - 1);
            int mcusLeft = restartInterval;
            bool firstLine = true;
            bool intervalStart = true;
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    if (restartInterval > 0 && mcusLeft == 0)
                    {
                        reader.Restart(path);
                        mcusLeft = restartInterval;
                        intervalStart = true;
                        firstLine = true;
                    }

                    for (int c = 0; c < nc; c++)
                    {
                        int diff = reader.DecodeDifference(tables[c], path);
                        int i = (x * nc) + c;
                        int prediction;
                        if (intervalStart)
                        {
                            prediction = initial;
                        }
                        else if (firstLine)
                        {
                            prediction = current[i - nc];
                        }
                        else if (x == 0)
                        {
                            prediction = previous[i];
                        }
                        else
                        {
                            int ra = current[i - nc];
                            int rb = previous[i];
                            int rc = previous[i - nc];
                            prediction = predictor switch
                            {
                                1 => ra,
                                2 => rb,
                                3 => rc,
                                4 => ra + rb - rc,
                                5 => ra + ((rb - rc) >> 1),
                                6 => rb + ((ra - rc) >> 1),
                                _ => (ra + rb) >> 1,
                            };
                        }

                        current[i] = (prediction + diff) & 0xFFFF;
                    }

                    intervalStart = false;
                    mcusLeft--;
                }

                Span<byte> row = destination.Slice(y * lineLength * bytesPerSample, lineLength * bytesPerSample);
                if (bytesPerSample == 2)
                {
                    for (int i = 0; i < lineLength; i++)
                    {
                        BinaryPrimitives.WriteUInt16LittleEndian(row[(2 * i)..], (ushort)(current[i] << pt));
                    }
                }
                else
                {
                    for (int i = 0; i < lineLength; i++)
                    {
                        row[i] = (byte)(current[i] << pt);
                    }
                }

                Span<int> swap = previous;
                previous = current;
                current = swap;
                firstLine = false;
            }

            if (reader.Overrun)
            {
                throw Corrupt("the entropy-coded data ends before the image is complete", path);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(lineBuffer);
        }
    }

    /// <summary>The common CT case: one 16-bit component, no restarts, no point transform; predicts from the output rows.</summary>
    private static void DecodeGrey16(ReadOnlySpan<byte> data, Span<ushort> output, int width, int height, int precision, int predictor, HuffmanTable table, string? path)
    {
        var reader = new BitReader(data);
        int value = 1 << (precision - 1);
        for (int x = 0; x < width; x++)
        {
            value = (value + reader.DecodeDifference(table, path)) & 0xFFFF;
            output[x] = (ushort)value;
        }

        for (int y = 1; y < height; y++)
        {
            Span<ushort> row = output.Slice(y * width, width);
            ReadOnlySpan<ushort> above = output.Slice((y - 1) * width, width);
            int ra = (above[0] + reader.DecodeDifference(table, path)) & 0xFFFF;
            row[0] = (ushort)ra;
            if (predictor == 1)
            {
                for (int x = 1; x < row.Length; x++)
                {
                    ra = (ra + reader.DecodeDifference(table, path)) & 0xFFFF;
                    row[x] = (ushort)ra;
                }

                continue;
            }

            for (int x = 1; x < row.Length; x++)
            {
                int rb = above[x];
                int rc = above[x - 1];
                int prediction = predictor switch
                {
                    2 => rb,
                    3 => rc,
                    4 => ra + rb - rc,
                    5 => ra + ((rb - rc) >> 1),
                    6 => rb + ((ra - rc) >> 1),
                    _ => (ra + rb) >> 1,
                };
                ra = (prediction + reader.DecodeDifference(table, path)) & 0xFFFF;
                row[x] = (ushort)ra;
            }
        }

        if (reader.Overrun)
        {
            throw Corrupt("the entropy-coded data ends before the image is complete", path);
        }
    }

    private static DicomFormatException Corrupt(string what, string? path) =>
        new($"JPEG lossless data is corrupt: {what}.", path, -1, DicomTags.PixelData);

    /// <summary>A Huffman table with a direct lookup for short codes (ISO 10918-1 Annex C, F.2.2.3).</summary>
    private sealed class HuffmanTable
    {
        public readonly ushort[] Lookup = new ushort[1 << LookupBits]; // (length << 8) | symbol; 0 = longer code
        public readonly int[] MaxCode = new int[18];
        public readonly int[] ValueOffset = new int[17];
        public readonly byte[] Values;

        /// <summary>For every 12-bit prefix holding a whole code and its extra bits: the bits used (0 = not whole) and the difference.</summary>
        public readonly byte[] FastLength = new byte[1 << FastBits];
        public readonly int[] FastDifference = new int[1 << FastBits];

        public HuffmanTable(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> values, string? path)
        {
            Values = values.ToArray();
            int code = 0;
            int k = 0;
            for (int length = 1; length <= 16; length++)
            {
                int n = counts[length - 1];
                ValueOffset[length] = k - code;
                for (int i = 0; i < n; i++, k++, code++)
                {
                    // Checked per code, before the lookup is filled: an over-subscribed length would index past it.
                    if (code >= (1 << length))
                    {
                        throw Corrupt("Huffman code lengths overflow", path);
                    }

                    if (length <= LookupBits)
                    {
                        int first = code << (LookupBits - length);
                        int count = 1 << (LookupBits - length);
                        for (int j = 0; j < count; j++)
                        {
                            Lookup[first + j] = (ushort)((length << 8) | Values[k]);
                        }
                    }
                }

                MaxCode[length] = n > 0 ? code - 1 : -1;
                code <<= 1;
            }

            MaxCode[17] = int.MaxValue;

            // Code and extra bits together (ISO 10918-1 F.2.2.1 EXTEND), so a typical sample costs one lookup.
            for (int prefix = 0; prefix < FastLength.Length; prefix++)
            {
                int entry = Lookup[prefix >> (FastBits - LookupBits)];
                if (entry == 0)
                {
                    continue;
                }

                int length = entry >> 8;
                int category = entry & 0xFF;
                if (category > 16 || (category < 16 && length + category > FastBits))
                {
                    continue;
                }

                int difference = 0;
                if (category == 16)
                {
                    difference = 32768;
                }
                else if (category > 0)
                {
                    int v = (prefix >> (FastBits - length - category)) & ((1 << category) - 1);
                    difference = v < (1 << (category - 1)) ? v - (1 << category) + 1 : v;
                }

                FastLength[prefix] = (byte)(length + (category == 16 ? 0 : category));
                FastDifference[prefix] = difference;
            }
        }
    }

    /// <summary>Reads entropy-coded bits, removing stuffed zero bytes and stopping at markers (ISO 10918-1 §F.1.2.3).</summary>
    private ref struct BitReader
    {
        private readonly ReadOnlySpan<byte> _data;
        private int _pos;
        private ulong _buffer;
        private int _bits;
        private int _padding;
        private bool _atMarker;

        public BitReader(ReadOnlySpan<byte> data)
        {
            _data = data;
        }

        public readonly bool Overrun => _padding * 8 > _bits + 64;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int DecodeDifference(HuffmanTable table, string? path)
        {
            if (_bits < 32)
            {
                Fill();
            }

            int fast = (int)(_buffer >> (64 - FastBits));
            int used = table.FastLength[fast];
            if (used != 0)
            {
                _buffer <<= used;
                _bits -= used;
                return table.FastDifference[fast];
            }

            int entry = table.Lookup[(int)(_buffer >> (64 - LookupBits))];
            int s;
            if (entry != 0)
            {
                int length = entry >> 8;
                _buffer <<= length;
                _bits -= length;
                s = entry & 0xFF;
            }
            else
            {
                s = DecodeSlow(table, path);
            }

            if (s == 0)
            {
                return 0;
            }

            if (s >= 16)
            {
                return s == 16 ? 32768 : throw Corrupt($"difference category {s}", path);
            }

            if (_bits < s)
            {
                Fill();
            }

            int v = (int)(_buffer >> (64 - s));
            _buffer <<= s;
            _bits -= s;
            return v < (1 << (s - 1)) ? v - (1 << s) + 1 : v;
        }

        public void Restart(string? path)
        {
            // Discard the partial byte, then expect RSTn.
            _buffer = 0;
            _bits = 0;
            while (_pos < _data.Length && _data[_pos] == 0xFF && _pos + 1 < _data.Length && _data[_pos + 1] == 0xFF)
            {
                _pos++;
            }

            if (_pos + 1 < _data.Length && _data[_pos] == 0xFF && _data[_pos + 1] >= 0xD0 && _data[_pos + 1] <= 0xD7)
            {
                _pos += 2;
                _atMarker = false;
                _padding = 0;
                return;
            }

            throw Corrupt("a restart marker is missing", path);
        }

        private int DecodeSlow(HuffmanTable table, string? path)
        {
            int code = (int)(_buffer >> (64 - 16));
            for (int length = LookupBits + 1; length <= 16; length++)
            {
                int c = code >> (16 - length);
                if (c <= table.MaxCode[length])
                {
                    int index = table.ValueOffset[length] + c;
                    if ((uint)index >= (uint)table.Values.Length)
                    {
                        break;
                    }

                    _buffer <<= length;
                    _bits -= length;
                    return table.Values[index];
                }
            }

            throw Corrupt("invalid Huffman code", path);
        }

        private void Fill()
        {
            if (!_atMarker && _pos + 8 <= _data.Length)
            {
                // Eight bytes at once when none of them is 0xFF (no stuffing, no marker).
                ulong word = BinaryPrimitives.ReadUInt64BigEndian(_data[_pos..]);
                ulong inverted = ~word;
                if (((inverted - 0x0101010101010101UL) & ~inverted & 0x8080808080808080UL) == 0)
                {
                    int bytes = (64 - _bits) >> 3;
                    if (_bits == 0)
                    {
                        _buffer = word;
                    }
                    else
                    {
                        _buffer |= (word >> (64 - (bytes * 8))) << (64 - (bytes * 8) - _bits);
                    }

                    _pos += bytes;
                    _bits += bytes * 8;
                    return;
                }
            }

            while (_bits <= 56)
            {
                uint b = 0;
                if (!_atMarker && _pos < _data.Length)
                {
                    b = _data[_pos];
                    if (b == 0xFF)
                    {
                        byte next = _pos + 1 < _data.Length ? _data[_pos + 1] : (byte)0xD9;
                        if (next == 0)
                        {
                            _pos += 2;
                        }
                        else
                        {
                            _atMarker = true;
                            b = 0;
                            _padding++;
                        }
                    }
                    else
                    {
                        _pos++;
                    }
                }
                else
                {
                    _padding++;
                    if (_padding > 1 << 20)
                    {
                        // Far past the data: stop spinning on a hostile stream.
                        throw Corrupt("the entropy-coded data ends early", null);
                    }
                }

                _buffer |= (ulong)b << (56 - _bits);
                _bits += 8;
            }
        }
    }
}
