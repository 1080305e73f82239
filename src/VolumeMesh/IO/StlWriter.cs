using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using VolumeMesh.Meshing;

namespace VolumeMesh.IO;

/// <summary>Writes a <see cref="Mesh"/> as STL, binary (default) or ASCII, in LPS (default) or RAS millimetres.</summary>
/// <remarks>
/// <para>The header names the coordinate system as 3D Slicer does: <c>SPACE=LPS</c> or <c>SPACE=RAS</c> (Slicer writes
/// "3D Slicer output. SPACE=RAS" and looks for the <c>SPACE=</c> tag when reading). Facet normals are computed per
/// triangle from its corners (right-hand rule on the counter-clockwise winding); a zero-area triangle gets a zero normal.</para>
/// <para>Files are written through <see cref="AtomicFile"/>, so a failure never leaves a half-written file.</para>
/// </remarks>
public static class StlWriter
{
    private const int TrianglesPerChunk = 4096;
    private const int BinaryTriangleSize = 50;

    /// <summary>The header text written for a coordinate system, e.g. <c>VolumeMesh output. SPACE=LPS</c>.</summary>
    /// <param name="space">The coordinate system.</param>
    /// <returns>The header text (ASCII, under 80 characters, not starting with <c>solid</c>).</returns>
    public static string HeaderText(CoordinateSpace space) => space == CoordinateSpace.Ras ? "VolumeMesh output. SPACE=RAS" : "VolumeMesh output. SPACE=LPS";

    /// <summary>Writes a mesh to a file.</summary>
    /// <param name="mesh">The mesh, in LPS millimetres.</param>
    /// <param name="path">The file to write (replaced if it exists).</param>
    /// <param name="options">Options; <see cref="StlWriteOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the write; the target is then left as it was.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="OperationCanceledException">The write was cancelled.</exception>
    public static void Write(Mesh mesh, string path, StlWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        AtomicFile.Write(path, stream => Write(mesh, stream, options, cancellationToken));
    }

    /// <summary>Writes a mesh to a stream (left open).</summary>
    /// <param name="mesh">The mesh, in LPS millimetres.</param>
    /// <param name="stream">The destination.</param>
    /// <param name="options">Options; <see cref="StlWriteOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="OperationCanceledException">The write was cancelled.</exception>
    public static void Write(Mesh mesh, Stream stream, StlWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        ArgumentNullException.ThrowIfNull(stream);
        options ??= StlWriteOptions.Default;
        if (options.Format == StlFormat.Ascii)
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
        Span<byte> header = stackalloc byte[84];
        header.Clear();
        Encoding.ASCII.GetBytes(HeaderText(space), header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[80..], (uint)mesh.TriangleCount);
        stream.Write(header);

        byte[] buffer = ArrayPool<byte>.Shared.Rent(TrianglesPerChunk * BinaryTriangleSize);
        try
        {
            Vector3[] v = mesh.Vertices;
            int[] idx = mesh.Indices;
            int triangles = mesh.TriangleCount;
            for (int start = 0; start < triangles; start += TrianglesPerChunk)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int count = Math.Min(TrianglesPerChunk, triangles - start);
                Span<byte> chunk = buffer.AsSpan(0, count * BinaryTriangleSize);
                for (int t = 0; t < count; t++)
                {
                    int tri = start + t;
                    Vector3 a = Convert(v[idx[3 * tri]], space);
                    Vector3 b = Convert(v[idx[(3 * tri) + 1]], space);
                    Vector3 c = Convert(v[idx[(3 * tri) + 2]], space);
                    Span<byte> record = chunk.Slice(t * BinaryTriangleSize, BinaryTriangleSize);
                    WriteVector(record, FacetNormal(a, b, c));
                    WriteVector(record[12..], a);
                    WriteVector(record[24..], b);
                    WriteVector(record[36..], c);
                    BinaryPrimitives.WriteUInt16LittleEndian(record[48..], 0);
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
        string name = HeaderText(space);
        writer.Write("solid ");
        writer.WriteLine(name);
        Span<char> number = stackalloc char[32];
        Vector3[] v = mesh.Vertices;
        int[] idx = mesh.Indices;
        for (int tri = 0; tri < mesh.TriangleCount; tri++)
        {
            if ((tri & 4095) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            Vector3 a = Convert(v[idx[3 * tri]], space);
            Vector3 b = Convert(v[idx[(3 * tri) + 1]], space);
            Vector3 c = Convert(v[idx[(3 * tri) + 2]], space);
            writer.Write("facet normal ");
            WriteTriple(writer, FacetNormal(a, b, c), number);
            writer.Write("\n outer loop\n  vertex ");
            WriteTriple(writer, a, number);
            writer.Write("\n  vertex ");
            WriteTriple(writer, b, number);
            writer.Write("\n  vertex ");
            WriteTriple(writer, c, number);
            writer.Write("\n endloop\nendfacet\n");
        }

        writer.Write("endsolid ");
        writer.WriteLine(name);
    }

    private static void WriteTriple(StreamWriter writer, Vector3 p, Span<char> number)
    {
        WriteNumber(writer, p.X, number);
        writer.Write(' ');
        WriteNumber(writer, p.Y, number);
        writer.Write(' ');
        WriteNumber(writer, p.Z, number);
    }

    private static void WriteNumber(StreamWriter writer, float value, Span<char> number)
    {
        // "R" gives the shortest text that parses back to the same float, so ASCII round trips are exact too.
        value.TryFormat(number, out int written, "R", CultureInfo.InvariantCulture);
        writer.Write(number[..written]);
    }

    private static Vector3 Convert(Vector3 p, CoordinateSpace space) => space == CoordinateSpace.Ras ? new Vector3(-p.X, -p.Y, p.Z) : p;

    private static void WriteVector(Span<byte> destination, Vector3 value)
    {
        BinaryPrimitives.WriteSingleLittleEndian(destination, value.X);
        BinaryPrimitives.WriteSingleLittleEndian(destination[4..], value.Y);
        BinaryPrimitives.WriteSingleLittleEndian(destination[8..], value.Z);
    }

    /// <summary>The unit normal of a triangle by the right-hand rule, computed in double precision; zero for a zero-area triangle.</summary>
    /// <param name="a">First corner.</param>
    /// <param name="b">Second corner.</param>
    /// <param name="c">Third corner.</param>
    /// <returns>The unit normal.</returns>
    internal static Vector3 FacetNormal(Vector3 a, Vector3 b, Vector3 c)
    {
        double ux = (double)b.X - a.X, uy = (double)b.Y - a.Y, uz = (double)b.Z - a.Z;
        double vx = (double)c.X - a.X, vy = (double)c.Y - a.Y, vz = (double)c.Z - a.Z;
        double nx = (uy * vz) - (uz * vy), ny = (uz * vx) - (ux * vz), nz = (ux * vy) - (uy * vx);
        double length = Math.Sqrt((nx * nx) + (ny * ny) + (nz * nz));
        return length > 0 && double.IsFinite(length) ? new Vector3((float)(nx / length), (float)(ny / length), (float)(nz / length)) : Vector3.Zero;
    }
}
