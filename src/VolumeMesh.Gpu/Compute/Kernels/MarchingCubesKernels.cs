using ILGPU;
using ILGPU.Runtime;

namespace VolumeMesh.Compute.Kernels;

/// <summary>Where one z-slab lies in the volume and in the padded cell lattice (see docs/marching-cubes-contract.md).</summary>
/// <remarks>
/// Cells x ∈ [−1, nx−1] are stored at column cx = x + 1; a row is one (y, z) of cells, rows of a plane by y from −1.
/// The slab classifies <see cref="ClassifiedPlanes"/> cell planes from <see cref="FirstCellPlane"/>: the first
/// <see cref="OwnedPlanes"/> are its own (it writes their vertices and triangles); one more plane, when it exists, is
/// classified only so that the vertex ids of its edges, which triangles of the last owned plane share, are known.
/// The inside test is evaluated once per lattice point into bit rows (bit X = x + 1 of point row (plane, y + 1), planes
/// from <see cref="FirstCellPlane"/>, <see cref="PointWordsPerRow"/> words per row, padding bits 0). Crossings are kept
/// as one bit per cell and edge direction in 32-cell words, laid out by (row, direction, word), which is exactly the
/// contract's vertex order; a scan of the words' bit counts numbers the vertices.
/// </remarks>
internal struct SlabParams
{
    public int SizeX;
    public int SizeY;
    public int SizeZ;
    public int CellsX;
    public int RowsPerPlane;
    public int WordsPerRow;
    public int PointWordsPerRow;
    public int FirstCellPlane;
    public int ClassifiedPlanes;
    public int OwnedPlanes;
    public int FirstVoxelPlane;
    public int TableStride;
    public InsideTest Test;
}

/// <summary>The index-to-patient map of <see cref="Geometry.VolumeGeometry.IndexToPatient"/>, for the device.</summary>
internal struct GeometryParams
{
    public double RowX;
    public double RowY;
    public double RowZ;
    public double ColumnX;
    public double ColumnY;
    public double ColumnZ;
    public double SpacingX;
    public double SpacingY;
    public double StepX;
    public double StepY;
    public double StepZ;
    public int SliceCount;
    public int SwapWinding;
}

/// <summary>A grid-stride launch: items 0..Count−1, Stride threads; VertexBase is the slab's first global vertex id.</summary>
internal struct LaunchParams
{
    public int Count;
    public int Stride;
    public int VertexBase;
}

/// <summary>
/// Marching cubes as data-parallel passes (classify points into bit rows, count per 32-cell word, scan, compact active
/// words, generate),
/// so the output order is the contract's whatever the device: vertices by (plane, row, direction, x), triangles by cell.
/// </summary>
internal static class MarchingCubesKernels
{
    public const double Epsilon = 1.0 / 256;

    /// <summary>Pass 1: the inside bit of every lattice point of the slab, 32 points of a row per word.</summary>
    public static void ClassifyPoints<T, TReader>(
        Index1D index, LaunchParams launch, SlabParams slab, ArrayView<T> voxels, ArrayView<uint> bits)
        where T : unmanaged
        where TReader : struct, IVoxelReader<T>
    {
        int pointRows = slab.SizeY + 2;
        TReader reader = default;
        for (int wi = index; wi < launch.Count; wi += launch.Stride)
        {
            int pointRow = wi / slab.PointWordsPerRow;
            int w = wi - (pointRow * slab.PointWordsPerRow);
            int plane = pointRow / pointRows;
            int y = pointRow - (plane * pointRows) - 1;
            int z = slab.FirstCellPlane + plane;
            uint word = 0;
            if ((uint)y < (uint)slab.SizeY && (uint)z < (uint)slab.SizeZ)
            {
                // Bit b is point x = 32w + b − 1; only x in [0, nx) can be inside.
                int xStart = Math.Max((w * 32) - 1, 0);
                int xEnd = Math.Min((w * 32) + 31, slab.SizeX);
                long row = VoxelIndex(slab, 0, y, z);
                for (int x = xStart; x < xEnd; x++)
                {
                    if (slab.Test.Inside(reader.ToDouble(voxels[row + x])))
                    {
                        word |= 1u << (x + 1 - (w * 32));
                    }
                }
            }

            bits[wi] = word;
        }
    }

