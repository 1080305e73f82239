using VolumeMesh.Meshing;
using VolumeMesh.Processing;
using Xunit;

namespace VolumeMesh.Tests.Processing;

/// <summary>
/// The decimator's order-keeping renumbering (<see cref="Renumbering"/>), against a plain serial reference: new numbers
/// are ranks among the live items, and moved arrays hold exactly the live items' entries in order, renamed where asked.
/// </summary>
public sealed class RenumberingTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void FansFollowTheirVerticesAndTriangles(int threads)
    {
        // A sphere's fans with every third triangle removed (as collapses remove them: from its corners' fans, the last
        // reference taking its place), and the vertices left without a triangle dropped.
        Mesh mesh = TestMeshes.VoxelSphere(12, 1);
        int[] tri = (int[])mesh.Indices.Clone();
        var fans = new TriangleFans(tri, mesh.VertexCount, growable: true);
        int triangleCount = fans.TriangleCount, vertexCount = fans.VertexCount;
        for (int t = 0; t < triangleCount; t += 3)
        {
            fans.Dead[t] = true;
            for (int k = 0; k < 3; k++)
            {
                fans.Remove(tri[(3 * t) + k], t);
            }
        }

        int[][] before = new int[vertexCount][];
        for (int v = 0; v < vertexCount; v++)
        {
            before[v] = fans.Fan(v).ToArray();
        }

        int[] corners = (int[])tri.Clone();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
        int[] count = fans.Count;
        bool[] dead = fans.Dead;
        var vertices = new Renumbering(vertexCount, v => count[v] > 0, parallel);
        var triangles = new Renumbering(triangleCount, t => !dead[t], parallel);
        fans.Renumber(vertices, triangles, parallel);
        triangles.Apply(tri, 3, vertices);

        Assert.Equal(vertices.LiveCount, fans.VertexCount);
        Assert.Equal(triangles.LiveCount, fans.TriangleCount);
        Assert.True(vertices.LiveCount < vertexCount && triangles.LiveCount < triangleCount);
        for (int t = 0; t < triangleCount; t++)
        {
            // Live triangles keep their corners, renamed, and are live at their new place; the stale rest reads as dead.
            if (t < triangles.LiveCount)
            {
                Assert.False(fans.Dead[t]);
            }
            else
            {
                Assert.True(fans.Dead[t]);
            }

            int moved = triangles[t];
            if (moved >= 0)
            {
                for (int k = 0; k < 3; k++)
                {
                    Assert.Equal(vertices[corners[(3 * t) + k]], tri[(3 * moved) + k]);
                }
            }
        }

        for (int v = 0; v < vertexCount; v++)
        {
            // Each live vertex's fan is its old fan, in its order, with the triangles' new numbers.
            int w = vertices[v];
            if (w >= 0)
            {
                Assert.Equal(Array.ConvertAll(before[v], t => triangles[t]), fans.Fan(w).ToArray());
            }
        }
    }

    [Theory]
    [InlineData(1, 0.5, 1)]
    [InlineData(100, 0.0, 1)]
    [InlineData(100, 1.0, 1)]
    [InlineData(70_001, 0.3, 1)]
    [InlineData(70_001, 0.9, 2)]
    [InlineData(200_000, 0.5, 8)]
    public void MovesTheLiveEntriesInTheirOrder(int count, double liveShare, int threads)
    {
        var random = new Random(count);
        bool[] live = new bool[count];
        for (int i = 0; i < count; i++)
        {
            live[i] = random.NextDouble() < liveShare;
        }

        // A stretch of 40,000 dead items, longer than a chunk, and a live last item.
        for (int i = count / 4; i < Math.Min(count, (count / 4) + 40_000); i++)
        {
            live[i] = false;
        }

        live[count - 1] = true;

        var renumbering = new Renumbering(count, i => live[i], new ParallelOptions { MaxDegreeOfParallelism = threads });

        // The reference: ranks among the live items.
        int[] expectedMap = new int[count];
        int rank = 0;
        for (int i = 0; i < count; i++)
        {
            expectedMap[i] = live[i] ? rank++ : -1;
        }

        Assert.Equal(rank, renumbering.LiveCount);
        Assert.Equal(expectedMap, renumbering.Map);
        Assert.Equal(-1, renumbering[-1]);

        // Three entries per item, each naming an item (or -1): moved, and renamed by the same renumbering.
        int[] triples = new int[3 * count];
        for (int i = 0; i < triples.Length; i++)
        {
            int named = random.Next(-1, count);
            triples[i] = named >= 0 && !live[named] ? -1 : named;
        }

        int[] expectedTriples = new int[3 * rank];
        for (int i = 0, next = 0; i < count; i++)
        {
            if (live[i])
            {
                for (int k = 0; k < 3; k++)
                {
                    int named = triples[(3 * i) + k];
                    expectedTriples[(3 * next) + k] = named < 0 ? -1 : expectedMap[named];
                }

                next++;
            }
        }

        double[] values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = i + 0.5;
        }

        renumbering.Apply(triples, 3, renumbering);
        renumbering.Apply(values);
        Assert.Equal(expectedTriples, triples[..(3 * rank)]);
        for (int i = 0; i < count; i++)
        {
            if (live[i])
            {
                Assert.Equal(i + 0.5, values[expectedMap[i]]);
            }
        }
    }
}
