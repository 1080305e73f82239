using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using VolumeMesh.Geometry;

namespace VolumeMesh.IO;

/// <summary>Reads NRRD volumes: <c>.nrrd</c> with attached data and <c>.nhdr</c> with a detached data file, raw or gzip encoded.</summary>
/// <remarks>
/// <para>Follows the NRRD format specification (teem, NRRD0001–NRRD0005): fields <c>type</c> (int8, uint8, int16, uint16, int32,
/// uint32, float, double and their C-name aliases), <c>dimension</c> (2 or 3), <c>sizes</c>, <c>endian</c>, <c>encoding</c>
/// (<c>raw</c>, <c>gzip</c>), <c>space</c>, <c>space directions</c>, <c>space origin</c>, <c>spacings</c>, <c>data file</c>,
/// <c>byte skip</c> and <c>line skip</c>. Geometry is converted to patient LPS: <c>right-anterior-superior</c> negates x and y,
/// <c>left-anterior-superior</c> negates y. Without <c>space directions</c> the axes are the patient axes scaled by
/// <c>spacings</c> (1 mm when absent).</para>
/// <para>Malformed input raises <see cref="InvalidDataException"/> naming the file and the field; an encoding or data-file form
/// it does not read raises <see cref="NotSupportedException"/>. Nothing is allocated from a size field before the data is
/// known to be there (raw) or could be there (gzip: at most the deflate ratio of 1032:1 times the compressed size).</para>
/// </remarks>
public static class NrrdReader
{
    private const int MaxHeaderBytes = 1 << 20;
    private const long MaxDeflateRatio = 1032;
    private const long GzipFirstFactor = 8;
    private const long GzipFirstBytes = 128 * 1024;

