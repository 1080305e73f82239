using VolumeMesh.Geometry;

namespace VolumeMesh.Components;

/// <summary>Accumulates <see cref="ComponentStatistics"/> from runs of voxels of one label along x, visited in memory order.</summary>
internal sealed class StatisticsBuilder
{
    private readonly VolumeGeometry _geometry;
    private readonly long[] _count;
    private readonly double[] _sum;   // per label: Σi, Σj, Σ slice point x, y, z
    private readonly int[] _bounds;   // per label: min i, j, k, max i, j, k, first i, j, k
    private readonly Vector3D[] _slicePoints;

    public StatisticsBuilder(VolumeGeometry geometry, int componentCount)
    {
        _geometry = geometry;
        _count = new long[componentCount + 1];
        _sum = new double[(componentCount + 1) * 5];
        _bounds = new int[(componentCount + 1) * 9];
        _slicePoints = new Vector3D[geometry.SizeZ];
        for (int k = 0; k < _slicePoints.Length; k++)
        {
            _slicePoints[k] = geometry.SlicePoint(k);
        }
    }

    /// <summary>Adds voxels [<paramref name="start"/>, <paramref name="end"/>) of row (j, k) to component <paramref name="label"/>.</summary>
    public void AddRun(int label, int start, int end, int j, int k)
    {
        long n = end - start;
        ref long count = ref _count[label];
        Span<double> sum = _sum.AsSpan(label * 5, 5);
        Span<int> b = _bounds.AsSpan(label * 9, 9);
        if (count == 0)
        {
            b[0] = start;
            b[1] = j;
            b[2] = k;
            b[3] = end - 1;
            b[4] = j;
            b[5] = k;
            b[6] = start;
            b[7] = j;
            b[8] = k;
        }
        else
        {
            // Runs arrive in memory order, so j and k never decrease below the first run's k.
            b[0] = Math.Min(b[0], start);
            b[1] = Math.Min(b[1], j);
            b[3] = Math.Max(b[3], end - 1);
            b[4] = Math.Max(b[4], j);
            b[5] = Math.Max(b[5], k);
        }

        count += n;
        sum[0] += n * (start + end - 1) * 0.5;
        sum[1] += n * (double)j;
        Vector3D p = _slicePoints[k];
        sum[2] += n * p.X;
        sum[3] += n * p.Y;
        sum[4] += n * p.Z;
    }

    public ComponentStatistics[] Build()
    {
        int components = _count.Length - 1;
        var result = new ComponentStatistics[components];
        double voxelVolume = _geometry.SpacingX * _geometry.SpacingY * _geometry.SliceSpacingMean;
        Vector3D row = _geometry.RowDirection * _geometry.SpacingX;
        Vector3D column = _geometry.ColumnDirection * _geometry.SpacingY;
        for (int label = 1; label <= components; label++)
        {
            long n = _count[label];
            if (n == 0)
            {
                throw new InvalidOperationException($"Label {label} has no voxels; labels must be numbered 1..N without gaps.");
            }

            ReadOnlySpan<double> sum = _sum.AsSpan(label * 5, 5);
            ReadOnlySpan<int> b = _bounds.AsSpan(label * 9, 9);
            Vector3D centroid = new Vector3D(sum[2], sum[3], sum[4]) / n + (row * (sum[0] / n)) + (column * (sum[1] / n));
            result[label - 1] = new ComponentStatistics(
                label, n, n * voxelVolume, new VoxelIndex(b[0], b[1], b[2]), new VoxelIndex(b[3], b[4], b[5]), new VoxelIndex(b[6], b[7], b[8]), centroid);
        }

        return result;
    }
}
