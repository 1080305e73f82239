using VolumeMesh.Geometry;
using VolumeMesh.Processing;

namespace VolumeMesh.Tests.Processing;

/// <summary>
/// The successive-mapping bound of one collapse (<see cref="MappingBound"/>) against dense sampling: on random bumpy
/// height fields with random incoming bounds, every sampled point of a new triangle is within its bound of the old
/// region (plus the old triangle's bound), and every sampled point of the old region is within the bound of the new
/// triangles; a collapse that folds the region gets no bound (+∞).
/// </summary>
public sealed class MappingBoundTests
{
    private const int Grid = 7;

    [Fact]
    public void BoundsHoldBothWaysOnRandomCollapses()
    {
        var random = new Random(12345);
        int finite = 0;
        for (int trial = 0; trial < 150; trial++)
        {
            (Vector3D[] pos, int[] tri) = BumpyGrid(random, amplitude: 0.35);
            int s = Index(3, 3), r = trial % 2 == 0 ? Index(4, 3) : Index(3, 4);
            Vector3D p = ((pos[s] + pos[r]) * 0.5) + new Vector3D(0.3 * (random.NextDouble() - 0.5), 0.3 * (random.NextDouble() - 0.5), 0.6 * (random.NextDouble() - 0.5));
            var fans = new TriangleFans(tri, pos.Length, growable: false);
            var bound = new MappingBound(fans, new byte[pos.Length]);
            double[] incoming = new double[tri.Length / 3];
            for (int t = 0; t < incoming.Length; t++)
            {
                incoming[t] = trial % 3 == 0 ? 0 : 0.2 * random.NextDouble();
                bound.SetBound(t, incoming[t]);
            }

            (int[] star, int t1, int t2) = Region(tri, s, r);
            bound.Compute(s, r, p, star, t1, t2, fans, pos);
            double[] pending = new double[star.Length];
            for (int i = 0; i < star.Length; i++)
            {
                pending[i] = bound.Pending(i);
            }

            if (!double.IsFinite(pending[0]))
            {
                continue; // a region that does not project one-to-one: no claim to check
            }

            finite++;
            int[] old = [.. star, t1, t2];
            Vector3D[][] oldCorners = [.. old.Select(t => Corners(tri, pos, t, -1, -1, default))];
            Vector3D[][] newCorners = [.. star.Select(t => Corners(tri, pos, t, s, r, p))];

            // New → old: a point of a new triangle lies within (its bound − the old triangle's bound) of some old triangle.
            double measured = 0;
            for (int i = 0; i < star.Length; i++)
            {
                foreach (Vector3D y in Samples(newCorners[i]))
                {
                    double best = double.MaxValue, nearest = double.MaxValue;
                    for (int q = 0; q < old.Length; q++)
                    {
                        double d = Math.Sqrt(TriangleDistance.Squared(y, oldCorners[q][0], oldCorners[q][1], oldCorners[q][2]));
                        best = Math.Min(best, d + incoming[old[q]]);
                        nearest = Math.Min(nearest, d);
                    }

                    measured = Math.Max(measured, nearest);
                    Assert.True(best <= pending[i] + 1e-9, $"trial {trial}: new point {y} needs {best}, bound {pending[i]}");
                }
            }

            // Old → new: a point of an old triangle lies within (bound − the old triangle's bound) of some new triangle.
            for (int q = 0; q < old.Length; q++)
            {
                foreach (Vector3D z in Samples(oldCorners[q]))
                {
                    double slack = double.MaxValue, nearest = double.MaxValue;
                    for (int i = 0; i < star.Length; i++)
                    {
                        double d = Math.Sqrt(TriangleDistance.Squared(z, newCorners[i][0], newCorners[i][1], newCorners[i][2]));
                        slack = Math.Min(slack, d + incoming[old[q]] - pending[i]);
                        nearest = Math.Min(nearest, d);
                    }

                    measured = Math.Max(measured, nearest);
                    Assert.True(slack <= 1e-9, $"trial {trial}: old point {z} is {slack} mm beyond the bound");
                }
            }

            // Not absurdly loose: with no incoming bounds, within a few times the sampled distance between the regions.
            if (trial % 3 == 0)
            {
                Assert.True(pending.Max() <= (4 * measured) + 1e-6, $"trial {trial}: bound {pending.Max()} against a sampled {measured}");
            }
        }

        Assert.True(finite > 100, $"only {finite} of 150 collapses got a bound");
    }

    [Fact]
    public void AFoldedRegionGetsNoBound()
    {
        (Vector3D[] pos, int[] tri) = BumpyGrid(new Random(1), amplitude: 0.1);
        int s = Index(3, 3), r = Index(4, 3);
        var fans = new TriangleFans(tri, pos.Length, growable: false);
        var bound = new MappingBound(fans, new byte[pos.Length]);
        (int[] star, int t1, int t2) = Region(tri, s, r);

        // p two cells beyond the link: the new fan folds over itself in every projection near the normal.
        bound.Compute(s, r, pos[s] + new Vector3D(3.5, 0.2, 0), star, t1, t2, fans, pos);
        Assert.True(double.IsPositiveInfinity(bound.Pending(0)));

        // p at the midpoint: a bound, and a small one on this gentle field.
        bound.Compute(s, r, (pos[s] + pos[r]) * 0.5, star, t1, t2, fans, pos);
        Assert.InRange(bound.Pending(0), 0, 0.2);

        // An open border at s: no claim.
        byte[] flags = new byte[pos.Length];
        flags[s] = VertexFlags.Boundary;
        var bordered = new MappingBound(fans, flags);
        bordered.Compute(s, r, (pos[s] + pos[r]) * 0.5, star, t1, t2, fans, pos);
        Assert.True(double.IsPositiveInfinity(bordered.Pending(0)));
    }

