using VolumeMesh.Processing;

namespace VolumeMesh.Tests.Processing;

/// <summary>
/// The decimator's vertex classification (<see cref="VertexClassifier"/>) against a reference written here from the
/// definition, on random fans: a vertex is interior when its link (the edge opposite it in each of its triangles,
/// directed by the triangle's orientation) is one directed cycle through distinct vertices, boundary when it is one
/// directed path, frozen otherwise (or above <see cref="VertexFlags.MaxValence"/> triangles), dead without triangles.
/// </summary>
public sealed class VertexClassifierTests
{
    [Fact]
    public void EveryVertexOfRandomFansIsClassifiedAsTheLinkDefinitionSays()
    {
        var random = new Random(2026);
        var seen = new Dictionary<byte, int>();
        for (int trial = 0; trial < 5000; trial++)
        {
            (int[] triangles, int vertexCount) = RandomFans(random);
            var fans = new TriangleFans(triangles, vertexCount, growable: false);
            var flags = new byte[vertexCount];
            VertexClassifier.ClassifyAll(fans, null, flags, new ParallelOptions { MaxDegreeOfParallelism = 1 });
            for (int v = 0; v < vertexCount; v++)
            {
                byte expected = Reference(triangles, v);
                Assert.True(expected == flags[v], $"trial {trial}, vertex {v}: classified {flags[v]}, the link says {expected}; triangles {string.Join(" ", triangles)}");
                seen[expected] = seen.GetValueOrDefault(expected) + 1;
            }
        }

        // The trials mean something only if every class comes up often.
        foreach (byte kind in new[] { (byte)0, VertexFlags.Boundary, VertexFlags.Frozen, VertexFlags.Dead })
        {
            Assert.True(seen.GetValueOrDefault(kind) > 300, $"class {kind} came up only {seen.GetValueOrDefault(kind)} times");
        }
    }

    [Fact]
    public void AVertexAboveTheValenceLimitIsFrozenAndOneBelowItIsNot()
    {
        foreach (int n in new[] { VertexFlags.MaxValence, VertexFlags.MaxValence + 1 })
        {
            int[] disc = Disc(0, Enumerable.Range(1, n).ToArray());
            var flags = new byte[n + 1];
            VertexClassifier.ClassifyAll(new TriangleFans(disc, n + 1, growable: false), null, flags, new ParallelOptions());
            Assert.Equal(n > VertexFlags.MaxValence ? VertexFlags.Frozen : (byte)0, flags[0]);
        }
    }

    /// <summary>
    /// A few fans around vertex 0 (discs and half-discs over rims that may share vertices), then random damage: a
    /// triangle removed, flipped or repeated, two rim vertices merged, a stray triangle added.
    /// </summary>
    private static (int[] Triangles, int VertexCount) RandomFans(Random random)
    {
        var triangles = new List<int>();
        int vertexCount = 1 + random.Next(3, 9);
        int fans = 1 + (random.Next(4) == 0 ? 1 : 0);
        for (int f = 0; f < fans; f++)
        {
            int size = random.Next(3, 8);
            int[] rim = Enumerable.Range(0, size).Select(_ => 1 + random.Next(vertexCount - 1)).Distinct().ToArray();
            if (rim.Length < 3)
            {
                continue;
            }

            int[] fan = Disc(0, rim);
            int keep = random.Next(2) == 0 ? fan.Length : fan.Length - (3 * random.Next(1, rim.Length - 1)); // a half-disc
            triangles.AddRange(fan.Take(keep));
        }

        int damage = random.Next(4);
        for (int d = 0; d < damage && triangles.Count >= 3; d++)
        {
            int t = 3 * random.Next(triangles.Count / 3);
            switch (random.Next(4))
            {
                case 0:
                    triangles.RemoveRange(t, 3);
                    break;
                case 1:
                    (triangles[t + 1], triangles[t + 2]) = (triangles[t + 2], triangles[t + 1]);
                    break;
                case 2:
                    triangles.AddRange(triangles.GetRange(t, 3));
                    break;
                default:
                    int a = 1 + random.Next(vertexCount - 1), b = 1 + random.Next(vertexCount - 1), c = random.Next(vertexCount);
                    if (a != b && b != c && a != c)
                    {
                        triangles.AddRange([a, b, c]);
                    }

                    break;
            }
        }

        // The decimator only ever classifies triangles with three distinct corners.
        var kept = new List<int>();
        for (int t = 0; t + 2 < triangles.Count; t += 3)
        {
            if (triangles[t] != triangles[t + 1] && triangles[t + 1] != triangles[t + 2] && triangles[t] != triangles[t + 2])
            {
                kept.AddRange(triangles.GetRange(t, 3));
            }
        }

        return (kept.ToArray(), vertexCount + 1); // the last vertex has no triangle
    }

    private static int[] Disc(int centre, int[] rim)
    {
        var triangles = new int[3 * rim.Length];
        for (int k = 0; k < rim.Length; k++)
        {
            triangles[3 * k] = centre;
            triangles[(3 * k) + 1] = rim[k];
            triangles[(3 * k) + 2] = rim[(k + 1) % rim.Length];
        }

        return triangles;
    }

    /// <summary>The class of v from its directed link: in- and out-degrees, sources, and whether one walk covers it.</summary>
    private static byte Reference(int[] triangles, int v)
    {
        var link = new List<(int From, int To)>();
        for (int t = 0; t < triangles.Length; t += 3)
        {
            for (int k = 0; k < 3; k++)
            {
                if (triangles[t + k] == v)
                {
                    link.Add((triangles[t + ((k + 1) % 3)], triangles[t + ((k + 2) % 3)]));
                }
            }
        }

        if (link.Count == 0)
        {
            return VertexFlags.Dead;
        }

        if (link.Count > VertexFlags.MaxValence)
        {
            return VertexFlags.Frozen;
        }

        var outgoing = new Dictionary<int, int>();
        var incoming = new Dictionary<int, int>();
        foreach ((int from, int to) in link)
        {
            if (!outgoing.TryAdd(from, to) || !incoming.TryAdd(to, from))
            {
                return VertexFlags.Frozen; // two link edges leave (or enter) one vertex
            }
        }

        var sources = outgoing.Keys.Where(x => !incoming.ContainsKey(x)).ToList();
        if (sources.Count > 1)
        {
            return VertexFlags.Frozen;
        }

        // One walk along the link from the source (or anywhere on a cycle) must take every edge.
        int start = sources.Count == 1 ? sources[0] : link[0].From;
        int walked = 0, at = start;
        while (outgoing.TryGetValue(at, out int next) && walked <= link.Count)
        {
            walked++;
            at = next;
            if (at == start)
            {
                break;
            }
        }

        return walked != link.Count ? VertexFlags.Frozen : sources.Count == 1 ? VertexFlags.Boundary : (byte)0;
    }
}