    /// <summary>Reads a NRRD file.</summary>
    /// <param name="path">A <c>.nrrd</c> or <c>.nhdr</c> file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The volume, its voxels in the stored type, its geometry in LPS.</returns>
    /// <exception cref="FileNotFoundException">The file or its detached data file does not exist.</exception>
    /// <exception cref="InvalidDataException">A field is missing or malformed, or the data is truncated.</exception>
    /// <exception cref="NotSupportedException">The file uses an encoding, dimension or data-file form this reader does not handle.</exception>
    public static NrrdVolume Read(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var head = new byte[(int)Math.Min(file.Length, MaxHeaderBytes)];
        file.ReadExactly(head);
        Header header = ParseHeader(head, file.Length, path);

        NrrdScalarType type = ParseType(header.Get("type", path), path);
        int dimension = ParseInt(header.Get("dimension", path), "dimension", path);
        if (dimension is not (2 or 3))
        {
            throw new NotSupportedException($"{path}: field 'dimension': {dimension}-dimensional NRRD is not a scalar volume (2 or 3 axes expected).");
        }

        int[] sizes = ParseSizes(header.Get("sizes", path), dimension, path);
        long count = (long)sizes[0] * sizes[1] * (dimension == 3 ? sizes[2] : 1);
        if (count > Array.MaxLength)
        {
            throw new NotSupportedException($"{path}: field 'sizes': {count} voxels exceed one managed array.");
        }

        // The geometry fields are checked here, on at most two slices; the full geometry (one position per slice) is built
        // only once the sizes have been checked against the data (see below).
        ParseGeometry(header, sizes, dimension, path, slices: Math.Min(2, dimension == 3 ? sizes[2] : 1));
        NrrdEncoding encoding = ParseEncoding(header.Get("encoding", path), path);
        int elementSize = SizeOf(type);
        bool bigEndian = false;
        if (elementSize > 1 && header.TryGet("endian", out string? endian))
        {
            bigEndian = endian.ToLowerInvariant() switch
            {
                "little" => false,
                "big" => true,
                _ => throw new InvalidDataException($"{path}: field 'endian': '{endian}' is neither 'little' nor 'big'."),
            };
        }

        long byteSkip = header.TryGet("byte skip", out string? skipText) ? ParseLong(skipText, "byte skip", path) : 0;
        long lineSkip = header.TryGet("line skip", out string? lineText) ? ParseLong(lineText, "line skip", path) : 0;
        if (byteSkip < -1 || lineSkip < 0)
        {
            throw new InvalidDataException($"{path}: field '{(lineSkip < 0 ? "line skip" : "byte skip")}' is negative.");
        }

        if (byteSkip == -1 && encoding != NrrdEncoding.Raw)
        {
            throw new InvalidDataException($"{path}: field 'byte skip': -1 is only valid with raw encoding.");
        }

        // Allocate checks the sizes against the data before anything proportional to them is built: the geometry holds
        // one position per slice, and a fuzzed header declared 99,999,991 slices over 16 bytes of data (2.4 GB of slice
        // positions, 5 s, before the data check said the file was truncated).
        Array voxels = Allocate(type, count, encoding, path, header, file, out Stream dataStream, out string dataName, out bool ownsStream);
        VolumeGeometry geometry;
        try
        {
            geometry = ParseGeometry(header, sizes, dimension, path, slices: dimension == 3 ? sizes[2] : 1);
            SkipLines(dataStream, lineSkip, dataName);
            long nbytes = count * elementSize;
            if (encoding == NrrdEncoding.Raw)
            {
                long available = dataStream.Length - dataStream.Position;
                if (byteSkip == -1)
                {
                    if (available < nbytes)
                    {
                        throw new InvalidDataException($"{dataName}: raw data is truncated: needs {nbytes} bytes, the file holds {available} after the header.");
                    }

                    dataStream.Seek(dataStream.Length - nbytes, SeekOrigin.Begin);
                }
                else
                {
                    if (available - byteSkip < nbytes)
                    {
                        throw new InvalidDataException(
                            $"{dataName}: raw data is truncated: 'sizes' {string.Join(' ', sizes)} of {TypeName(type)} need {nbytes} bytes, the file holds {Math.Max(0, available - byteSkip)}.");
                    }

                    dataStream.Seek(byteSkip, SeekOrigin.Current);
                }

                ReadVoxels(dataStream, voxels, cancellationToken);
            }
            else
            {
                try
                {
                    using var gzip = new GZipStream(dataStream, CompressionMode.Decompress, leaveOpen: true);
                    if (byteSkip > 0)
                    {
                        SkipDecompressed(gzip, byteSkip, dataName);
                    }

                    // The array was sized for what 8 × the gzip bytes can fill; it grows while inflated data keeps arriving.
                    long read = ReadVoxels(gzip, voxels, cancellationToken);
                    while (voxels.Length < count && read == (long)voxels.Length * elementSize)
                    {
                        int filled = voxels.Length;
                        voxels = Grow(voxels, (int)Math.Min(count, 2L * filled));
                        read += ReadVoxels(gzip, voxels, filled, cancellationToken);
                    }

                    if (read < nbytes)
                    {
                        throw new InvalidDataException(
                            $"{dataName}: gzip data is truncated: decompressed to {read} bytes, 'sizes' {string.Join(' ', sizes)} of {TypeName(type)} need {nbytes}.");
                    }
                }
                catch (InvalidDataException e) when (!e.Message.StartsWith(dataName, StringComparison.Ordinal))
                {
                    throw new InvalidDataException($"{dataName}: corrupt gzip data: {e.Message}", e);
                }
            }
        }
        finally
        {
            if (ownsStream)
            {
                dataStream.Dispose();
            }
        }

        if (bigEndian)
        {
            VoxelEndianness.Swap(voxels);
        }

        return new NrrdVolume(geometry, type, voxels, path);
    }

