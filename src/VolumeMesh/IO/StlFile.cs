using System.Numerics;
using VolumeMesh.Meshing;

namespace VolumeMesh.IO;

/// <summary>An STL file as read: the welded mesh in the file's coordinates, its encoding, header and declared coordinate system.</summary>
public sealed record StlFile
{
    /// <summary>The indexed mesh, positions exactly as stored in the file.</summary>
    public required Mesh Mesh { get; init; }

    /// <summary>The encoding found.</summary>
    public required StlFormat Format { get; init; }

    /// <summary>The header: the 80 header bytes of a binary file (trailing NULs and spaces removed), or the text after <c>solid</c>.</summary>
    public required string Header { get; init; }

    /// <summary>The coordinate system the header declares with <c>SPACE=LPS</c> or <c>SPACE=RAS</c>; null when it declares none.</summary>
    public CoordinateSpace? Space { get; init; }

    /// <summary>The mesh in LPS: negates x and y when the header declares RAS, otherwise returns <see cref="Mesh"/> itself.</summary>
    /// <returns>The mesh in LPS millimetres (a file without a <c>SPACE</c> tag is taken as LPS, as 3D Slicer does).</returns>
    public Mesh ToLps()
    {
        if (Space != CoordinateSpace.Ras)
        {
            return Mesh;
        }

        var vertices = new Vector3[Mesh.VertexCount];
        for (int i = 0; i < vertices.Length; i++)
        {
            Vector3 p = Mesh.Vertices[i];
            vertices[i] = new Vector3(-p.X, -p.Y, p.Z);
        }

        return new Mesh(vertices, Mesh.Indices);
    }
}
