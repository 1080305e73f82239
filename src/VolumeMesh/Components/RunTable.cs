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
}
