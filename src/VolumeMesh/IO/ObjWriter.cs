using System.Buffers;
using System.Numerics;
using System.Text;
using VolumeMesh.Meshing;

namespace VolumeMesh.IO;

/// <summary>Writes a <see cref="Mesh"/> as a Wavefront OBJ file, optionally with per-vertex normals.</summary>
/// <remarks>
/// <para>One object (<c>o NAME</c>), <c>v x y z</c> per vertex in millimetres, <c>vn</c> per vertex when
/// <see cref="MeshWriteOptions.ObjNormals"/> is set (area-weighted unit normals), and <c>f a b c</c> (or <c>f a//a …</c>)
/// per triangle with 1-based indices, counter-clockwise from outside. A comment states the coordinate system
/// (<c>SPACE=LPS</c> or <c>SPACE=RAS</c>) and one the part's colour. Numbers are invariant-culture, shortest round-trip text.</para>
/// <para>The file is streamed through <see cref="AtomicFile"/>: a failure never leaves a half-written file.</para>
/// </remarks>
public static class ObjWriter
{
    /// <summary>Writes a part to a file.</summary>
    /// <param name="part">The part (its name becomes the object name).</param>
    /// <param name="path">The file (replaced if it exists).</param>
    /// <param name="options">Space and normals; <see cref="MeshWriteOptions.Default"/> when null.</param>
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
    /// <param name="options">Space and normals; <see cref="MeshWriteOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="OperationCanceledException">The write was cancelled.</exception>
    public static void Write(MeshPart part, Stream stream, MeshWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(part);
        ArgumentNullException.ThrowIfNull(stream);
        options ??= MeshWriteOptions.Default;
        Mesh mesh = part.Mesh;
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        writer.Write("# VolumeMesh output. ");
        writer.Write(MeshText.SpaceTag(options.Space));
        writer.Write(" units=mm\n# color ");
        writer.Write(part.Color.ToHex());
        writer.Write("\no ");
        writer.Write(PlyWriter.OneLine(part.Name));
        writer.Write('\n');
        Span<char> scratch = stackalloc char[MeshText.NumberChars];
        Vector3[] v = mesh.Vertices;
        for (int i = 0; i < v.Length; i++)
        {
            if ((i & 8191) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            writer.Write("v ");
            MeshText.WriteTriple(writer, MeshText.ToSpace(v[i], options.Space), scratch);
            writer.Write('\n');
        }

        if (options.ObjNormals)
        {
            Vector3[] normals = ArrayPool<Vector3>.Shared.Rent(v.Length);
            try
            {
                VertexNormals.Compute(mesh, normals.AsSpan(0, v.Length));
                for (int i = 0; i < v.Length; i++)
                {
                    if ((i & 8191) == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    writer.Write("vn ");
                    MeshText.WriteTriple(writer, MeshText.ToSpace(normals[i], options.Space), scratch);
                    writer.Write('\n');
                }
            }
            finally
            {
                ArrayPool<Vector3>.Shared.Return(normals);
            }
        }

        int[] idx = mesh.Indices;
        for (int i = 0; i < idx.Length; i += 3)
        {
            if ((i & 8191) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            writer.Write('f');
            for (int c = 0; c < 3; c++)
            {
                writer.Write(' ');
                MeshText.Write(writer, idx[i + c] + 1, scratch);
                if (options.ObjNormals)
                {
                    writer.Write("//");
                    MeshText.Write(writer, idx[i + c] + 1, scratch);
                }
            }

            writer.Write('\n');
        }
    }
}
