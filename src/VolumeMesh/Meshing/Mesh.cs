using System.Diagnostics;
using System.Numerics;

namespace VolumeMesh.Meshing;

/// <summary>An indexed triangle mesh: float32 positions in patient millimetres (LPS) and int32 triangle corner indices.</summary>
/// <remarks>
/// Triangles are counter-clockwise seen from outside, so the signed volume of a closed mesh is positive.
/// The arrays are used as given, not copied; <see cref="MeshReport"/> states every invariant.
/// </remarks>
public sealed class Mesh
{
    /// <summary>Creates a mesh.</summary>
    /// <param name="vertices">Vertex positions in mm.</param>
    /// <param name="indices">Three vertex indices per triangle.</param>
    /// <exception cref="ArgumentException">The index count is not a multiple of three or an index is out of range.</exception>
    public Mesh(Vector3[] vertices, int[] indices)
    {
        ArgumentNullException.ThrowIfNull(vertices);
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.Length % 3 != 0)
        {
            throw new ArgumentException($"The index count {indices.Length} is not a multiple of 3.", nameof(indices));
        }

        uint count = (uint)vertices.Length;
        for (int i = 0; i < indices.Length; i++)
        {
            if ((uint)indices[i] >= count)
            {
                throw new ArgumentException(
                    $"Index {indices[i]} at position {i} is outside the {vertices.Length} vertices.", nameof(indices));
            }
        }

        Vertices = vertices;
        Indices = indices;
    }

    /// <summary>Wraps arrays that a producer in this library built valid by construction (no index check).</summary>
    /// <param name="vertices">Vertex positions in mm.</param>
    /// <param name="indices">Three vertex indices per triangle, each within <paramref name="vertices"/>.</param>
    /// <param name="trusted">Marks the unchecked overload.</param>
    internal Mesh(Vector3[] vertices, int[] indices, bool trusted)
    {
        Debug.Assert(trusted && indices.Length % 3 == 0, "Trusted meshes come in whole triangles.");
        Vertices = vertices;
        Indices = indices;
    }

    /// <summary>An empty mesh.</summary>
    public static Mesh Empty { get; } = new([], []);

    /// <summary>Vertex positions in patient millimetres.</summary>
    public Vector3[] Vertices { get; }

    /// <summary>Triangle corners: three vertex indices per triangle, counter-clockwise seen from outside.</summary>
    public int[] Indices { get; }

    /// <summary>Number of vertices.</summary>
    public int VertexCount => Vertices.Length;

    /// <summary>Number of triangles.</summary>
    public int TriangleCount => Indices.Length / 3;

    /// <summary>The three corner indices of triangle t.</summary>
    /// <param name="t">Triangle index.</param>
    /// <returns>The corners in winding order.</returns>
    public (int A, int B, int C) Triangle(int t) => (Indices[3 * t], Indices[(3 * t) + 1], Indices[(3 * t) + 2]);

    /// <summary>The three corner indices of triangle t in ascending order: equal for every copy of a triangle, whatever its winding.</summary>
    /// <param name="t">Triangle index.</param>
    /// <returns>The corners, lowest first.</returns>
    internal (int Low, int Middle, int High) SortedCorners(int t) => Sorted(Indices[3 * t], Indices[(3 * t) + 1], Indices[(3 * t) + 2]);

    /// <summary>Three corner indices in ascending order.</summary>
    /// <param name="a">A corner.</param>
    /// <param name="b">Another.</param>
    /// <param name="c">The third.</param>
    /// <returns>The corners, lowest first.</returns>
    internal static (int Low, int Middle, int High) Sorted(int a, int b, int c)
    {
        if (a > b)
        {
            (a, b) = (b, a);
        }

        if (b > c)
        {
            (b, c) = (c, b);
        }

        if (a > b)
        {
            (a, b) = (b, a);
        }

        return (a, b, c);
    }
}
