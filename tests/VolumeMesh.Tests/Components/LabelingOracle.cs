namespace VolumeMesh.Tests.Components;

/// <summary>A deliberately simple reference: breadth-first flood fill from each unvisited voxel in memory order.</summary>
internal static class LabelingOracle
{
    public static (int[] Labels, int Count) Label(byte[] voxels, int nx, int ny, int nz, int connectivity)
    {
        var labels = new int[voxels.Length];
        var offsets = new List<(int, int, int)>();
        for (int dz = -1; dz <= 1; dz++)
        {
            for (int dy = -1; dy <= 1; dy++)
            {
                for (int dx = -1; dx <= 1; dx++)
                {
                    int nonZero = (dx != 0 ? 1 : 0) + (dy != 0 ? 1 : 0) + (dz != 0 ? 1 : 0);
                    bool connected = connectivity switch { 6 => nonZero == 1, 18 => nonZero is 1 or 2, _ => nonZero >= 1 };
                    if (connected)
                    {
                        offsets.Add((dx, dy, dz));
                    }
                }
            }
        }

        int count = 0;
        var queue = new Queue<(int X, int Y, int Z)>();
        for (int z = 0; z < nz; z++)
        {
            for (int y = 0; y < ny; y++)
            {
                for (int x = 0; x < nx; x++)
                {
                    int index = x + (nx * (y + (ny * z)));
                    if (voxels[index] == 0 || labels[index] != 0)
                    {
                        continue;
                    }

                    count++;
                    labels[index] = count;
                    queue.Enqueue((x, y, z));
                    while (queue.Count > 0)
                    {
                        (int cx, int cy, int cz) = queue.Dequeue();
                        foreach ((int dx, int dy, int dz) in offsets)
                        {
                            int px = cx + dx, py = cy + dy, pz = cz + dz;
                            if (px < 0 || py < 0 || pz < 0 || px >= nx || py >= ny || pz >= nz)
                            {
                                continue;
                            }

                            int p = px + (nx * (py + (ny * pz)));
                            if (voxels[p] != 0 && labels[p] == 0)
                            {
                                labels[p] = count;
                                queue.Enqueue((px, py, pz));
                            }
                        }
                    }
                }
            }
        }

        return (labels, count);
    }

    public static byte[] RandomMask(int nx, int ny, int nz, double density, int seed)
    {
        var random = new Random(seed);
        var voxels = new byte[nx * ny * nz];
        for (int n = 0; n < voxels.Length; n++)
        {
            // Values other than 1 check that any non-zero byte counts as inside.
            voxels[n] = random.NextDouble() < density ? (byte)(1 + random.Next(255)) : (byte)0;
        }

        return voxels;
    }
}
