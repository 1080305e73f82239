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