    private static Array Allocate(
        NrrdScalarType type, long count, NrrdEncoding encoding, string path, Header header, FileStream file,
        out Stream dataStream, out string dataName, out bool ownsStream)
    {
        if (header.TryGet("data file", out string? dataFile) || header.TryGet("datafile", out dataFile))
        {
            if (dataFile.StartsWith("LIST", StringComparison.Ordinal) || dataFile.Contains('%', StringComparison.Ordinal))
            {
                throw new NotSupportedException($"{path}: field 'data file': multi-file data ('{dataFile}') is not supported; use one data file.");
            }

            string folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? ".";
            dataName = System.IO.Path.Combine(folder, dataFile);
            if (!File.Exists(dataName))
            {
                throw new FileNotFoundException($"{path}: field 'data file': the detached data file '{dataFile}' does not exist.", dataName);
            }

            dataStream = new FileStream(dataName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            ownsStream = true;
        }
        else
        {
            if (header.DataOffset < 0)
            {
                throw new InvalidDataException($"{path}: the header has no blank line before the data and no 'data file' field.");
            }

            file.Position = header.DataOffset;
            dataStream = file;
            dataName = path;
            ownsStream = false;
        }

        long nbytes = count * SizeOf(type);
        long available = dataStream.Length - dataStream.Position;
        // Check before allocating: the size fields are untrusted.
        string? problem = encoding == NrrdEncoding.Gzip
            ? (nbytes > (available * MaxDeflateRatio) + 4096 ? $"field 'sizes' needs {nbytes} bytes, more than {available} bytes of gzip data can hold." : null)
            : (nbytes > available ? $"raw data is truncated: field 'sizes' needs {nbytes} bytes, the file holds {available} after the header." : null);
        if (problem is not null)
        {
            if (ownsStream)
            {
                dataStream.Dispose();
            }

            throw new InvalidDataException($"{dataName}: {problem}");
        }

        // Gzip data is only known once inflated: start at what 8 × its bytes (+ 128 KiB) can fill; the reader grows the array.
        long length = encoding == NrrdEncoding.Gzip ? Math.Min(count, Math.Max(1, ((GzipFirstFactor * available) + GzipFirstBytes) / SizeOf(type))) : count;
        Array voxels = type switch
        {
            NrrdScalarType.Int8 => new sbyte[length],
            NrrdScalarType.UInt8 => new byte[length],
            NrrdScalarType.Int16 => new short[length],
            NrrdScalarType.UInt16 => new ushort[length],
            NrrdScalarType.Int32 => new int[length],
            NrrdScalarType.UInt32 => new uint[length],
            NrrdScalarType.Float => new float[length],
            _ => new double[length],
        };

        return voxels;
    }

    private static Array Grow(Array voxels, int length) => voxels switch
    {
        sbyte[] a => Resized(a, length),
        byte[] a => Resized(a, length),
        short[] a => Resized(a, length),
        ushort[] a => Resized(a, length),
        int[] a => Resized(a, length),
        uint[] a => Resized(a, length),
        float[] a => Resized(a, length),
        double[] a => Resized(a, length),
        _ => throw new InvalidOperationException($"Unexpected voxel array {voxels.GetType()}."),
    };

    private static T[] Resized<T>(T[] array, int length)
    {
        Array.Resize(ref array, length);
        return array;
    }

    private static long ReadVoxels(Stream stream, Array voxels, CancellationToken cancellationToken) => ReadVoxels(stream, voxels, 0, cancellationToken);

    private static long ReadVoxels(Stream stream, Array voxels, int from, CancellationToken cancellationToken) => voxels switch
    {
        sbyte[] a => ReadTyped(stream, a, from, cancellationToken),
        byte[] a => ReadTyped(stream, a, from, cancellationToken),
        short[] a => ReadTyped(stream, a, from, cancellationToken),
        ushort[] a => ReadTyped(stream, a, from, cancellationToken),
        int[] a => ReadTyped(stream, a, from, cancellationToken),
        uint[] a => ReadTyped(stream, a, from, cancellationToken),
        float[] a => ReadTyped(stream, a, from, cancellationToken),
        double[] a => ReadTyped(stream, a, from, cancellationToken),
        _ => throw new InvalidOperationException($"Unexpected voxel array {voxels.GetType()}."),
    };

    /// <summary>Fills the array from <paramref name="from"/> on from the stream in chunks (so arrays over 2 GiB work); returns the bytes read.</summary>
    private static long ReadTyped<T>(Stream stream, T[] array, int from, CancellationToken cancellationToken)
        where T : unmanaged
    {
        int chunkElements = (1 << 24) / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        long total = 0;
        for (int start = from; start < array.Length; start += chunkElements)
        {
            Span<byte> bytes = MemoryMarshal.AsBytes(array.AsSpan(start, Math.Min(chunkElements, array.Length - start)));
            int read = ReadChunked(stream, bytes, cancellationToken);
            total += read;
            if (read < bytes.Length)
            {
                break;
            }
        }

        return total;
    }

    private static int ReadChunked(Stream stream, Span<byte> destination, CancellationToken cancellationToken)
    {
        int total = 0;
        const int Chunk = 1 << 22;
        while (total < destination.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int read = stream.Read(destination.Slice(total, Math.Min(Chunk, destination.Length - total)));
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private static void SkipDecompressed(Stream stream, long count, string dataName)
    {
        Span<byte> buffer = stackalloc byte[4096];
        while (count > 0)
        {
            int read = stream.Read(buffer[..(int)Math.Min(buffer.Length, count)]);
            if (read == 0)
            {
                throw new InvalidDataException($"{dataName}: field 'byte skip' skips past the end of the gzip data.");
            }

            count -= read;
        }
    }

    private static void SkipLines(Stream stream, long lines, string dataName)
    {
        for (long l = 0; l < lines; l++)
        {
            int b;
            do
            {
                b = stream.ReadByte();
                if (b < 0)
                {
                    throw new InvalidDataException($"{dataName}: field 'line skip' skips past the end of the data file.");
                }
            }
            while (b != '\n');
        }
    }

    /// <summary>The volume geometry the header's space fields describe, for the first <paramref name="slices"/> slices.</summary>
    private static VolumeGeometry ParseGeometry(Header header, int[] sizes, int dimension, string path, int slices)
    {
        // Sign flips that take the file's space to LPS.
        double sx = 1, sy = 1;
        if (header.TryGet("space", out string? space))
        {
            (sx, sy) = space.ToLowerInvariant() switch
            {
                "left-posterior-superior" or "lps" => (1.0, 1.0),
                "right-anterior-superior" or "ras" => (-1.0, -1.0),
                "left-anterior-superior" or "las" => (1.0, -1.0),
                _ => throw new NotSupportedException($"{path}: field 'space': '{space}' is not a patient space (LPS, RAS or LAS)."),
            };
        }
        else if (header.TryGet("space dimension", out string? spaceDimension) && spaceDimension.Trim() != "3")
        {
            throw new NotSupportedException($"{path}: field 'space dimension': {spaceDimension} is not 3.");
        }

        Vector3D origin = Vector3D.Zero;
        if (header.TryGet("space origin", out string? originText))
        {
            Vector3D[] parsed = ParseVectors(originText, "space origin", path);
            if (parsed.Length != 1)
            {
                throw new InvalidDataException($"{path}: field 'space origin': expected one vector '(x,y,z)', found '{originText}'.");
            }

            origin = parsed[0];
        }

        Vector3D di, dj, dk;
        if (header.TryGet("space directions", out string? directionText))
        {
            Vector3D[] d = ParseVectors(directionText, "space directions", path);
            if (d.Length != dimension)
            {
                throw new InvalidDataException(
                    $"{path}: field 'space directions': {d.Length} vectors for {dimension} axes (non-spatial axes are not supported).");
            }

            di = d[0];
            dj = d[1];
            dk = dimension == 3 ? d[2] : Vector3D.Cross(d[0], d[1]).Normalized();
        }
        else
        {
            double[] spacing = [1, 1, 1];
            if (header.TryGet("spacings", out string? spacingText))
            {
                string[] parts = spacingText.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length != dimension)
                {
                    throw new InvalidDataException($"{path}: field 'spacings': {parts.Length} values for {dimension} axes.");
                }

                for (int a = 0; a < dimension; a++)
                {
                    double s = ParseDouble(parts[a], "spacings", path);
                    spacing[a] = double.IsNaN(s) ? 1 : Math.Abs(s);
                }
            }

            di = new Vector3D(spacing[0], 0, 0);
            dj = new Vector3D(0, spacing[1], 0);
            dk = new Vector3D(0, 0, spacing[2]);
        }

        origin = new Vector3D(origin.X * sx, origin.Y * sy, origin.Z);
        di = new Vector3D(di.X * sx, di.Y * sy, di.Z);
        dj = new Vector3D(dj.X * sx, dj.Y * sy, dj.Z);
        dk = new Vector3D(dk.X * sx, dk.Y * sy, dk.Z);
        try
        {
            return VolumeGeometry.FromAffine(sizes[0], sizes[1], slices, origin, di, dj, dk);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: field 'space directions': {e.Message}", e);
        }
    }

    private static Vector3D[] ParseVectors(string text, string field, string path)
    {
        var vectors = new List<Vector3D>();
        int position = 0;
        while (true)
        {
            int open = text.IndexOf('(', position);
            if (open < 0)
            {
                if (text.AsSpan(position).Trim().Length != 0)
                {
                    throw new InvalidDataException($"{path}: field '{field}': unexpected '{text[position..].Trim()}' (vectors are written '(x,y,z)').");
                }

                break;
            }

            if (text.AsSpan(position, open - position).Trim().Length != 0)
            {
                throw new InvalidDataException($"{path}: field '{field}': unexpected '{text[position..open].Trim()}' (non-spatial 'none' axes are not supported).");
            }

            int close = text.IndexOf(')', open);
            if (close < 0)
            {
                throw new InvalidDataException($"{path}: field '{field}': missing ')' in '{text}'.");
            }

            string[] parts = text[(open + 1)..close].Split(',');
            if (parts.Length != 3)
            {
                throw new InvalidDataException($"{path}: field '{field}': '{text[open..(close + 1)]}' does not have 3 components.");
            }

            var v = new Vector3D(ParseDouble(parts[0], field, path), ParseDouble(parts[1], field, path), ParseDouble(parts[2], field, path));
            if (!v.IsFinite)
            {
                throw new InvalidDataException($"{path}: field '{field}': '{text[open..(close + 1)]}' is not finite.");
            }

            vectors.Add(v);
            position = close + 1;
        }

        return [.. vectors];
    }

    private static int[] ParseSizes(string text, int dimension, string path)
    {
        string[] parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != dimension)
        {
            throw new InvalidDataException($"{path}: field 'sizes': {parts.Length} sizes for dimension {dimension}.");
        }

        var sizes = new int[dimension];
        for (int a = 0; a < dimension; a++)
        {
            sizes[a] = ParseInt(parts[a], "sizes", path);
            if (sizes[a] < 1)
            {
                throw new InvalidDataException($"{path}: field 'sizes': size {sizes[a]} of axis {a} is not positive.");
            }
        }

        return sizes;
    }

    private static NrrdScalarType ParseType(string text, string path) => text.Trim().ToLowerInvariant() switch
    {
        "signed char" or "int8" or "int8_t" => NrrdScalarType.Int8,
        "uchar" or "unsigned char" or "uint8" or "uint8_t" => NrrdScalarType.UInt8,
        "short" or "short int" or "signed short" or "signed short int" or "int16" or "int16_t" => NrrdScalarType.Int16,
        "ushort" or "unsigned short" or "unsigned short int" or "uint16" or "uint16_t" => NrrdScalarType.UInt16,
        "int" or "signed int" or "int32" or "int32_t" => NrrdScalarType.Int32,
        "uint" or "unsigned int" or "uint32" or "uint32_t" => NrrdScalarType.UInt32,
        "float" => NrrdScalarType.Float,
        "double" => NrrdScalarType.Double,
        _ => throw new NotSupportedException($"{path}: field 'type': '{text}' is not a supported voxel type (int8, uint8, int16, uint16, int32, uint32, float, double)."),
    };

    private static NrrdEncoding ParseEncoding(string text, string path) => text.Trim().ToLowerInvariant() switch
    {
        "raw" => NrrdEncoding.Raw,
        "gzip" or "gz" => NrrdEncoding.Gzip,
        _ => throw new NotSupportedException($"{path}: field 'encoding': '{text}' is not supported (raw or gzip)."),
    };

    /// <summary>The NRRD type name written for a scalar type.</summary>
    /// <param name="type">The type.</param>
    /// <returns>The name, e.g. <c>int16</c>.</returns>
    internal static string TypeName(NrrdScalarType type) => type switch
    {
        NrrdScalarType.Int8 => "int8",
        NrrdScalarType.UInt8 => "uint8",
        NrrdScalarType.Int16 => "int16",
        NrrdScalarType.UInt16 => "uint16",
        NrrdScalarType.Int32 => "int32",
        NrrdScalarType.UInt32 => "uint32",
        NrrdScalarType.Float => "float",
        _ => "double",
    };

    /// <summary>Bytes per voxel.</summary>
    /// <param name="type">The type.</param>
    /// <returns>1, 2, 4 or 8.</returns>
    internal static int SizeOf(NrrdScalarType type) => type switch
    {
        NrrdScalarType.Int8 or NrrdScalarType.UInt8 => 1,
        NrrdScalarType.Int16 or NrrdScalarType.UInt16 => 2,
        NrrdScalarType.Double => 8,
        _ => 4,
    };

    private static int ParseInt(string text, string field, string path) =>
        int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new InvalidDataException($"{path}: field '{field}': '{text.Trim()}' is not an integer.");

    private static long ParseLong(string text, string field, string path) =>
        long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new InvalidDataException($"{path}: field '{field}': '{text.Trim()}' is not an integer.");

    private static double ParseDouble(string text, string field, string path) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw new InvalidDataException($"{path}: field '{field}': '{text.Trim()}' is not a number.");

    private static Header ParseHeader(byte[] head, long fileLength, string path)
    {
        // The header ends at the first empty line; a detached header (.nhdr) may simply end with the file.
        int end = -1, dataOffset = -1;
        for (int i = 0; i + 1 < head.Length; i++)
        {
            if (head[i] == '\n' && head[i + 1] == '\n')
            {
                end = i;
                dataOffset = i + 2;
                break;
            }

            if (head[i] == '\n' && head[i + 1] == '\r' && i + 2 < head.Length && head[i + 2] == '\n')
            {
                end = i;
                dataOffset = i + 3;
                break;
            }
        }

        if (end < 0)
        {
            if (fileLength > head.Length)
            {
                throw new InvalidDataException($"{path}: no blank line ends the header within its first {head.Length} bytes.");
            }

            end = head.Length; // a detached header may end with its file
        }

        string text = Encoding.Latin1.GetString(head, 0, end);
        string[] lines = text.Split('\n');
        string magic = lines[0].TrimEnd('\r');
        if (!magic.StartsWith("NRRD000", StringComparison.Ordinal) || magic.Length != 8 || magic[7] is < '1' or > '5')
        {
            throw new InvalidDataException($"{path}: not a NRRD file (the first line is '{Truncate(magic)}', expected NRRD0001 to NRRD0005).");
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int l = 1; l < lines.Length; l++)
        {
            string line = lines[l].TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                throw new InvalidDataException($"{path}: header line {l + 1} '{Truncate(line)}' is neither a field 'name: value' nor a comment.");
            }

            if (colon + 1 < line.Length && line[colon + 1] == '=')
            {
                continue; // key:=value pairs carry no geometry
            }

            string key = line[..colon].Trim().ToLowerInvariant();
            fields[key] = line[(colon + 1)..].Trim();
        }

        return new Header(fields, dataOffset);
    }

    private static string Truncate(string text) => text.Length > 60 ? text[..60] + "…" : text;

    private sealed class Header(Dictionary<string, string> fields, int dataOffset)
    {
        public int DataOffset { get; } = dataOffset;

        public string Get(string name, string path) =>
            fields.TryGetValue(name, out string? value) ? value : throw new InvalidDataException($"{path}: required field '{name}' is missing.");

        public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => fields.TryGetValue(name, out value);
    }
}
