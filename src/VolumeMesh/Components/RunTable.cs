using VolumeMesh.Geometry;
using VolumeMesh.Volumes;

namespace VolumeMesh.Components;

/// <summary>
/// The foreground of a mask as runs along x: the runs of row r = j + SizeY·k are
/// <c>[RowFirst[r], RowFirst[r + 1])</c>, each covering voxels [Starts[n], Ends[n]) and carrying RunLabels[n].
/// </summary>
internal sealed class RunTable
{
    public RunTable(int sizeX, int sizeY, int sizeZ, int[] rowFirst, int[] starts, int[] ends, int[] runLabels)
    {
        SizeX = sizeX;
        SizeY = sizeY;
        SizeZ = sizeZ;
        RowFirst = rowFirst;
        Starts = starts;
        Ends = ends;
        RunLabels = runLabels;
    }

    public int SizeX { get; }

    public int SizeY { get; }

    public int SizeZ { get; }

    public int[] RowFirst { get; }

    public int[] Starts { get; }

    public int[] Ends { get; }

    public int[] RunLabels { get; }

    public int RunCount => RowFirst[^1];

    /// <summary>The label of voxel (i, j, k): the label of the run covering it, 0 when none does (binary search in its row).</summary>
    public int LabelAt(int i, int j, int k)
    {
        int row = j + (SizeY * k);
        int lo = RowFirst[row];
        int hi = RowFirst[row + 1] - 1;
        while (lo <= hi)
        {
            int mid = lo + ((hi - lo) >> 1);
            if (Ends[mid] <= i)
            {
                lo = mid + 1;
            }
            else if (Starts[mid] > i)
            {
                hi = mid - 1;
            }
            else
            {
                return RunLabels[mid];
            }
        }

        return 0;
    }

    /// <summary>The statistics of components 1..<paramref name="components"/>, from the runs in memory order.</summary>
    public ComponentStatistics[] Statistics(VolumeGeometry geometry, int components)
    {
        var builder = new StatisticsBuilder(geometry, components);
        for (int k = 0; k < SizeZ; k++)
        {
            for (int j = 0; j < SizeY; j++)
            {
                int row = j + (SizeY * k);
                for (int n = RowFirst[row]; n < RowFirst[row + 1]; n++)
                {
                    builder.AddRun(RunLabels[n], Starts[n], Ends[n], j, k);
                }
            }
        }

        return builder.Build();
    }

    /// <summary>Sets, in <paramref name="target"/>, the voxels of every run whose label <paramref name="selected"/> marks; parallel over slices.</summary>
    public void SetRuns(BitMask target, bool[] selected, int maxDegreeOfParallelism, CancellationToken cancellationToken)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : -1, CancellationToken = cancellationToken };
        Parallel.For(0, SizeZ, parallel, k =>
        {
            for (int row = k * SizeY; row < (k + 1) * SizeY; row++)
            {
                Span<ulong> words = target.Row(row);
                for (int n = RowFirst[row]; n < RowFirst[row + 1]; n++)
                {
                    if (selected[RunLabels[n]])
                    {
                        BitMask.SetBits(words, Starts[n], Ends[n]);
                    }
                }
            }
        });
    }
}
