using VolumeMesh.Geometry;

namespace VolumeMesh.Components;

/// <summary>Accumulates <see cref="ComponentStatistics"/> from runs of voxels of one label along x, visited in memory order.</summary>
/// <remarks>
/// Every sum is either exact (voxel counts, Σi and Σj are integers) or a function of the per-slice voxel counts alone: the
/// slice points are weighted by the component's voxel count in each slice and added in ascending slice order. So a labeller
/// that only has the per-(component, slice) counts — the device-resident run, whose atomics visit the runs in no fixed
/// order — reproduces the statistics bit for bit through <see cref="Create"/>.
/// </remarks>
internal sealed class StatisticsBuilder
{
    private readonly VolumeGeometry _geometry;
    private readonly long[] _count;
    private readonly long[] _sumIj;   // per label: Σi, Σj
    private readonly double[] _slice; // per label: Σ over slices of (voxels in the slice × slice point) x, y, z
    private readonly int[] _bounds;   // per label: min i, j, k, max i, j, k, first i, j, k
    private readonly int[] _openSlice;   // per label: the slice whose voxels are being counted
    private readonly long[] _openCount;  // per label: the voxels counted in that slice so far
    private readonly Vector3D[] _slicePoints;

    public StatisticsBuilder(VolumeGeometry geometry, int componentCount)
    {
        _geometry = geometry;
        _count = new long[componentCount + 1];
        _sumIj = new long[(componentCount + 1) * 2];
        _slice = new double[(componentCount + 1) * 3];
        _bounds = new int[(componentCount + 1) * 9];
        _openSlice = new int[componentCount + 1];
        _openCount = new long[componentCount + 1];
        _slicePoints = SlicePoints(geometry);
    }

    /// <summary>The patient position of every slice's first voxel, index k.</summary>
    public static Vector3D[] SlicePoints(VolumeGeometry geometry)
    {
        var points = new Vector3D[geometry.SizeZ];
        for (int k = 0; k < points.Length; k++)
        {
            points[k] = geometry.SlicePoint(k);
        }

        return points;
    }

    /// <summary>Adds <paramref name="voxels"/> voxels of slice point <paramref name="point"/> to a slice sum (x, y, z); slices must come in ascending order.</summary>
    public static void AddSlice(Span<double> sum, long voxels, Vector3D point)
    {
        sum[0] += voxels * point.X;
        sum[1] += voxels * point.Y;
        sum[2] += voxels * point.Z;
    }

    /// <summary>Adds voxels [<paramref name="start"/>, <paramref name="end"/>) of row (j, k) to component <paramref name="label"/>.</summary>
    public void AddRun(int label, int start, int end, int j, int k)
    {
        long n = end - start;
        ref long count = ref _count[label];
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
            _openSlice[label] = k;
        }
        else
        {
            // Runs arrive in memory order, so j and k never decrease below the first run's k.
            b[0] = Math.Min(b[0], start);
            b[1] = Math.Min(b[1], j);
            b[3] = Math.Max(b[3], end - 1);
            b[4] = Math.Max(b[4], j);
            b[5] = Math.Max(b[5], k);
            if (_openSlice[label] != k)
            {
                CloseSlice(label);
                _openSlice[label] = k;
            }
        }

        count += n;
        _openCount[label] += n;

        // n · (start + end − 1) is even (one factor is), so Σi stays an integer.
        _sumIj[label * 2] += n * (start + end - 1) / 2;
        _sumIj[(label * 2) + 1] += n * j;
    }

    public ComponentStatistics[] Build()
    {
        int components = _count.Length - 1;
        var result = new ComponentStatistics[components];
        for (int label = 1; label <= components; label++)
        {
            long n = _count[label];
            if (n == 0)
            {
                throw new InvalidOperationException($"Label {label} has no voxels; labels must be numbered 1..N without gaps.");
            }

            CloseSlice(label);
            ReadOnlySpan<int> b = _bounds.AsSpan(label * 9, 9);
            result[label - 1] = Create(
                _geometry,
                label,
                n,
                _sumIj[label * 2],
                _sumIj[(label * 2) + 1],
                _slice.AsSpan(label * 3, 3),
                new VoxelIndex(b[0], b[1], b[2]),
                new VoxelIndex(b[3], b[4], b[5]),
                new VoxelIndex(b[6], b[7], b[8]));
        }

        return result;
    }

    /// <summary>The statistics of one component from its sums: voxel count, Σi, Σj, the slice sum (see <see cref="AddSlice"/>) and its bounds.</summary>
    public static ComponentStatistics Create(
        VolumeGeometry geometry, int label, long voxels, long sumI, long sumJ, ReadOnlySpan<double> sliceSum, VoxelIndex boundsMin, VoxelIndex boundsMax, VoxelIndex first)
    {
        double voxelVolume = geometry.SpacingX * geometry.SpacingY * geometry.SliceSpacingMean;
        Vector3D row = geometry.RowDirection * geometry.SpacingX;
        Vector3D column = geometry.ColumnDirection * geometry.SpacingY;
        double n = voxels;
        Vector3D centroid = (new Vector3D(sliceSum[0], sliceSum[1], sliceSum[2]) / n) + (row * (sumI / n)) + (column * (sumJ / n));
        return new ComponentStatistics(label, voxels, voxels * voxelVolume, boundsMin, boundsMax, first, centroid);
    }

    private void CloseSlice(int label)
    {
        long open = _openCount[label];
        if (open != 0)
        {
            AddSlice(_slice.AsSpan(label * 3, 3), open, _slicePoints[_openSlice[label]]);
            _openCount[label] = 0;
        }
    }
}
