using VolumeMesh.Geometry;
using VolumeMesh.Processing;

namespace VolumeMesh.Tests.Processing;

/// <summary>
/// The two-triangle cover test of the error bound (<see cref="PairCover"/>) against dense sampling with a
/// point-to-triangle distance written here: whenever it says a triangle is covered, every sampled point of it is within
/// the bound of the two triangles; it proves cases no single triangle covers; and it refuses a triangle whose corners
/// are each within the bound of one of the two while its middle is not.
/// </summary>
public sealed class PairCoverTests
{
    [Fact]
    public void EveryTriangleItCallsCoveredIsCoveredWhenSampled()
    {
        var random = new Random(2026);
        int proved = 0, trials = 4000;
        for (int trial = 0; trial < trials; trial++)
        {
            // Two triangles sharing the edge e0–e1, folded by a random angle, and a small triangle near the edge.
            var e0 = new Vector3D(0, 0, 0);
            var e1 = new Vector3D(1 + random.NextDouble(), 0, 0);
            double fold = (random.NextDouble() - 0.5) * 2.4;
            var oi = new Vector3D(0.3 + random.NextDouble(), -0.5 - random.NextDouble(), 0);
            double reach = 0.5 + random.NextDouble();
            var oj = new Vector3D(0.3 + random.NextDouble(), reach * Math.Cos(fold), reach * Math.Sin(fold));
            Vector3D[] cover = random.Next(2) == 0 ? [e0, e1, oi, e1, e0, oj] : [oi, e0, e1, oj, e1, e0];
            var centre = new Vector3D(0.3 + (0.6 * random.NextDouble()), 0.4 * (random.NextDouble() - 0.5), 0.3 * (random.NextDouble() - 0.5));
            Vector3D x = centre + RandomOffset(random, 0.4), y = centre + RandomOffset(random, 0.4), z = centre + RandomOffset(random, 0.4);
            double max = 0.05 + (0.3 * random.NextDouble());

            if (!PairCover.Covers(x, y, z, cover, 0, 1, max * max))
            {
                continue;
            }

            proved++;
            double worst = LargestSampledDistance(x, y, z, cover);
            Assert.True(worst <= max + 1e-9, $"trial {trial}: a point of the triangle is {worst} from the pair, bound {max}");
        }

        // The test means something only if the cover is proved often, across the folds.
        Assert.True(proved > trials / 10, $"only {proved} of {trials} triangles proved covered");
    }

    [Fact]
    public void ProvesATriangleAcrossTheDiagonalOfAFlatSquareThatNeitherHalfCoversAlone()
    {
        // The unit square split along its diagonal; a triangle 0.05 above it, straddling the diagonal.
        var a = new Vector3D(0, 0, 0);
        var b = new Vector3D(1, 0, 0);
        var c = new Vector3D(1, 1, 0);
        var d = new Vector3D(0, 1, 0);
        Vector3D[] cover = [a, b, c, a, c, d];
        var x = new Vector3D(0.2, 0.6, 0.05);
        var y = new Vector3D(0.6, 0.2, 0.05);
        var z = new Vector3D(0.7, 0.8, 0.05);
        const double max = 0.1;

        Assert.True(Distance(x, a, b, c) > max || Distance(y, a, b, c) > max || Distance(z, a, b, c) > max);
        Assert.True(Distance(x, a, c, d) > max || Distance(y, a, c, d) > max || Distance(z, a, c, d) > max);
        Assert.True(PairCover.Covers(x, y, z, cover, 0, 1, max * max));
        Assert.True(LargestSampledDistance(x, y, z, cover) <= max);
    }

    [Fact]
    public void RefusesATriangleSpanningAValleyWhoseMiddleIsTooFar()
    {
        // A right-angled valley along the x axis; a flat triangle at height 1 whose corners lie on the two slopes.
        var e0 = new Vector3D(-2, 0, 0);
        var e1 = new Vector3D(2, 0, 0);
        var left = new Vector3D(0, -2, 2);
        var right = new Vector3D(0, 2, 2);
        Vector3D[] cover = [e0, e1, right, e1, e0, left];
        var x = new Vector3D(-0.5, -1, 1);
        var y = new Vector3D(0.5, -1, 1);
        var z = new Vector3D(0, 1, 1);
        const double max = 0.5; // the middle of the triangle, above the valley floor, is 1/√2 from both slopes

        Assert.True(Math.Min(Distance(x, e0, e1, left), Distance(x, e0, e1, right)) <= max);
        Assert.True(Math.Min(Distance(z, e0, e1, left), Distance(z, e0, e1, right)) <= max);
        Assert.True(LargestSampledDistance(x, y, z, cover) > max);
        Assert.False(PairCover.Covers(x, y, z, cover, 0, 1, max * max));
    }

    [Fact]
    public void TrianglesThatShareNoEdgeProveNothing()
    {
        Vector3D[] cover = [new(0, 0, 0), new(1, 0, 0), new(0, 1, 0), new(5, 5, 0), new(6, 5, 0), new(5, 6, 0)];
        Assert.False(PairCover.Covers(new(0.1, 0.1, 0), new(0.2, 0.1, 0), new(0.1, 0.2, 0), cover, 0, 1, 1));
    }

    private static Vector3D RandomOffset(Random random, double size) =>
        new(size * (random.NextDouble() - 0.5), size * (random.NextDouble() - 0.5), size * (random.NextDouble() - 0.5));

    /// <summary>The largest distance of a dense barycentric grid of points of (x, y, z) to the nearer of the two cover triangles.</summary>
    private static double LargestSampledDistance(Vector3D x, Vector3D y, Vector3D z, Vector3D[] cover)
    {
        const int n = 60;
        double worst = 0;
        for (int i = 0; i <= n; i++)
        {
            for (int j = 0; i + j <= n; j++)
            {
                double u = i / (double)n, v = j / (double)n;
                Vector3D q = (x * (1 - u - v)) + (y * u) + (z * v);
                double d = Math.Min(Distance(q, cover[0], cover[1], cover[2]), Distance(q, cover[3], cover[4], cover[5]));
                worst = Math.Max(worst, d);
            }
        }

        return worst;
    }

    /// <summary>Point-to-triangle distance, written apart from the library: the projection when it falls inside, else the nearest edge.</summary>
    private static double Distance(Vector3D q, Vector3D a, Vector3D b, Vector3D c)
    {
        Vector3D n = Vector3D.Cross(b - a, c - a);
        double n2 = Vector3D.Dot(n, n);
        Vector3D projected = q - (n * (Vector3D.Dot(q - a, n) / n2));
        bool inside = Vector3D.Dot(Vector3D.Cross(b - a, projected - a), n) >= 0
            && Vector3D.Dot(Vector3D.Cross(c - b, projected - b), n) >= 0
            && Vector3D.Dot(Vector3D.Cross(a - c, projected - c), n) >= 0;
        return inside
            ? (q - projected).Length
            : Math.Min(SegmentDistance(q, a, b), Math.Min(SegmentDistance(q, b, c), SegmentDistance(q, c, a)));
    }

    private static double SegmentDistance(Vector3D q, Vector3D a, Vector3D b)
    {
        Vector3D ab = b - a;
        double t = Math.Clamp(Vector3D.Dot(q - a, ab) / Vector3D.Dot(ab, ab), 0, 1);
        return (q - (a + (ab * t))).Length;
    }
}