    /// <summary>
    /// Pass 2: per 32-cell word, the crossing bits of the edges each cell's lower corner owns (x, y, z), their counts,
    /// the triangle count and whether the word is active (owned planes only).
    /// </summary>
    public static void CountWords(
        Index1D index,
        LaunchParams launch,
        SlabParams slab,
        ArrayView<byte> table,
        ArrayView<uint> bits,
        ArrayView<uint> masks,
        ArrayView<int> vertexCounts,
        ArrayView<int> triangleCounts,
        ArrayView<int> activeFlags)
    {
        int ownedWords = slab.OwnedPlanes * slab.RowsPerPlane * slab.WordsPerRow;
        for (int wi = index; wi < launch.Count; wi += launch.Stride)
        {
            int row = wi / slab.WordsPerRow;
            int w = wi - (row * slab.WordsPerRow);
            CellWord cells = LoadCellWord(slab, bits, row, w);
            uint mx = cells.R0 ^ cells.S0;
            uint my = cells.R0 ^ cells.R1;
            uint mz = cells.R0 ^ cells.R2;
            int triangles = 0;
            uint active = cells.Active;
            while (active != 0)
            {
                int b = IntrinsicMath.BitOperations.TrailingZeroCount(active);
                active &= active - 1;
                triangles += table[cells.Case(b) * slab.TableStride];
            }

            int m = (row * 3 * slab.WordsPerRow) + w;
            masks[m] = mx;
            masks[m + slab.WordsPerRow] = my;
            masks[m + (2 * slab.WordsPerRow)] = mz;
            vertexCounts[m] = IntrinsicMath.BitOperations.PopCount(mx);
            vertexCounts[m + slab.WordsPerRow] = IntrinsicMath.BitOperations.PopCount(my);
            vertexCounts[m + (2 * slab.WordsPerRow)] = IntrinsicMath.BitOperations.PopCount(mz);
            if (wi < ownedWords)
            {
                triangleCounts[wi] = triangles;
                activeFlags[wi] = triangles > 0 ? 1 : 0;
            }
        }
    }

    /// <summary>Pass 3 (one thread): the slab's owned vertex count, triangle count and active word count from the scans.</summary>
    public static void Totals(
        Index1D index,
        SlabParams slab,
        ArrayView<int> vertexCounts,
        ArrayView<int> vertexOffsets,
        ArrayView<int> triangleCounts,
        ArrayView<int> triangleOffsets,
        ArrayView<int> activeFlags,
        ArrayView<int> activeOffsets,
        ArrayView<int> totals)
    {
        if (index != 0)
        {
            return;
        }

        int ownedWords = slab.OwnedPlanes * slab.RowsPerPlane * slab.WordsPerRow;
        int allWords = slab.ClassifiedPlanes * slab.RowsPerPlane * slab.WordsPerRow;
        int ownedVertexWords = 3 * ownedWords;
        int lastVertexWord = (3 * allWords) - 1;
        totals[0] = ownedVertexWords <= lastVertexWord
            ? vertexOffsets[ownedVertexWords]
            : vertexOffsets[lastVertexWord] + vertexCounts[lastVertexWord];
        totals[1] = triangleOffsets[ownedWords - 1] + triangleCounts[ownedWords - 1];
        totals[2] = activeOffsets[ownedWords - 1] + activeFlags[ownedWords - 1];
    }

    /// <summary>Pass 4: compacts the active words (those with triangles) in order.</summary>
    public static void CompactWords(
        Index1D index, LaunchParams launch, ArrayView<int> activeFlags, ArrayView<int> activeOffsets, ArrayView<int> activeWords)
    {
        for (int wi = index; wi < launch.Count; wi += launch.Stride)
        {
            if (activeFlags[wi] != 0)
            {
                activeWords[activeOffsets[wi]] = wi;
            }
        }
    }