    [Fact]
    public void ARegionLargerThanTheScratchIsBoundedExactly()
    {
        // Two hubs on a flat disc, each with a fan of half of an 80-gon: 83 local vertices and 82 old triangles, more
        // than the scratch starts with, so it grows. The new vertex at the edge's midpoint, lifted by 0.1, makes the new
        // fan a flat cone over the old plane: the largest displacement is the apex's, 0.1, reached in every new triangle.
        const int n = 80;
        var pos = new Vector3D[n + 2];
        for (int k = 0; k < n; k++)
        {
            double angle = 2 * Math.PI * k / n;
            pos[k] = new Vector3D(3 * Math.Cos(angle), 3 * Math.Sin(angle), 0);
        }

        int s = n, r = n + 1, top = n / 4, bottom = 3 * n / 4;
        pos[s] = new Vector3D(-0.5, 0, 0);
        pos[r] = new Vector3D(0.5, 0, 0);
        var tri = new List<int> { s, r, top, r, s, bottom };
        for (int k = top; k < bottom; k++)
        {
            tri.AddRange([s, k, k + 1]);
        }

        for (int k = bottom; k < bottom + (n / 2); k++)
        {
            tri.AddRange([r, k % n, (k + 1) % n]);
        }

        int[] triangles = [.. tri];
        var fans = new TriangleFans(triangles, pos.Length, growable: false);
        var bound = new MappingBound(fans, new byte[pos.Length]);
        (int[] star, int t1, int t2) = Region(triangles, s, r);
        Assert.Equal(n, star.Length);

        bound.Compute(s, r, new Vector3D(0, 0, 0.1), star, t1, t2, fans, pos);
        for (int i = 0; i < star.Length; i++)
        {
            Assert.InRange(bound.Pending(i), 0.1 - 1e-12, 0.1 + 1e-12);
        }

        // Again on the same scratch with the new vertex in the plane: nothing of the first computation is left over.
        bound.Compute(s, r, new Vector3D(0, 0, 0), star, t1, t2, fans, pos);
        for (int i = 0; i < star.Length; i++)
        {
            Assert.InRange(bound.Pending(i), 0, 1e-12);
        }
    }

    private static int Index(int i, int j) => (j * Grid) + i;

    /// <summary>A Grid × Grid height field over unit cells, each split in two, facing +z.</summary>
    private static (Vector3D[] Positions, int[] Triangles) BumpyGrid(Random random, double amplitude)
    {
        var pos = new Vector3D[Grid * Grid];
        for (int j = 0; j < Grid; j++)
        {
            for (int i = 0; i < Grid; i++)
            {
                pos[Index(i, j)] = new Vector3D(i + (0.2 * (random.NextDouble() - 0.5)), j + (0.2 * (random.NextDouble() - 0.5)), amplitude * ((2 * random.NextDouble()) - 1));
            }
        }

        var tri = new List<int>();
        for (int j = 0; j + 1 < Grid; j++)
        {
            for (int i = 0; i + 1 < Grid; i++)
            {
                int a = Index(i, j), b = Index(i + 1, j), c = Index(i + 1, j + 1), d = Index(i, j + 1);
                tri.AddRange([a, b, c, a, c, d]);
            }
        }

        return (pos, [.. tri]);
    }

    /// <summary>The triangles around s or r other than the two on the edge (s, r), and those two.</summary>
    private static (int[] Star, int T1, int T2) Region(int[] tri, int s, int r)
    {
        var star = new List<int>();
        var edge = new List<int>();
        for (int t = 0; t < tri.Length / 3; t++)
        {
            bool hasS = tri[3 * t] == s || tri[(3 * t) + 1] == s || tri[(3 * t) + 2] == s;
            bool hasR = tri[3 * t] == r || tri[(3 * t) + 1] == r || tri[(3 * t) + 2] == r;
            if (hasS && hasR)
            {
                edge.Add(t);
            }
            else if (hasS || hasR)
            {
                star.Add(t);
            }
        }

        Assert.Equal(2, edge.Count);
        return ([.. star], edge[0], edge[1]);
    }

    private static Vector3D[] Corners(int[] tri, Vector3D[] pos, int t, int s, int r, Vector3D p)
    {
        var corners = new Vector3D[3];
        for (int k = 0; k < 3; k++)
        {
            int v = tri[(3 * t) + k];
            corners[k] = v == s || v == r ? p : pos[v];
        }

        return corners;
    }

    private static IEnumerable<Vector3D> Samples(Vector3D[] c)
    {
        const int n = 14;
        for (int i = 0; i <= n; i++)
        {
            for (int j = 0; i + j <= n; j++)
            {
                double u = (double)i / n, v = (double)j / n;
                yield return (c[0] * (1 - u - v)) + (c[1] * u) + (c[2] * v);
            }
        }
    }
}
