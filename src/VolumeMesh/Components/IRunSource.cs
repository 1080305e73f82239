namespace VolumeMesh.Components;

/// <summary>Where <see cref="RunLabeler"/> reads the foreground from: the runs along x of one row at a time.</summary>
internal interface IRunSource
{
    /// <summary>Writes the runs [start, end) of row r = j + SizeY·k in ascending order and returns how many there are
    /// (at most SizeX / 2 + 1).</summary>
    /// <param name="row">The row.</param>
    /// <param name="starts">Receives the first voxel of each run.</param>
    /// <param name="ends">Receives one past the last voxel of each run.</param>
    /// <param name="scratch">A buffer of SizeX bytes owned by the calling thread.</param>
    /// <returns>The number of runs.</returns>
    int ExtractRow(int row, Span<int> starts, Span<int> ends, Span<byte> scratch);
}
