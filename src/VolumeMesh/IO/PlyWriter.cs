using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using VolumeMesh.Meshing;

namespace VolumeMesh.IO;

/// <summary>Writes a <see cref="Mesh"/> as PLY (Turk's polygon file format), binary little-endian (default) or ASCII.</summary>
/// <remarks>
/// <para>Elements: <c>vertex</c> with <c>float x y z</c> in millimetres, and <c>face</c> with <c>list uchar int
/// vertex_indices</c> (three per triangle, counter-clockwise from outside). Comments state the coordinate system
/// (<c>SPACE=LPS</c> or <c>SPACE=RAS</c>), the part's name and its colour; the geometry itself is the mesh's own
/// vertices and triangles, in order. ASCII numbers are invariant-culture, shortest round-trip text, so both encodings
/// read back to the same floats.</para>
/// <para>The file is written in chunks through <see cref="AtomicFile"/>: a failure never leaves a half-written file.</para>
/// </remarks>
public static class PlyWriter
{
    private const int ItemsPerChunk = 4096;

    /// <summary>Writes a part to a file.</summary>
    /// <param name="part">The part (name and colour go into comments).</param>
    /// <param name="path">The file (replaced if it exists).</param>
    /// <param name="options">Encoding and space; <see cref="MeshWriteOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the write; the target is then left as it was.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="OperationCanceledException">The write was cancelled.</exception>
    public static void Write(MeshPart part, string path, MeshWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(part);
        AtomicFile.Write(path, stream => Write(part, stream, options, cancellationToken));
    }

    /// <summary>Writes a part to a stream (left open).</summary>
    /// <param name="part">The part.</param>
    /// <param name="stream">The destination.</param>
    /// <param name="options">Encoding and space; <see cref="MeshWriteOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="OperationCanceledException">The write was cancelled.</exception>
    public static void Write(MeshPart part, Stream stream, MeshWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(part);
        ArgumentNullException.ThrowIfNull(stream);
        options ??= MeshWriteOptions.Default;
        Mesh mesh = part.Mesh;
        string header =
            "ply\n" +
            (options.Ascii ? "format ascii 1.0\n" : "format binary_little_endian 1.0\n") +
            $"comment VolumeMesh output. {MeshText.SpaceTag(options.Space)} units=mm\n" +
            $"comment part {OneLine(part.Name)}\n" +
            $"comment color {part.Color.ToHex()}\n" +
            $"element vertex {mesh.VertexCount.ToString(System.Globalization.CultureInfo.InvariantCulture)}\n" +
            "property float x\nproperty float y\nproperty float z\n" +
            $"element face {mesh.TriangleCount.ToString(System.Globalization.CultureInfo.InvariantCulture)}\n" +
            "property list uchar int vertex_indices\n" +
            "end_header\n";
        stream.Write(Encoding.UTF8.GetBytes(header));
        if (options.Ascii)
        {
            WriteAscii(mesh, stream, options.Space, cancellationToken);
        }
        else
        {
            WriteBinary(mesh, stream, options.Space, cancellationToken);
        }
    }

    private static void WriteBinary(Mesh mesh, Stream stream, CoordinateSpace space, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ItemsPerChunk * 13);
        try
        {
            Vector3[] v = mesh.Vertices;
            for (int start = 0; start < v.Length; start += ItemsPerChunk)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int count = Math.Min(ItemsPerChunk, v.Length - start);
                Span<byte> chunk = buffer.AsSpan(0, count * 12);
                for (int i = 0; i < count; i++)
                {
                    Vector3 p = MeshText.ToSpace(v[start + i], space);
                    Span<byte> record = chunk.Slice(i * 12, 12);
                    BinaryPrimitives.WriteSingleLittleEndian(record, p.X);
                    BinaryPrimitives.WriteSingleLittleEndian(record[4..], p.Y);
                    BinaryPrimitives.WriteSingleLittleEndian(record[8..], p.Z);
                }

                stream.Write(chunk);
            }

            int[] idx = mesh.Indices;
            int triangles = mesh.TriangleCount;
            for (int start = 0; start < triangles; start += ItemsPerChunk)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int count = Math.Min(ItemsPerChunk, triangles - start);
                Span<byte> chunk = buffer.AsSpan(0, count * 13);
                for (int t = 0; t < count; t++)
                {
                    int tri = 3 * (start + t);
                    Span<byte> record = chunk.Slice(t * 13, 13);
                    record[0] = 3;
                    BinaryPrimitives.WriteInt32LittleEndian(record[1..], idx[tri]);
                    BinaryPrimitives.WriteInt32LittleEndian(record[5..], idx[tri + 1]);
                    BinaryPrimitives.WriteInt32LittleEndian(record[9..], idx[tri + 2]);
                }

                stream.Write(chunk);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void WriteAscii(Mesh mesh, Stream stream, CoordinateSpace space, CancellationToken cancellationToken)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        Span<char> scratch = stackalloc char[MeshText.NumberChars];
        Vector3[] v = mesh.Vertices;
        for (int i = 0; i < v.Length; i++)
        {
            if ((i & 8191) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            MeshText.WriteTriple(writer, MeshText.ToSpace(v[i], space), scratch);
            writer.Write('\n');
        }

        int[] idx = mesh.Indices;
        for (int i = 0; i < idx.Length; i += 3)
        {
            if ((i & 8191) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            writer.Write("3 ");
            MeshText.Write(writer, idx[i], scratch);
            writer.Write(' ');
            MeshText.Write(writer, idx[i + 1], scratch);
            writer.Write(' ');
            MeshText.Write(writer, idx[i + 2], scratch);
            writer.Write('\n');
        }
    }

    /// <summary>A name on one header line: line breaks become spaces.</summary>
    internal static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
