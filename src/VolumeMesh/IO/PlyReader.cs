using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using VolumeMesh.Meshing;

namespace VolumeMesh.IO;

/// <summary>Reads PLY files (ASCII and binary little-endian) into one <see cref="MeshPart"/> in LPS millimetres.</summary>
/// <remarks>
/// <para>Reads the <c>vertex</c> element's <c>x y z</c> (any numeric type; other properties skipped) and the <c>face</c>
/// element's <c>vertex_indices</c> (or <c>vertex_index</c>) list; polygons with more than three corners are split into a
/// fan. Other elements are skipped. A <c>SPACE=RAS</c> comment converts positions to LPS; the comments <c>part NAME</c>
/// and <c>color #RRGGBB</c> (as <see cref="PlyWriter"/> writes them) give the part's name and colour.</para>
/// <para>Malformed input raises <see cref="InvalidDataException"/> naming the file and what is wrong; big-endian files
/// raise <see cref="NotSupportedException"/>.</para>
/// </remarks>
public static class PlyReader
{
    private const int MaxHeaderBytes = 1 << 16;

    private enum Scalar
    {
        Int8,
        UInt8,
        Int16,
        UInt16,
        Int32,
        UInt32,
        Float32,
        Float64,
    }

    /// <summary>Reads a PLY file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The file with its one part.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid PLY file.</exception>
    /// <exception cref="NotSupportedException">The file is big-endian binary.</exception>
    public static MeshFile Read(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] data = File.ReadAllBytes(path);
        return Parse(data, path, cancellationToken);
    }

    /// <summary>Parses the bytes of a PLY file.</summary>
    /// <param name="data">The whole file.</param>
    /// <param name="name">The file name used in error messages and as the part name when the file names none.</param>
    /// <param name="cancellationToken">Cancels the parse.</param>
    /// <returns>The file with its one part.</returns>
    /// <exception cref="InvalidDataException">The data is not a valid PLY file.</exception>
    /// <exception cref="NotSupportedException">The file is big-endian binary.</exception>
    public static MeshFile Parse(ReadOnlySpan<byte> data, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        int headerEnd = data[..Math.Min(data.Length, MaxHeaderBytes)].IndexOf("end_header"u8);
        if (!data.StartsWith("ply"u8) || headerEnd < 0)
        {
            throw new InvalidDataException($"{name}: not a PLY file (no 'ply' magic or no 'end_header' in the first {MaxHeaderBytes} bytes).");
        }

        int bodyStart = data[headerEnd..].IndexOf((byte)'\n');
        if (bodyStart < 0)
        {
            throw new InvalidDataException($"{name}: the PLY header ends without a line break.");
        }

        bodyStart += headerEnd + 1;
        string[] lines = Encoding.UTF8.GetString(data[..headerEnd]).Split('\n');
        var elements = new List<Element>();
        bool? ascii = null;
        string partName = Path.GetFileNameWithoutExtension(name);
        PartColor color = PartColor.Bone;
        CoordinateSpace? space = null;
        for (int l = 1; l < lines.Length; l++)
        {
            string[] words = lines[l].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                continue;
            }

            switch (words[0])
            {
                case "format" when words.Length >= 2:
                    ascii = words[1] switch
                    {
                        "ascii" => true,
                        "binary_little_endian" => false,
                        "binary_big_endian" => throw new NotSupportedException($"{name}: big-endian binary PLY is not supported; convert it to little-endian or ASCII."),
                        _ => throw new InvalidDataException($"{name}: header line {l + 1}: unknown format '{words[1]}'."),
                    };
                    break;
                case "comment":
                    string text = lines[l].Trim()["comment".Length..].Trim();
                    space ??= MeshText.SpaceOf(text);
                    if (text.StartsWith("part ", StringComparison.Ordinal) && text.Length > 5)
                    {
                        partName = text[5..].Trim();
                    }
                    else if (text.StartsWith("color ", StringComparison.Ordinal) && PartColor.TryParseHex(text[6..], out PartColor parsed))
                    {
                        color = parsed;
                    }

                    break;
                case "element" when words.Length == 3 && long.TryParse(words[2], NumberStyles.None, CultureInfo.InvariantCulture, out long count) && count <= int.MaxValue:
                    elements.Add(new Element(words[1], (int)count));
                    break;
                case "property" when elements.Count > 0 && words.Length == 3:
                    elements[^1].Properties.Add(new Property(words[2], ScalarOf(words[1], name, l), null));
                    break;
                case "property" when elements.Count > 0 && words.Length == 5 && words[1] == "list":
                    elements[^1].Properties.Add(new Property(words[4], ScalarOf(words[3], name, l), ScalarOf(words[2], name, l)));
                    break;
                case "obj_info":
                    break;
                default:
                    throw new InvalidDataException($"{name}: header line {l + 1}: cannot read '{lines[l].Trim()}'.");
            }
        }

        if (ascii is null)
        {
            throw new InvalidDataException($"{name}: the PLY header has no 'format' line.");
        }

        var body = new Body(data[bodyStart..], ascii.Value, name);
        Vector3[]? vertices = null;
        var indices = new List<int>();
        foreach (Element element in elements)
        {
            // Checked before anything is allocated from the declared count: each item needs its properties' bytes.
            body.RequireRoom(element);
            if (element.Properties.Count == 0)
            {
                continue;
            }

            if (element.Name == "vertex")
            {
                vertices = ReadVertices(ref body, element, name, cancellationToken);
            }
            else if (element.Name == "face")
            {
                ReadFaces(ref body, element, indices, name, cancellationToken);
            }
            else
            {
                for (int i = 0; i < element.Count; i++)
                {
                    foreach (Property property in element.Properties)
                    {
                        body.Skip(property);
                    }
                }
            }
        }

        vertices ??= [];
        foreach (int index in indices)
        {
            if ((uint)index >= (uint)vertices.Length)
            {
                throw new InvalidDataException($"{name}: a face refers to vertex {index}, but there are {vertices.Length} vertices.");
            }
        }

        if (space == CoordinateSpace.Ras)
        {
            for (int i = 0; i < vertices.Length; i++)
            {
                vertices[i] = MeshText.ToSpace(vertices[i], CoordinateSpace.Ras);
            }
        }

        string description = $"{(ascii.Value ? "ASCII" : "binary little-endian")} PLY, space {(space?.ToString().ToUpperInvariant() ?? "not stated (LPS assumed)")}";
        return new MeshFile { Format = MeshFormat.Ply, Parts = [new MeshPart(partName, new Mesh(vertices, [.. indices]), color)], Description = description };
    }

    private static Vector3[] ReadVertices(ref Body body, Element element, string name, CancellationToken cancellationToken)
    {
        int x = element.IndexOf("x"), y = element.IndexOf("y"), z = element.IndexOf("z");
        if (x < 0 || y < 0 || z < 0)
        {
            throw new InvalidDataException($"{name}: the vertex element has no x, y and z properties.");
        }

        var vertices = new Vector3[element.Count];
        Span<double> values = stackalloc double[3];
        for (int i = 0; i < vertices.Length; i++)
        {
            if ((i & 65535) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            for (int p = 0; p < element.Properties.Count; p++)
            {
                Property property = element.Properties[p];
                if (property.CountType is not null)
                {
                    body.Skip(property);
                    continue;
                }

                double value = body.Scalar(property.Type);
                if (p == x)
                {
                    values[0] = value;
                }
                else if (p == y)
                {
                    values[1] = value;
                }
                else if (p == z)
                {
                    values[2] = value;
                }
            }

            var position = new Vector3((float)values[0], (float)values[1], (float)values[2]);
            if (!float.IsFinite(position.X) || !float.IsFinite(position.Y) || !float.IsFinite(position.Z))
            {
                throw new InvalidDataException($"{name}: vertex {i} has a non-finite coordinate.");
            }

            vertices[i] = position;
        }

        return vertices;
    }

    private static void ReadFaces(ref Body body, Element element, List<int> indices, string name, CancellationToken cancellationToken)
    {
        int list = element.IndexOf("vertex_indices");
        if (list < 0)
        {
            list = element.IndexOf("vertex_index");
        }

        if (list < 0 || element.Properties[list].CountType is null)
        {
            throw new InvalidDataException($"{name}: the face element has no vertex_indices list.");
        }

        for (int f = 0; f < element.Count; f++)
        {
            if ((f & 65535) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            for (int p = 0; p < element.Properties.Count; p++)
            {
                Property property = element.Properties[p];
                if (p != list)
                {
                    body.Skip(property);
                    continue;
                }

                double countValue = body.Scalar(property.CountType!.Value);
                if (countValue < 3 || countValue > 1 << 20 || countValue != Math.Floor(countValue))
                {
                    throw new InvalidDataException($"{name}: face {f} has {countValue} corners; at least 3 are needed.");
                }

                int count = (int)countValue;
                int first = Index(body.Scalar(property.Type), f, name);
                int previous = Index(body.Scalar(property.Type), f, name);
                for (int c = 2; c < count; c++)
                {
                    int current = Index(body.Scalar(property.Type), f, name);
                    indices.Add(first);
                    indices.Add(previous);
                    indices.Add(current);
                    previous = current;
                }
            }
        }
    }

    private static int Index(double value, int face, string name) =>
        value >= 0 && value <= int.MaxValue && value == Math.Floor(value) ? (int)value : throw new InvalidDataException($"{name}: face {face} has the invalid vertex index {value}.");

    private static Scalar ScalarOf(string type, string name, int line) => type switch
    {
        "char" or "int8" => Scalar.Int8,
        "uchar" or "uint8" => Scalar.UInt8,
        "short" or "int16" => Scalar.Int16,
        "ushort" or "uint16" => Scalar.UInt16,
        "int" or "int32" => Scalar.Int32,
        "uint" or "uint32" => Scalar.UInt32,
        "float" or "float32" => Scalar.Float32,
        "double" or "float64" => Scalar.Float64,
        _ => throw new InvalidDataException($"{name}: header line {line + 1}: unknown property type '{type}'."),
    };

    private sealed record Property(string Name, Scalar Type, Scalar? CountType);

    private sealed record Element(string Name, int Count)
    {
        public List<Property> Properties { get; } = [];

        public int IndexOf(string property) => Properties.FindIndex(p => p.Name == property);
    }

    /// <summary>Reads scalars from the body, binary little-endian or ASCII tokens, bounds-checked.</summary>
    private ref struct Body(ReadOnlySpan<byte> data, bool ascii, string name)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private readonly bool _ascii = ascii;
        private readonly string _name = name;
        private int _position;

        /// <summary>Throws unless what remains of the body can hold the element's declared items: in binary each item
        /// needs its scalars' bytes (a list at least its count), in ASCII each scalar a character and a separator.</summary>
        public readonly void RequireRoom(Element element)
        {
            long perItem = 0;
            foreach (Property property in element.Properties)
            {
                perItem += _ascii ? 2 : SizeOf(property.CountType ?? property.Type);
            }

            long remaining = _data.Length - _position;
            if (element.Count * perItem > remaining + 1)
            {
                throw new InvalidDataException(
                    $"{_name}: element '{element.Name}' declares {element.Count} items of at least {perItem} bytes each, but {remaining} bytes of the body remain.");
            }
        }

        public void Skip(Property property)
        {
            if (property.CountType is Scalar countType)
            {
                double count = Scalar(countType);
                if (count < 0 || count > int.MaxValue)
                {
                    throw new InvalidDataException($"{_name}: list '{property.Name}' has the invalid length {count}.");
                }

                for (int i = 0; i < (int)count; i++)
                {
                    Scalar(property.Type);
                }
            }
            else
            {
                Scalar(property.Type);
            }
        }

        public double Scalar(Scalar type)
        {
            if (_ascii)
            {
                while (_position < _data.Length && IsSpace(_data[_position]))
                {
                    _position++;
                }

                int start = _position;
                while (_position < _data.Length && !IsSpace(_data[_position]))
                {
                    _position++;
                }

                ReadOnlySpan<byte> token = _data[start.._position];
                if (token.IsEmpty)
                {
                    throw new InvalidDataException($"{_name}: the PLY body ends early (truncated?).");
                }

                // A float property is parsed as a float: parsing as double and rounding again could differ in the last bit.
                if (type == PlyReader.Scalar.Float32 && float.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out float single))
                {
                    return single;
                }

                if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                {
                    throw new InvalidDataException($"{_name}: '{Encoding.ASCII.GetString(token[..Math.Min(40, token.Length)])}' at byte {start} of the body is not a number.");
                }

                return value;
            }

            int size = SizeOf(type);
            if (_data.Length - _position < size)
            {
                throw new InvalidDataException($"{_name}: the PLY body ends early at byte {_position} (truncated?).");
            }

            ReadOnlySpan<byte> bytes = _data.Slice(_position, size);
            _position += size;
            return type switch
            {
                PlyReader.Scalar.Int8 => (sbyte)bytes[0],
                PlyReader.Scalar.UInt8 => bytes[0],
                PlyReader.Scalar.Int16 => BinaryPrimitives.ReadInt16LittleEndian(bytes),
                PlyReader.Scalar.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(bytes),
                PlyReader.Scalar.Int32 => BinaryPrimitives.ReadInt32LittleEndian(bytes),
                PlyReader.Scalar.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(bytes),
                PlyReader.Scalar.Float32 => BinaryPrimitives.ReadSingleLittleEndian(bytes),
                _ => BinaryPrimitives.ReadDoubleLittleEndian(bytes),
            };
        }

        private static int SizeOf(Scalar type) => type switch
        {
            PlyReader.Scalar.Int8 or PlyReader.Scalar.UInt8 => 1,
            PlyReader.Scalar.Int16 or PlyReader.Scalar.UInt16 => 2,
            PlyReader.Scalar.Float64 => 8,
            _ => 4,
        };

        private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
    }
}