    /// <summary>Pass 5: per active word, the vertices on the edges its cells own and the triangles of its cells.</summary>
    public static void Generate<T, TReader>(
        Index1D index,
        LaunchParams launch,
        SlabParams slab,
        GeometryParams geometry,
        ArrayView<T> voxels,
        ArrayView<byte> table,
        ArrayView<uint> bits,
        ArrayView<uint> masks,
        ArrayView<int> vertexOffsets,
        ArrayView<int> triangleOffsets,
        ArrayView<int> activeWords,
        ArrayView<double> slicePositions,
        ArrayView<float> positions,
        ArrayView<int> indices)
        where T : unmanaged
        where TReader : struct, IVoxelReader<T>
    {
        for (int i = index; i < launch.Count; i += launch.Stride)
        {
            int wi = activeWords[i];
            int row = wi / slab.WordsPerRow;
            int w = wi - (row * slab.WordsPerRow);
            int plane = row / slab.RowsPerPlane;
            int y = row - (plane * slab.RowsPerPlane) - 1;
            int z = slab.FirstCellPlane + plane;
            CellWord cells = LoadCellWord(slab, bits, row, w);
            int triangle = triangleOffsets[wi];
            uint active = cells.Active;
            while (active != 0)
            {
                int bit = IntrinsicMath.BitOperations.TrailingZeroCount(active);
                active &= active - 1;
                int c = cells.Case(bit);
                int cx = (w * 32) + bit;
                int x = cx - 1;
                for (int direction = 0; direction < 3; direction++)
                {
                    int far = direction == 0 ? (c >> 1) & 1 : direction == 1 ? (c >> 2) & 1 : (c >> 4) & 1;
                    if ((c & 1) != far)
                    {
                        int id = VertexId(slab, masks, vertexOffsets, row, direction, cx);
                        WriteVertex<T, TReader>(slab, geometry, voxels, slicePositions, positions, id, x, y, z, direction, (c & 1) != 0);
                    }
                }

                int entry = c * slab.TableStride;
                int count = table[entry];
                for (int t = 0; t < count; t++)
                {
                    int a = EdgeVertex(slab, masks, vertexOffsets, row, cx, table[entry + 1 + (3 * t)]) + launch.VertexBase;
                    int b = EdgeVertex(slab, masks, vertexOffsets, row, cx, table[entry + 2 + (3 * t)]) + launch.VertexBase;
                    int d = EdgeVertex(slab, masks, vertexOffsets, row, cx, table[entry + 3 + (3 * t)]) + launch.VertexBase;
                    long o = 3L * triangle;
                    indices[o] = a;
                    indices[o + 1] = geometry.SwapWinding != 0 ? d : b;
                    indices[o + 2] = geometry.SwapWinding != 0 ? b : d;
                    triangle++;
                }
            }
        }
    }

    /// <summary>
    /// The four point rows a row of cells spans, at cell word w: R = bits of points X = 32w..32w+31 (the cells' lower
    /// corners), S = the same rows shifted by one point (the upper corners).
    /// </summary>
    private static CellWord LoadCellWord(in SlabParams slab, ArrayView<uint> bits, int row, int w)
    {
        int plane = row / slab.RowsPerPlane;
        int pointY = row - (plane * slab.RowsPerPlane);
        int pointRows = slab.SizeY + 2;
        int p0 = ((plane * pointRows) + pointY) * slab.PointWordsPerRow;
        int p1 = p0 + slab.PointWordsPerRow;
        int p2 = p0 + (pointRows * slab.PointWordsPerRow);
        int p3 = p2 + slab.PointWordsPerRow;
        bool hasNext = w + 1 < slab.PointWordsPerRow;
        CellWord cells;
        cells.R0 = bits[p0 + w];
        cells.R1 = bits[p1 + w];
        cells.R2 = bits[p2 + w];
        cells.R3 = bits[p3 + w];
        cells.S0 = (cells.R0 >> 1) | (hasNext ? bits[p0 + w + 1] << 31 : 0u);
        cells.S1 = (cells.R1 >> 1) | (hasNext ? bits[p1 + w + 1] << 31 : 0u);
        cells.S2 = (cells.R2 >> 1) | (hasNext ? bits[p2 + w + 1] << 31 : 0u);
        cells.S3 = (cells.R3 >> 1) | (hasNext ? bits[p3 + w + 1] << 31 : 0u);
        uint any = cells.R0 | cells.R1 | cells.R2 | cells.R3 | cells.S0 | cells.S1 | cells.S2 | cells.S3;
        uint all = cells.R0 & cells.R1 & cells.R2 & cells.R3 & cells.S0 & cells.S1 & cells.S2 & cells.S3;
        cells.Active = any & ~all;
        return cells;
    }

