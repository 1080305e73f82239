using System.Numerics;
using VolumeMesh.Meshing;
using VolumeMesh.Processing;

namespace VolumeMesh.Tests.Processing;

public sealed class MeshCleanupTests
{
    [Fact]
    public void ExactWeldOfTriangleSoupRestoresTheClosedMesh()
    {
        Mesh indexed = TestMeshes.Icosphere(10, 2);
        Mesh soup = Soup(indexed);
        Assert.False(MeshReport.Compute(soup).IsClosed);
        Mesh welded = MeshCleanup.WeldVertices(soup);
        MeshReport report = MeshReport.Compute(welded);
        Assert.Equal(indexed.VertexCount, welded.VertexCount);
        Assert.True(report.IsWatertight, report.ToString());
    }

    [Fact]
    public void ToleranceWeldMergesJitteredCopiesOnly()
    {
        Mesh indexed = TestMeshes.Icosphere(10, 2); // shortest edge well above 1 mm
        var random = new Random(11);
        Mesh soup = Soup(indexed);
        var jittered = soup.Vertices.Select(v => v + new Vector3(Jitter(random), Jitter(random), Jitter(random))).ToArray();
        Mesh exact = MeshCleanup.WeldVertices(new Mesh(jittered, soup.Indices));
        Assert.Equal(soup.VertexCount, exact.VertexCount); // nothing identical: nothing merged
        Mesh welded = MeshCleanup.WeldVertices(new Mesh(jittered, soup.Indices), 0.01);
        Assert.Equal(indexed.VertexCount, welded.VertexCount);
        Assert.True(MeshReport.Compute(welded).IsClosed);

        static float Jitter(Random r) => (float)(((2 * r.NextDouble()) - 1) * 0.001);
    }

    [Fact]
    public void CleanRemovesDegenerateDuplicateAndSmallShells()
    {
        Mesh big = TestMeshes.Icosphere(10, 2);
        Mesh small = TestMeshes.Icosphere(1, 1, new Vector3(30, 0, 0));
        Mesh both = TestMeshes.Concat(big, small);

        // Add a duplicate of triangle 0 (reversed order), a triangle with a repeated corner and a zero-area one.
        var (a, b, c) = both.Triangle(0);
        var extra = new List<int>(both.Indices) { b, a, c, a, a, b };
        var vertices = both.Vertices.ToList();
        vertices.Add(new Vector3(50, 0, 0));
        vertices.Add(new Vector3(51, 0, 0));
        vertices.Add(new Vector3(52, 0, 0)); // collinear
        extra.AddRange([vertices.Count - 3, vertices.Count - 2, vertices.Count - 1]);
        Mesh dirty = new(vertices.ToArray(), extra.ToArray());

        MeshCleanupResult result = MeshCleanup.Clean(dirty, new MeshCleanupOptions { MinShellVolumeMm3 = 100 });
        MeshReport report = MeshReport.Compute(result.Mesh);
        Assert.Equal(2, result.DegenerateTriangles);
        Assert.Equal(1, result.DuplicateTriangles);
        Assert.Equal(1, result.RemovedShells);
        Assert.Equal(small.TriangleCount, result.RemovedShellTriangles);
        Assert.True(report.IsWatertight, report.ToString());
        Assert.Equal(1, report.Shells);
        Assert.Equal(big.TriangleCount, report.Triangles);
        Assert.Equal(big.VertexCount, report.Vertices);
        Assert.Equal(MeshReport.Compute(big).VolumeMm3, report.VolumeMm3, 6);

        // By triangle count instead of volume.
        MeshCleanupResult byCount = MeshCleanup.Clean(both, new MeshCleanupOptions { MinShellTriangles = small.TriangleCount + 1 });
        Assert.Equal(1, byCount.RemovedShells);
        Assert.Equal(big.TriangleCount, byCount.Mesh.TriangleCount);
    }

    [Fact]
    public void VertexNormalsOfASpherePointOutwards()
    {
        Mesh sphere = TestMeshes.Icosphere(10, 3);
        Vector3[] normals = MeshCleanup.VertexNormals(sphere);
        for (int i = 0; i < sphere.VertexCount; i++)
        {
            Assert.Equal(1f, normals[i].Length(), 4);
            Assert.True(Vector3.Dot(normals[i], Vector3.Normalize(sphere.Vertices[i])) > 0.999f);
        }
    }

    [Fact]
    public void VertexNormalIsAreaWeighted()
    {
        // Vertex 0 has a large triangle in the xy plane (normal +z) and a small one in the xz plane (normal −y).
        var v = new[] { Vector3.Zero, new Vector3(4, 0, 0), new Vector3(0, 4, 0), new Vector3(1, 0, 0), new Vector3(0, 0, 1) };
        var m = new Mesh(v, [0, 1, 2, 0, 3, 4]);
        Vector3 n = MeshCleanup.VertexNormals(m)[0];
        Vector3 expected = Vector3.Normalize(new Vector3(0, -1 * 0.5f, 8));
        Assert.True(Vector3.Distance(expected, n) < 1e-6f, n.ToString());
    }

    private static Mesh Soup(Mesh mesh)
    {
        var vertices = mesh.Indices.Select(i => mesh.Vertices[i]).ToArray();
        return new Mesh(vertices, Enumerable.Range(0, vertices.Length).ToArray());
    }
}
