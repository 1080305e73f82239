using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using VolumeMesh.Meshing;

namespace VolumeMesh.IO;

/// <summary>Reads binary and ASCII STL files (detected from the content) into an indexed <see cref="Mesh"/>.</summary>
/// <remarks>
/// <para>Binary is recognised when the file length equals 84 + 50 × the triangle count in the header (whatever the header
/// says, since some binary writers start it with <c>solid</c>); otherwise a file starting with <c>solid</c> followed by
/// facets is ASCII. Identical corner positions (exact float equality, −0 equal to +0) are welded into one vertex, numbered
/// in order of first use, so the result is deterministic. Facet normals in the file are ignored.</para>
/// <para>Malformed input raises <see cref="InvalidDataException"/> naming the file and what is wrong (a truncated binary
/// file, an ASCII keyword missing at a line, a non-finite coordinate).</para>
/// </remarks>
public static class StlReader
{
    /// <summary>Reads an STL file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The mesh with its format, header and declared coordinate system.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid STL file.</exception>
    public static StlFile Read(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] data = File.ReadAllBytes(path);
        return Parse(data, path, cancellationToken);
    }

    /// <summary>Parses the bytes of an STL file.</summary>
    /// <param name="data">The whole file.</param>
    /// <param name="name">The file name used in error messages.</param>
    /// <param name="cancellationToken">Cancels the parse.</param>
    /// <returns>The mesh with its format, header and declared coordinate system.</returns>
    /// <exception cref="InvalidDataException">The data is not a valid STL file.</exception>
    public static StlFile Parse(ReadOnlySpan<byte> data, string name, CancellationToken cancellationToken = default)
    {
        long expected = data.Length >= 84 ? 84 + (50L * BinaryPrimitives.ReadUInt32LittleEndian(data[80..])) : -1;
        if (expected == data.Length)
        {
            return ParseBinary(data, name, cancellationToken);
        }

        if (LooksAscii(data))
        {
            return ParseAscii(data, name, cancellationToken);
        }

        if (data.Length < 84)
        {
            throw new InvalidDataException($"{name}: not an STL file: {data.Length} bytes is shorter than a binary STL header (84 bytes) and it is not ASCII STL.");
        }

        if (expected > data.Length)
        {
            uint count = BinaryPrimitives.ReadUInt32LittleEndian(data[80..]);
            throw new InvalidDataException(
                $"{name}: truncated binary STL: the header declares {count} triangles ({expected} bytes) but the file has {data.Length} bytes.");
        }

        // Longer than declared: some exporters pad the file; the declared triangles are complete.
        return ParseBinary(data, name, cancellationToken);
    }

    private static bool LooksAscii(ReadOnlySpan<byte> data)
    {
        ReadOnlySpan<byte> start = data.TrimStart(" \t\r\n"u8);
        if (!start.StartsWith("solid"u8))
        {
            return false;
        }

        ReadOnlySpan<byte> head = start[..Math.Min(start.Length, 1024)];
        return head.IndexOf("facet"u8) >= 0 || head.IndexOf("endsolid"u8) >= 0;
    }

    private static StlFile ParseBinary(ReadOnlySpan<byte> data, string name, CancellationToken cancellationToken)
    {
        int count = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(data[80..]));
        string header = Encoding.ASCII.GetString(data[..80]).TrimEnd('\0', ' ');
        var welder = new Welder(count);
        var indices = new int[checked(count * 3)];
        for (int t = 0; t < count; t++)
        {
            if ((t & 8191) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            ReadOnlySpan<byte> record = data.Slice(84 + (50 * t), 50);
            for (int c = 0; c < 3; c++)
            {
                ReadOnlySpan<byte> p = record.Slice(12 + (12 * c), 12);
                var position = new Vector3(
                    BinaryPrimitives.ReadSingleLittleEndian(p),
                    BinaryPrimitives.ReadSingleLittleEndian(p[4..]),
                    BinaryPrimitives.ReadSingleLittleEndian(p[8..]));
                if (!float.IsFinite(position.X) || !float.IsFinite(position.Y) || !float.IsFinite(position.Z))
                {
                    throw new InvalidDataException($"{name}: triangle {t} has a non-finite coordinate {position}.");
                }

                indices[(3 * t) + c] = welder.Add(position);
            }
        }

        return new StlFile { Mesh = new Mesh(welder.ToArray(), indices), Format = StlFormat.Binary, Header = header, Space = SpaceOf(header) };
    }

    private static StlFile ParseAscii(ReadOnlySpan<byte> data, string name, CancellationToken cancellationToken)
    {
        var reader = new Tokens(data);
        reader.Expect("solid"u8, name);
        string header = reader.RestOfLine();
        var welder = new Welder(1024);
        var indices = new List<int>();
        int triangle = 0;
        while (true)
        {
            ReadOnlySpan<byte> token = reader.Next();
            if (token.SequenceEqual("endsolid"u8))
            {
                break;
            }

            if (token.IsEmpty)
            {
                throw new InvalidDataException($"{name}: ASCII STL ends at line {reader.Line} without 'endsolid' (truncated?).");
            }

            if (!token.SequenceEqual("facet"u8))
            {
                throw new InvalidDataException($"{name}: line {reader.Line}: expected 'facet' or 'endsolid', found '{Encoding.ASCII.GetString(token)}'.");
            }

            if ((triangle & 8191) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            reader.Expect("normal"u8, name);
            reader.Number(name);
            reader.Number(name);
            reader.Number(name);
            reader.Expect("outer"u8, name);
            reader.Expect("loop"u8, name);
            for (int c = 0; c < 3; c++)
            {
                reader.Expect("vertex"u8, name);
                var position = new Vector3(reader.Number(name), reader.Number(name), reader.Number(name));
                if (!float.IsFinite(position.X) || !float.IsFinite(position.Y) || !float.IsFinite(position.Z))
                {
                    throw new InvalidDataException($"{name}: line {reader.Line}: facet {triangle} has a non-finite coordinate.");
                }

                indices.Add(welder.Add(position));
            }

            reader.Expect("endloop"u8, name);
            reader.Expect("endfacet"u8, name);
            triangle++;
        }

        return new StlFile { Mesh = new Mesh(welder.ToArray(), [.. indices]), Format = StlFormat.Ascii, Header = header, Space = SpaceOf(header) };
    }

    private static CoordinateSpace? SpaceOf(string header)
    {
        if (header.Contains("SPACE=RAS", StringComparison.OrdinalIgnoreCase))
        {
            return CoordinateSpace.Ras;
        }

        if (header.Contains("SPACE=LPS", StringComparison.OrdinalIgnoreCase))
        {
            return CoordinateSpace.Lps;
        }

        return null;
    }

    /// <summary>Assigns one index per distinct position, in order of first appearance.</summary>
    private sealed class Welder(int expectedVertices)
    {
        private readonly Dictionary<(int, int, int), int> _index = new(Math.Max(16, expectedVertices / 2));
        private readonly List<Vector3> _positions = new(Math.Max(16, expectedVertices / 2));

        public int Add(Vector3 p)
        {
            // Bit patterns with −0 folded onto +0: exact float equality as a hashable key.
            var key = (Bits(p.X), Bits(p.Y), Bits(p.Z));
            if (!_index.TryGetValue(key, out int index))
            {
                index = _positions.Count;
                _index.Add(key, index);
                _positions.Add(p);
            }

            return index;
        }

        public Vector3[] ToArray() => [.. _positions];

        private static int Bits(float value) => value == 0 ? 0 : BitConverter.SingleToInt32Bits(value);
    }

    private ref struct Tokens(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public int Line { get; private set; } = 1;

        public ReadOnlySpan<byte> Next()
        {
            while (_position < _data.Length && IsSpace(_data[_position]))
            {
                if (_data[_position] == (byte)'\n')
                {
                    Line++;
                }

                _position++;
            }

            int start = _position;
            while (_position < _data.Length && !IsSpace(_data[_position]))
            {
                _position++;
            }

            return _data[start.._position];
        }

        public string RestOfLine()
        {
            int start = _position;
            while (_position < _data.Length && _data[_position] != (byte)'\n')
            {
                _position++;
            }

            return Encoding.ASCII.GetString(_data[start.._position]).Trim();
        }

        public void Expect(ReadOnlySpan<byte> keyword, string name)
        {
            ReadOnlySpan<byte> token = Next();
            if (!token.SequenceEqual(keyword))
            {
                string found = token.IsEmpty ? "end of file" : $"'{Encoding.ASCII.GetString(token[..Math.Min(token.Length, 40)])}'";
                throw new InvalidDataException($"{name}: line {Line}: expected '{Encoding.ASCII.GetString(keyword)}', found {found}.");
            }
        }

        public float Number(string name)
        {
            ReadOnlySpan<byte> token = Next();
            if (!float.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
            {
                string found = token.IsEmpty ? "end of file" : $"'{Encoding.ASCII.GetString(token[..Math.Min(token.Length, 40)])}'";
                throw new InvalidDataException($"{name}: line {Line}: expected a number, found {found}.");
            }

            return value;
        }

        private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
    }
}
