using System.Numerics;
using VolumeMesh.Meshing;
using VolumeMesh.Tests.Processing;

namespace VolumeMesh.Tests.Meshing;

/// <summary>
/// The report's counts against a slow, independent reference (sorted corner triples for duplicates, a dictionary of edges
/// and a breadth-first walk for shells, sets for each shell's vertices and edges): on closed shapes, shapes that touch at a
/// vertex, and triangle soups full of duplicates, permuted copies and unreferenced vertices.
/// </summary>
public sealed class MeshReportOracleTests
{
    [Fact]
    public void ShellsThatTouchAtAVertexCountItInEach()
    {
        Mesh a = TestMeshes.Icosphere(10, 2);
        Mesh b = TestMeshes.Icosphere(10, 2, new Vector3(20, 0, 0));

        // Weld b's leftmost vertex onto a's rightmost: the spheres touch at one vertex, two shells, each Euler characteristic 2.
        Mesh joined = TestMeshes.Concat(a, b);
        int right = ArgMax(a.Vertices, p => p.X), left = a.VertexCount + ArgMax(b.Vertices, p => -p.X);
        int[] indices = joined.Indices.Select(i => i == left ? right : i).ToArray();
        var welded = new Mesh(joined.Vertices, indices);

        MeshReport report = MeshReport.Compute(welded);
        Assert.Equal(2, report.Shells);
        Assert.Equal([2, 2], report.ShellEulerCharacteristics);
        Assert.Equal(1, report.UnreferencedVertices);
        AssertMatchesReference(welded, report);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void SoupsWithDuplicatesMatchTheReference(int seed)
    {
        var random = new Random(seed);
        var vertices = new Vector3[40];
        for (int i = 0; i < vertices.Length; i++)
        {
            vertices[i] = new Vector3(random.Next(100), random.Next(100), random.Next(100));
        }

        // Distinct corners drawn from 30 of the 40 vertices (10 stay unreferenced, most likely), then copies of some
        // triangles with their corners rotated or reversed.
        var indices = new List<int>();
        for (int t = 0; t < 300; t++)
        {
            int x = random.Next(30), y = random.Next(30), z = random.Next(30);
            if (x == y || y == z || x == z)
            {
                continue;
            }

            indices.AddRange([x, y, z]);
            if (random.Next(4) == 0)
            {
                indices.AddRange(random.Next(2) == 0 ? [y, z, x] : [z, y, x]);
            }
        }

        var soup = new Mesh(vertices, indices.ToArray());
        MeshReport report = MeshReport.Compute(soup);
        Assert.True(report.DuplicateTriangles > 10, $"{report.DuplicateTriangles} duplicates: the soup should hold many");
        AssertMatchesReference(soup, report);
    }

    [Fact]
    public void DegenerateTrianglesAreCountedAsDuplicatesOnce()
    {
        // A triangle with a corner twice sits twice in that corner's fan (three times with all three equal).
        var vertices = new Vector3[] { new(0, 0, 0), new(1, 0, 0), new(0, 1, 0), new(0, 0, 1), new(1, 1, 1) };
        int[] indices = [0, 0, 1, 0, 1, 0, 2, 2, 2, 2, 2, 2, 3, 4, 3, 0, 1, 2, 2, 1, 0];
        var soup = new Mesh(vertices, indices);
        Assert.Equal(3, ReferenceDuplicates(soup));
        Assert.Equal(3, MeshReport.Compute(soup).DuplicateTriangles);
    }

    [Fact]
    public void ClosedShapesMatchTheReference()
    {
        Mesh shapes = TestMeshes.Concat(TestMeshes.Torus(20, 6, 40, 16), TestMeshes.VoxelSphere(8, 1, new Vector3(60, 0, 0)));
        MeshReport report = MeshReport.Compute(shapes);
        Assert.Equal([0, 2], report.ShellEulerCharacteristics);
        AssertMatchesReference(shapes, report);
    }

    private static void AssertMatchesReference(Mesh mesh, MeshReport report)
    {
        int[] idx = mesh.Indices;
        int n = mesh.TriangleCount;

        Assert.Equal(ReferenceDuplicates(mesh), report.DuplicateTriangles);

        // Shells: triangles joined through shared edges, walked breadth first, numbered by their first triangle.
        var byEdge = new Dictionary<(int, int), List<int>>();
        for (int t = 0; t < n; t++)
        {
            for (int e = 0; e < 3; e++)
            {
                int p = idx[(3 * t) + e], q = idx[(3 * t) + ((e + 1) % 3)];
                (int, int) key = (Math.Min(p, q), Math.Max(p, q));
                if (!byEdge.TryGetValue(key, out List<int>? list))
                {
                    byEdge[key] = list = [];
                }

                list.Add(t);
            }
        }

        var shellOf = Enumerable.Repeat(-1, n).ToArray();
        var euler = new List<int>();
        for (int start = 0; start < n; start++)
        {
            if (shellOf[start] >= 0)
            {
                continue;
            }

            int shell = euler.Count;
            var queue = new Queue<int>([start]);
            shellOf[start] = shell;
            var shellVertices = new HashSet<int>();
            var shellEdges = new HashSet<(int, int)>();
            int faces = 0;
            while (queue.Count > 0)
            {
                int t = queue.Dequeue();
                faces++;
                for (int e = 0; e < 3; e++)
                {
                    int p = idx[(3 * t) + e], q = idx[(3 * t) + ((e + 1) % 3)];
                    shellVertices.Add(p);
                    shellEdges.Add((Math.Min(p, q), Math.Max(p, q)));
                    foreach (int u in byEdge[(Math.Min(p, q), Math.Max(p, q))])
                    {
                        if (shellOf[u] < 0)
                        {
                            shellOf[u] = shell;
                            queue.Enqueue(u);
                        }
                    }
                }
            }

            euler.Add(shellVertices.Count - shellEdges.Count + faces);
        }

        Assert.Equal(euler.Count, report.Shells);
        Assert.Equal(euler, report.ShellEulerCharacteristics);
        Assert.Equal(byEdge.Count, report.Edges);
        Assert.Equal(mesh.VertexCount - idx.Distinct().Count(), report.UnreferencedVertices);
    }

    /// <summary>Duplicates the slow way: sorted corner triples, each equal to the one before.</summary>
    private static int ReferenceDuplicates(Mesh mesh)
    {
        int[] idx = mesh.Indices;
        var triples = new List<(int, int, int)>();
        for (int t = 0; t < mesh.TriangleCount; t++)
        {
            int[] c = [idx[3 * t], idx[(3 * t) + 1], idx[(3 * t) + 2]];
            Array.Sort(c);
            triples.Add((c[0], c[1], c[2]));
        }

        triples.Sort();
        return Enumerable.Range(1, Math.Max(0, triples.Count - 1)).Count(i => triples[i] == triples[i - 1]);
    }

    private static int ArgMax(Vector3[] points, Func<Vector3, float> key)
    {
        int best = 0;
        for (int i = 1; i < points.Length; i++)
        {
            best = key(points[i]) > key(points[best]) ? i : best;
        }

        return best;
    }
}
