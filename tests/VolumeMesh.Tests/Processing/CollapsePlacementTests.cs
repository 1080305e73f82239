using VolumeMesh.Geometry;
using VolumeMesh.Processing;

namespace VolumeMesh.Tests.Processing;

/// <summary>
/// The batched edge costing (<see cref="CollapsePlacement.EdgeCosts"/>, four edges per vector where the processor has
/// AVX) against its oracle, the one-edge costing (<see cref="CollapsePlacement.EdgeCost"/>): the same float, bit for bit,
/// on quadrics of every kind the decimator meets (several planes, one plane, parallel planes, none) and on edges that
/// leave the common case (locked or open ends, singular or implausible solves).
/// </summary>
public sealed class CollapsePlacementTests
{
    [Fact]
    public void BatchedCostsEqualOneByOneCostsBitForBit()
    {
        const int vertices = 400;
        var random = new Random(20261201);
        var pos = new Vector3D[vertices];
        var q = new double[Quadric.Size * vertices];
        var flags = new byte[vertices];
        for (int v = 0; v < vertices; v++)
        {
            pos[v] = new Vector3D(Coordinate(random), Coordinate(random), Coordinate(random));
            Span<double> qv = q.AsSpan(Quadric.Size * v, Quadric.Size);
            int kind = v % 5;
            int planes = kind switch { 0 => 0, 1 => 1, 2 => 2, _ => 3 + random.Next(5) };
            Vector3D shared = Unit(random);
            for (int i = 0; i < planes; i++)
            {
                // Kind 2: two parallel planes (a line of minima in no direction: singular but for the pull to the midpoint).
                Vector3D n = kind == 2 ? shared : Unit(random);
                double area = 0.01 + random.NextDouble();
                Quadric.AddPlane(qv, n, -Vector3D.Dot(n, pos[v] + (0.2 * random.NextDouble() * n)), area);
                qv[10] += area;
            }

            if (v % 17 == 3)
            {
                flags[v] = VertexFlags.Locked;
            }
            else if (v % 13 == 5)
            {
                flags[v] = VertexFlags.Boundary;
            }
        }

        foreach (bool preserveVolume in new[] { true, false })
        {
            var placement = new CollapsePlacement(pos, q, flags, new DecimationOptions { PreserveVolume = preserveVolume });
            int compared = 0, fallbacks = 0;
            for (int trial = 0; trial < 600; trial++)
            {
                // Runs of 0..12 edges, as a run of vertices gives them: a few sharing their first end, the rest not.
                int length = random.Next(13);
                var a = new int[length];
                var b = new int[length];
                for (int k = 0; k < length; k++)
                {
                    a[k] = k > 0 && random.Next(2) == 0 ? a[k - 1] : random.Next(vertices);
                    b[k] = random.Next(vertices);
                    if (b[k] == a[k])
                    {
                        b[k] = (b[k] + 1) % vertices;
                    }

                    // Now and then an edge far longer than the solve may move (the offset is then implausible), or a
                    // pair of coincident ends.
                    if (random.Next(10) == 0)
                    {
                        pos[b[k]] = pos[a[k]];
                    }
                }

                var costs = new float[length];
                placement.EdgeCosts(a, b, costs);
                for (int k = 0; k < length; k++)
                {
                    float expected = (float)placement.EdgeCost(a[k], b[k]);
                    Assert.True(
                        BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(costs[k]),
                        $"edge ({a[k]}, {b[k]}): batched {costs[k]:R}, one by one {expected:R}");
                    compared++;
                    if (expected == 0 || pos[a[k]] == pos[b[k]])
                    {
                        fallbacks++;
                    }
                }
            }

            Assert.True(compared > 3000, $"only {compared} edges compared");
            Assert.True(fallbacks > 100, $"only {fallbacks} edges of the degenerate kinds");
        }
    }

    private static double Coordinate(Random random) => 200 * (random.NextDouble() - 0.5);

    private static Vector3D Unit(Random random)
    {
        var d = new Vector3D(random.NextDouble() - 0.5, random.NextDouble() - 0.5, random.NextDouble() - 0.5);
        return d.Length > 1e-3 ? d.Normalized() : new Vector3D(0, 0, 1);
    }
}
