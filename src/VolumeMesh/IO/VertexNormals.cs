using System.Numerics;
using VolumeMesh.Meshing;

namespace VolumeMesh.IO;

/// <summary>Per-vertex unit normals for the formats that carry them (glTF, OBJ).</summary>
internal static class VertexNormals
{
    /// <summary>Area-weighted vertex normals (sum of the unnormalised triangle normals, then normalised).</summary>
    /// <param name="mesh">The mesh.</param>
    /// <param name="destination">One normal per vertex. A vertex with no triangle of non-zero area gets +z, so every
    /// normal is unit length (the glTF specification requires it).</param>
    public static void Compute(Mesh mesh, Span<Vector3> destination)
    {
        if (destination.Length != mesh.VertexCount)
        {
            throw new ArgumentException($"The destination holds {destination.Length} normals, not {mesh.VertexCount}.", nameof(destination));
        }

        destination.Clear();
        Vector3[] v = mesh.Vertices;
        int[] idx = mesh.Indices;
        for (int i = 0; i < idx.Length; i += 3)
        {
            int a = idx[i], b = idx[i + 1], c = idx[i + 2];
            Vector3 n = Vector3.Cross(v[b] - v[a], v[c] - v[a]);
            destination[a] += n;
            destination[b] += n;
            destination[c] += n;
        }

        for (int i = 0; i < destination.Length; i++)
        {
            Vector3 n = destination[i];
            float length = n.Length();
            destination[i] = length > 0 && float.IsFinite(length) ? n / length : Vector3.UnitZ;
        }
    }
}