    private static long VoxelIndex(in SlabParams slab, int x, int y, int z) =>
        x + ((long)slab.SizeX * (y + ((long)slab.SizeY * (z - slab.FirstVoxelPlane))));

    /// <summary>Slab-local id of the vertex on the edge in <paramref name="direction"/> owned by cell column cx of a row.</summary>
    private static int VertexId(in SlabParams slab, ArrayView<uint> masks, ArrayView<int> vertexOffsets, int row, int direction, int cx)
    {
        int m = (((row * 3) + direction) * slab.WordsPerRow) + (cx >> 5);
        uint below = (1u << (cx & 31)) - 1u;
        return vertexOffsets[m] + IntrinsicMath.BitOperations.PopCount(masks[m] & below);
    }

    /// <summary>Slab-local id of the vertex on cell edge e (contract numbering) of the cell at column cx of a row.</summary>
    private static int EdgeVertex(in SlabParams slab, ArrayView<uint> masks, ArrayView<int> vertexOffsets, int row, int cx, int e)
    {
        int direction;
        int ox = 0;
        int oy = 0;
        int oz = 0;
        if (e < 4)
        {
            direction = 0;
            oy = e & 1;
            oz = e >> 1;
        }
        else if (e < 8)
        {
            direction = 1;
            ox = (e - 4) & 1;
            oz = (e - 4) >> 1;
        }
        else
        {
            direction = 2;
            ox = (e - 8) & 1;
            oy = (e - 8) >> 1;
        }

        return VertexId(slab, masks, vertexOffsets, row + oy + (oz * slab.RowsPerPlane), direction, cx + ox);
    }

