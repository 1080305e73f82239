using System.Buffers.Binary;

namespace VolumeMesh.IO;

/// <summary>Checks the binary glTF container (glTF 2.0 §4.4: 12-byte header, then chunks of length, type and data) against
/// the file before SharpGLTF reads it: SharpGLTF allocates a chunk's declared length before it reads the chunk.</summary>
internal static class GlbContainer
{
    private const uint Magic = 0x46546C67;
    private const uint JsonChunk = 0x4E4F534A;

    /// <summary>Whether the file starts with the binary glTF magic.</summary>
    /// <param name="path">The file.</param>
    /// <returns>True for a GLB container.</returns>
    public static bool IsGlb(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        Span<byte> magic = stackalloc byte[4];
        return stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && BinaryPrimitives.ReadUInt32LittleEndian(magic) == Magic;
    }

    /// <summary>Reads the header and every chunk header; throws unless each declared length fits the file.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="InvalidDataException">A declared length disagrees with the file (the message names the file and the field).</exception>
    public static void Check(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        long fileLength = stream.Length;
        Span<byte> header = stackalloc byte[12];
        if (stream.ReadAtLeast(header, 12, throwOnEndOfStream: false) < 12)
        {
            throw new InvalidDataException($"{path}: the binary glTF header is cut off ({fileLength} bytes, 12 needed).");
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version != 2)
        {
            throw new InvalidDataException($"{path}: binary glTF version {version}; only 2 is read.");
        }

        if (length != fileLength)
        {
            throw new InvalidDataException($"{path}: the binary glTF header declares {length} bytes; the file has {fileLength}.");
        }

        long position = 12;
        for (int chunk = 0; position < fileLength; chunk++)
        {
            Span<byte> chunkHeader = header[..8];
            if (fileLength - position < 8 || stream.ReadAtLeast(chunkHeader, 8, throwOnEndOfStream: false) < 8)
            {
                throw new InvalidDataException($"{path}: chunk {chunk}'s header at byte {position} is cut off.");
            }

            uint chunkLength = BinaryPrimitives.ReadUInt32LittleEndian(chunkHeader);
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(chunkHeader[4..]);
            if (chunk == 0 && type != JsonChunk)
            {
                throw new InvalidDataException($"{path}: the first chunk is not JSON.");
            }

            position += 8;
            if (chunkLength > fileLength - position)
            {
                throw new InvalidDataException($"{path}: chunk {chunk} at byte {position - 8} declares {chunkLength} bytes; {fileLength - position} remain.");
            }

            position += chunkLength;
            stream.Position = position;
        }

        if (position == 12)
        {
            throw new InvalidDataException($"{path}: the binary glTF file has no JSON chunk.");
        }
    }
}
