using System.Runtime.InteropServices;

namespace VolumeMesh.Native;

/// <summary>
/// A mesh handed to the native caller (C: <c>vm_mesh</c>): buffers allocated by the library and released by
/// <see cref="Exports.FreeMesh"/>; triangles counter-clockwise seen from outside, positions in patient LPS mm.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct NativeMesh
{
    /// <summary>x, y, z of every vertex (<c>3·VertexCount</c> floats).</summary>
    public float* Positions;

    /// <summary>Vertex indices of every triangle (<c>3·TriangleCount</c> values).</summary>
    public int* Indices;

    /// <summary>The vertex count.</summary>
    public int VertexCount;

    /// <summary>The triangle count.</summary>
    public int TriangleCount;
}
