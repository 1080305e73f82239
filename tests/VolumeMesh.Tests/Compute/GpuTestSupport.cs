using VolumeMesh.Compute;
using VolumeMesh.Meshing;

namespace VolumeMesh.Tests.Compute;

internal static class GpuTestSupport
{
    public static ComputeDevice IlgpuCpu => ComputeDevices.Get("ilgpu-cpu");

    /// <summary>Asserts the contract's equality: same vertex count, identical triangles in the same order, positions equal within float rounding.</summary>
    public static void AssertSameMesh(Mesh expected, Mesh actual, string what)
    {
        Assert.True(expected.VertexCount == actual.VertexCount, $"{what}: {actual.VertexCount} vertices, expected {expected.VertexCount}");
        Assert.True(expected.Indices.Length == actual.Indices.Length, $"{what}: {actual.TriangleCount} triangles, expected {expected.TriangleCount}");
        for (int i = 0; i < expected.Indices.Length; i++)
        {
            if (expected.Indices[i] != actual.Indices[i])
            {
                Assert.Fail($"{what}: index {i} (triangle {i / 3}) is {actual.Indices[i]}, expected {expected.Indices[i]}");
            }
        }

        for (int v = 0; v < expected.VertexCount; v++)
        {
            var e = expected.Vertices[v];
            var a = actual.Vertices[v];
            float tolerance = 1e-5f * (1 + Math.Max(Math.Abs(e.X), Math.Max(Math.Abs(e.Y), Math.Abs(e.Z))));
            if (Math.Abs(e.X - a.X) > tolerance || Math.Abs(e.Y - a.Y) > tolerance || Math.Abs(e.Z - a.Z) > tolerance)
            {
                Assert.Fail($"{what}: vertex {v} is {a}, expected {e}");
            }
        }
    }
}