    private static void WriteVertex<T, TReader>(
        in SlabParams slab,
        in GeometryParams geometry,
        ArrayView<T> voxels,
        ArrayView<double> slicePositions,
        ArrayView<float> positions,
        int id,
        int x,
        int y,
        int z,
        int direction,
        bool lowerInside)
        where T : unmanaged
        where TReader : struct, IVoxelReader<T>
    {
        // p is the inside end, q the outside one; t is measured from p and clamped (contract: "Vertex position"),
        // then placed from the lower end exactly as the managed engine does, so positions agree to the bit.
        int dx = direction == 0 ? 1 : 0;
        int dy = direction == 1 ? 1 : 0;
        int dz = direction == 2 ? 1 : 0;
        double t;
        if ((uint)(x + dx) >= (uint)slab.SizeX || (uint)(y + dy) >= (uint)slab.SizeY || (uint)(z + dz) >= (uint)slab.SizeZ
            || (uint)x >= (uint)slab.SizeX || (uint)y >= (uint)slab.SizeY || (uint)z >= (uint)slab.SizeZ)
        {
            t = Epsilon;
        }
        else
        {
            if (slab.Test.Mode == InsideTest.ModeMask)
            {
                t = 0.5;
            }
            else if (slab.Test.Mode == InsideTest.ModeMaskedRange)
            {
                // MaskedRangeField: interpolate where an inside voxel in the range meets an outside one beyond it, else midway.
                TReader reader = default;
                double lower = InsideTest.Unpack(reader.ToDouble(voxels[VoxelIndex(slab, x, y, z)]));
                double upper = InsideTest.Unpack(reader.ToDouble(voxels[VoxelIndex(slab, x + dx, y + dy, z + dz)]));
                double a = lowerInside ? lower : upper;
                double b = lowerInside ? upper : lower;
                if (a < slab.Test.LevelLow || a > slab.Test.LevelHigh || (b >= slab.Test.LevelLow && b <= slab.Test.LevelHigh))
                {
                    t = 0.5;
                }
                else
                {
                    double level = b > slab.Test.LevelHigh ? slab.Test.LevelHigh : slab.Test.LevelLow;
                    t = (level - a) / (b - a);
                }
            }
            else
            {
                TReader reader = default;
                double lower = reader.ToDouble(voxels[VoxelIndex(slab, x, y, z)]);
                double upper = reader.ToDouble(voxels[VoxelIndex(slab, x + dx, y + dy, z + dz)]);
                double a = lowerInside ? lower : upper;
                double b = lowerInside ? upper : lower;
                double level = b > slab.Test.LevelHigh ? slab.Test.LevelHigh : slab.Test.LevelLow;
                t = (level - a) / (b - a);
            }

            t = t > Epsilon ? (t < 1 - Epsilon ? t : 1 - Epsilon) : Epsilon;
        }

        double along = lowerInside ? t : 1 - t;
        double i = x + (dx * along);
        double j = y + (dy * along);
        double k = z + (dz * along);

        // VolumeGeometry.SlicePoint: interpolate between neighbouring slices, extrapolate beyond the ends.
        double sx;
        double sy;
        double sz;
        if (geometry.SliceCount == 1)
        {
            sx = slicePositions[0] + (geometry.StepX * k);
            sy = slicePositions[1] + (geometry.StepY * k);
            sz = slicePositions[2] + (geometry.StepZ * k);
        }
        else
        {
            int k0 = (int)Math.Floor(k);
            k0 = k0 < 0 ? 0 : k0 > geometry.SliceCount - 2 ? geometry.SliceCount - 2 : k0;
            double f = k - k0;
            double ax = slicePositions[3 * k0];
            double ay = slicePositions[(3 * k0) + 1];
            double az = slicePositions[(3 * k0) + 2];
            sx = ax + ((slicePositions[(3 * k0) + 3] - ax) * f);
            sy = ay + ((slicePositions[(3 * k0) + 4] - ay) * f);
            sz = az + ((slicePositions[(3 * k0) + 5] - az) * f);
        }

        double iu = i * geometry.SpacingX;
        double jv = j * geometry.SpacingY;
        long o = 3L * id;
        positions[o] = (float)(sx + (geometry.RowX * iu) + (geometry.ColumnX * jv));
        positions[o + 1] = (float)(sy + (geometry.RowY * iu) + (geometry.ColumnY * jv));
        positions[o + 2] = (float)(sz + (geometry.RowZ * iu) + (geometry.ColumnZ * jv));
    }
}

/// <summary>Eight corner bit rows of 32 cells (see MarchingCubesKernels.LoadCellWord) and which cells are active.</summary>
internal struct CellWord
{
    public uint R0;
    public uint R1;
    public uint R2;
    public uint R3;
    public uint S0;
    public uint S1;
    public uint S2;
    public uint S3;
    public uint Active;

    /// <summary>The cube case of cell b: corner c = dx + 2·dy + 4·dz.</summary>
    public readonly int Case(int b) =>
        (int)(((R0 >> b) & 1) | (((S0 >> b) & 1) << 1) | (((R1 >> b) & 1) << 2) | (((S1 >> b) & 1) << 3)
            | (((R2 >> b) & 1) << 4) | (((S2 >> b) & 1) << 5) | (((R3 >> b) & 1) << 6) | (((S3 >> b) & 1) << 7));
}
