using System.Numerics;
using VolumeMesh.Meshing;
using VolumeMesh.Processing;

namespace VolumeMesh.Tests.Processing;

/// <summary>
/// The vertex adjacency built on the triangle fans against a brute-force oracle over undirected edges: distinct neighbours
/// in ascending order, and a vertex on the boundary when one of its edges is used by other than two triangles or a
/// triangle repeats it (degenerate triangles, non-manifold edges, isolated vertices included).
/// </summary>
public sealed class VertexAdjacencyTests
{
    [Theory]
    [InlineData(1, 6, 10)]
    [InlineData(2, 12, 40)]
    [InlineData(3, 50, 60)]
    [InlineData(4, 200, 900)]
    public void EqualsTheEdgeOracleOnRandomIndexSoups(int seed, int vertexCount, int triangleCount)
    {
        // Few vertices and many triangles: repeated corners, shared and non-manifold edges, unused vertices.
        var random = new Random(seed);
        var indices = new int[3 * triangleCount];
        for (int i = 0; i < indices.Length; i++)
        {
            indices[i] = random.Next(vertexCount);
        }

        AssertEqualsOracle(new Mesh(new Vector3[vertexCount], indices));
    }

    [Fact]
    public void EqualsTheEdgeOracleOnAClosedSurfaceAndOnItsCutOpenHalf()
    {
        Mesh sphere = TestMeshes.Icosphere(5, 3);
        VertexAdjacency closed = AssertEqualsOracle(sphere);
        Assert.DoesNotContain(true, closed.Boundary);
        VertexAdjacency open = AssertEqualsOracle(TestMeshes.CutAbove(sphere, 0));
        Assert.Contains(true, open.Boundary);
    }

    private static VertexAdjacency AssertEqualsOracle(Mesh mesh)
    {
        int n = mesh.VertexCount;
        var uses = new Dictionary<(int, int), int>();
        var selfEdge = new bool[n];
        for (int t = 0; t < mesh.TriangleCount; t++)
        {
            for (int e = 0; e < 3; e++)
            {
                int a = mesh.Indices[(3 * t) + e], b = mesh.Indices[(3 * t) + ((e + 1) % 3)];
                if (a == b)
                {
                    selfEdge[a] = true;
                    continue;
                }

                var key = (Math.Min(a, b), Math.Max(a, b));
                uses[key] = uses.GetValueOrDefault(key) + 1;
            }
        }

        var neighbours = new SortedSet<int>[n];
        var boundary = (bool[])selfEdge.Clone();
        for (int v = 0; v < n; v++)
        {
            neighbours[v] = [];
        }

        foreach (((int a, int b), int count) in uses)
        {
            neighbours[a].Add(b);
            neighbours[b].Add(a);
            if (count != 2)
            {
                boundary[a] = true;
                boundary[b] = true;
            }
        }

        VertexAdjacency adjacency = VertexAdjacency.Build(mesh);
        Assert.Equal(n + 1, adjacency.Start.Length);
        for (int v = 0; v < n; v++)
        {
            Assert.Equal(neighbours[v], adjacency.Neighbours[adjacency.Start[v]..adjacency.Start[v + 1]]);
        }

        Assert.Equal(boundary, adjacency.Boundary);
        return adjacency;
    }
}
