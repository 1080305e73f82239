using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using VolumeMesh.Geometry;

namespace VolumeMesh.Meshing;

/// <summary>
/// The managed marching-cubes engine: bit-packed inside classification, two passes (count, then generate) over
/// planes in parallel, with every vertex and triangle placed at a globally determined index, so the output is
/// identical for any thread count. The contract it implements is in docs/marching-cubes-contract.md.
/// </summary>
/// <remarks>
/// Working memory: one bit per voxel for the inside classification, a few integers per row, and one byte per surface
/// cell (its cube case, found by the count pass and read back by the generation pass). The generation pass sweeps a
/// plane row by row, expanding the crossed edges of the four rows a cell row touches into explicit vertex ids (a
/// window of 4 × 3 rows of integers per thread), so a triangle corner costs one load; vertex positions are computed
/// four at a time with <see cref="Vector256{T}"/> in exactly the operations, and order, of the scalar definition
/// (<see cref="VertexPosition"/>), so they are bit-identical to it.
/// </remarks>
internal sealed class MarchingCubesEngine<TField>
    where TField : struct, IVoxelField
{
    private readonly TField _field;
    private readonly VolumeGeometry _geometry;
    private readonly int _nx, _ny, _nz;
    private readonly Vector3D _stepI, _stepJ;

    // Padded lattice: X = x + 1 in [0, nx + 1], Y = y + 1 in [0, ny + 1], Z = z + 1 in [0, nz + 1].
    private readonly int _words;
    private readonly int _rowsPerPlane;
    private readonly ulong[] _bits;

    // Per work row (Z in [0, nz], Y in [0, ny]): first vertex id, first triangle.
    private readonly int _workRows;
    private readonly long[] _vertexStart;
    private readonly long[] _triangleStart;

    // Per work plane: the cube case of every active cell, in cell order (count pass writes, generation reads).
    private readonly byte[][] _planeCases;

    // Geometry of the vertex mapping: slice positions and their differences (as VolumeGeometry.SlicePoint computes them).
    private readonly Vector3D[] _slices;
    private readonly Vector3D[] _sliceSteps;

    // Row window of the generation pass: for each parity of (z, y) of a cell row, the case table's triangle corners
    // (TriangleEdges) as offsets in the id window (slot of the edge's row, edge axis, and the edge's x offset in the cell).
    private readonly int _idStride;
    private readonly int[] _cornerOffsets;

    public MarchingCubesEngine(TField field, VolumeGeometry geometry)
    {
        _field = field;
        _geometry = geometry;
        _nx = geometry.SizeX;
        _ny = geometry.SizeY;
        _nz = geometry.SizeZ;
        _stepI = geometry.StepI;
        _stepJ = geometry.StepJ;
        _words = (_nx + 2 + 63) >> 6;
        _rowsPerPlane = _ny + 2;
        // Exact-size scratch, not the shared pool: a pooled 1-bit-per-voxel array would stay parked in the process after
        // the run (issue 10). Every row array entry is written before it is read; of the bits only the padding planes
        // and rows are never written by the classification, so those are cleared.
        _bits = GC.AllocateUninitializedArray<ulong>(checked((int)((long)(_nz + 2) * _rowsPerPlane * _words)));
        _workRows = (_nz + 1) * (_ny + 1);
        _vertexStart = GC.AllocateUninitializedArray<long>(_workRows + 1);
        _triangleStart = GC.AllocateUninitializedArray<long>(_workRows + 1);
        _planeCases = new byte[_nz + 1][];
        _slices = new Vector3D[_nz];
        _sliceSteps = new Vector3D[_nz];
        for (int k = 0; k < _nz; k++)
        {
            _slices[k] = geometry.SlicePositions[k];
            _sliceSteps[k] = k + 1 < _nz ? geometry.SlicePositions[k + 1] - _slices[k] : default;
        }

        _idStride = _nx + 2;
        ReadOnlySpan<byte> edgeAxis = MarchingCubesTables.EdgeAxis;
        ReadOnlySpan<byte> startCorner = MarchingCubesTables.EdgeStartCorner;
        byte[] corners = MarchingCubesTables.TriangleEdges;
        _cornerOffsets = new int[4 * corners.Length];
        Span<int> edgeOffset = stackalloc int[12];
        for (int parity = 0; parity < 4; parity++)
        {
            for (int e = 0; e < 12; e++)
            {
                int c = startCorner[e];
                int slot = (((parity >> 1) + (c >> 2)) & 1) << 1 | (((parity & 1) + ((c >> 1) & 1)) & 1);
                edgeOffset[e] = (((slot * 3) + edgeAxis[e]) * _idStride) + (c & 1);
            }

            for (int i = 0; i < corners.Length; i++)
            {
                _cornerOffsets[(parity * corners.Length) + i] = edgeOffset[corners[i]];
            }
        }
        int plane = _rowsPerPlane * _words;
        _bits.AsSpan(0, plane).Clear();
        _bits.AsSpan((_nz + 1) * plane, plane).Clear();
        for (int z = 1; z <= _nz; z++)
        {
            BitRow(z, 0).Clear();
            BitRow(z, _ny + 1).Clear();
        }
    }

    /// <summary>Meshes the field; an engine runs once, and its scratch is garbage with it.</summary>
    public Mesh Run(MarchingCubesOptions options, CancellationToken cancellationToken)
    {
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism switch
            {
                0 or -1 => -1,
                > 0 and int threads => threads,
                _ => throw new ArgumentOutOfRangeException(
                    nameof(options), options.MaxDegreeOfParallelism, "MaxDegreeOfParallelism must be a positive thread count, or −1 (or 0) for every core."),
            },
            CancellationToken = cancellationToken,
        };
        var progress = new ProgressCounter(options.Progress, (2 * (_nz + 1)) + _nz);

        Parallel.For(0, _nz, parallel, z =>
        {
            ClassifySlice(z);
            progress.Step();
        });

        // Count and generation take runs of consecutive planes, so that the plane (bits, voxels) one shares with the next
        // is still in the cache when the next is processed by the same thread.
        int planes = _nz + 1;
        int chunks = Math.Min(planes, Math.Max(1, Environment.ProcessorCount * 4));
        Parallel.For(0, chunks, parallel, () => new CaseBuffer(), (chunk, _, buffer) =>
        {
            for (int plane = ChunkStart(planes, chunks, chunk); plane < ChunkStart(planes, chunks, chunk + 1); plane++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                CountPlane(plane, buffer);
                progress.Step();
            }

            return buffer;
        }, _ => { });

        long vertexCount = 0, triangleCount = 0;
        for (int r = 0; r < _workRows; r++)
        {
            long v = _vertexStart[r], t = _triangleStart[r];
            _vertexStart[r] = vertexCount;
            _triangleStart[r] = triangleCount;
            vertexCount += v;
            triangleCount += t;
        }

        _vertexStart[_workRows] = vertexCount;
        _triangleStart[_workRows] = triangleCount;
        if (vertexCount > Array.MaxLength || triangleCount * 3 > Array.MaxLength)
        {
            throw new InvalidOperationException(
                $"The mesh would have {vertexCount} vertices and {triangleCount} triangles, more than one managed array holds; mesh the volume in parts.");
        }

        // Every element is written below, so the arrays need no zeroing.
        Vector3[] vertices = GC.AllocateUninitializedArray<Vector3>((int)vertexCount);
        int[] indices = GC.AllocateUninitializedArray<int>((int)(triangleCount * 3));
        bool flip = !_geometry.IsRightHanded;
        Parallel.For(0, chunks, parallel, () => new RowWindow(_idStride), (chunk, _, window) =>
        {
            for (int z = ChunkStart(planes, chunks, chunk); z < ChunkStart(planes, chunks, chunk + 1); z++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                GeneratePlane(z, vertices, indices, flip, window);
                progress.Step();
            }

            return window;
        }, _ => { });

        // Every index was computed from the same counts that sized the vertex array.
        return new Mesh(vertices, indices, trusted: true);
    }

    private static int ChunkStart(int planes, int chunks, int chunk) => (int)((long)planes * chunk / chunks);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<ulong> BitRow(int z, int y) => _bits.AsSpan((int)((((long)z * _rowsPerPlane) + y) * _words), _words);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<ulong> Row(int z, int y) => BitRow(z, y);

    private void ClassifySlice(int z)
    {
        long sliceOffset = (long)z * _nx * _ny;
        for (int y = 0; y < _ny; y++)
        {
            _field.Classify(sliceOffset + ((long)y * _nx), _nx, BitRow(z + 1, y + 1));
        }
    }

    private void CountPlane(int z, CaseBuffer buffer)
    {
        int words = _words;
        int next = 0;
        ReadOnlySpan<byte> counts = MarchingCubesTables.TriangleCounts;
        for (int y = 0; y <= _ny; y++)
        {
            ReadOnlySpan<ulong> r0 = Row(z, y), r1 = Row(z, y + 1), r2 = Row(z + 1, y), r3 = Row(z + 1, y + 1);
            int crossings = 0;
            long triangles = 0;
            for (int w = 0; w < words; w++)
            {
                bool last = w + 1 >= words;
                ulong l0 = r0[w], l1 = r1[w], l2 = r2[w], l3 = r3[w];
                ulong h0 = last ? 0 : r0[w + 1], h1 = last ? 0 : r1[w + 1], h2 = last ? 0 : r2[w + 1], h3 = last ? 0 : r3[w + 1];
                ulong any = l0 | l1 | l2 | l3, all = l0 & l1 & l2 & l3;
                ulong cells = (any | ShiftDown(any, h0 | h1 | h2 | h3)) & ~(all & ShiftDown(all, h0 & h1 & h2 & h3));
                if (cells == 0)
                {
                    // Every cell of the word has eight alike corners, so none of the row's edges here is crossed either:
                    // each lies in one of these cells (the x edge at x and the y and z edges from x are edges of cell x).
                    continue;
                }

                crossings += BitOperations.PopCount(l0 ^ ShiftDown(l0, h0)) + BitOperations.PopCount(l0 ^ l1) + BitOperations.PopCount(l0 ^ l2);
                byte[] cases = buffer.Reserve(next, BitOperations.PopCount(cells));
                do
                {
                    int bit = BitOperations.TrailingZeroCount(cells);
                    cells &= cells - 1;
                    int cube = Pair(l0, h0, bit) | (Pair(l1, h1, bit) << 2) | (Pair(l2, h2, bit) << 4) | (Pair(l3, h3, bit) << 6);
                    cases[next++] = (byte)cube;
                    triangles += counts[cube];
                }
                while (cells != 0);
            }

            int row = (z * (_ny + 1)) + y;
            _vertexStart[row] = crossings;
            _triangleStart[row] = triangles;
        }

        _planeCases[z] = next == 0 ? [] : buffer.Cases.AsSpan(0, next).ToArray();
    }

    /// <summary>Generates the vertices and triangles of work plane z (the cells between lattice planes z and z + 1).</summary>
    /// <remarks>Rows are expanded into the window as the sweep reaches them: both rows of a cell row's lower plane (z)
    /// and upper plane (z + 1). The lower ones also queue their crossings for the vertex positions, since every row owns
    /// its vertices in the plane where it is the lower one; the queue holds consecutive vertex ids and is emitted in
    /// batches.</remarks>
    private void GeneratePlane(int z, Vector3[] vertices, int[] indices, bool flip, RowWindow window)
    {
        var plane = new PlaneVertices(this, z, vertices);
        window.NearSliceCached = window.LastPlane == z - 1;
        window.LastPlane = z;
        ReadOnlySpan<byte> cases = _planeCases[z];
        int nextCase = 0;
        window.Queued = 0;
        window.QueueStart = (int)_vertexStart[z * (_ny + 1)];
        ExpandRow(z, 0, window, true);
        ExpandRow(z + 1, 0, window, false);
        for (int y = 0; y <= _ny; y++)
        {
            if (y + 1 <= _ny)
            {
                if (window.Queued >= RowWindow.FlushAt)
                {
                    plane.Emit(window);
                }

                ExpandRow(z, y + 1, window, true);
                ExpandRow(z + 1, y + 1, window, false);
            }

            int row = (z * (_ny + 1)) + y;
            if (_triangleStart[row] != _triangleStart[row + 1])
            {
                // (A row without triangles has no active cell: every case with corners unalike has triangles.)
                nextCase = EmitTriangles(z, y, (int)(_triangleStart[row] * 3), indices, flip, window, cases, nextCase);
            }
        }

        plane.Emit(window);
    }

    /// <summary>Writes the vertex ids of row (z, y)'s crossed edges into its window slot; when the row is a lower one,
    /// also queues its crossings for their positions.</summary>
    private void ExpandRow(int z, int y, RowWindow window, bool lower)
    {
        if (z > _nz)
        {
            // The outermost padding plane owns no crossed edges (and no row of the count pass).
            return;
        }

        int row = (z * (_ny + 1)) + y;
        int id = (int)_vertexStart[row];
        if (id == (int)_vertexStart[row + 1])
        {
            return;
        }

        int slot = ((z & 1) << 1) | (y & 1);
        ReadOnlySpan<ulong> r = Row(z, y), up = Row(z, y + 1), above = Row(z + 1, y);
        int y0 = y - 1, z0 = z - 1;
        if (lower && (uint)y0 < (uint)_ny && (uint)z0 < (uint)_nz)
        {
            // The queued positions read this row's voxels and those of the next row and slice, when the queue is emitted
            // some rows later: fetch them now, so those reads find them in the cache rather than in memory.
            // Slice z0 was the far slice of the plane before when this thread processed it, and is then cached already.
            long rowStart = (long)_nx * (y0 + ((long)_ny * z0));
            if (!window.NearSliceCached)
            {
                _field.Prefetch(rowStart, _nx);
            }

            _field.Prefetch(rowStart + ((long)_nx * _ny), _nx);
        }
        int[] xEntries = window.XEntries, yEntries = window.YEntries;
        ref int idBase = ref MemoryMarshal.GetArrayDataReference(window.Ids);
        int queued = window.Queued;
        for (int axis = 0; axis < 3; axis++)
        {
            // x < stride for every crossed edge, so the id writes stay in this slot's row.
            ref int ids = ref Unsafe.Add(ref idBase, ((slot * 3) + axis) * _idStride);
            ReadOnlySpan<ulong> other = axis == 1 ? up : above;
            if (!lower)
            {
                for (int w = 0; w < _words; w++)
                {
                    ulong word = r[w];
                    ulong crossed = axis == 0 ? word ^ ShiftDown(word, w + 1 < _words ? r[w + 1] : 0) : word ^ other[w];
                    while (crossed != 0)
                    {
                        Unsafe.Add(ref ids, (w << 6) + BitOperations.TrailingZeroCount(crossed)) = id++;
                        crossed &= crossed - 1;
                    }
                }

                continue;
            }

            // The queue entry's y part: y edges of the first and last rows and x edges at the two ends meet the padding
            // (t = ε); z edges leaving the first or last slice take the scalar form (SlicePoint extrapolates there).
            int yEntry = axis switch
            {
                0 => y << 4,
                1 => (y << 4) | (y0 >= 0 && y0 + 1 < _ny ? 0 : Padding) | 1,
                _ => (y << 4) | (z0 >= 0 && z0 + 1 < _nz ? 0 : ScalarOnly) | 2,
            };
            for (int w = 0; w < _words; w++)
            {
                ulong word = r[w];
                ulong crossed = axis == 0 ? word ^ ShiftDown(word, w + 1 < _words ? r[w + 1] : 0) : word ^ other[w];
                while (crossed != 0)
                {
                    int bit = BitOperations.TrailingZeroCount(crossed);
                    crossed &= crossed - 1;
                    int x = (w << 6) + bit;
                    Unsafe.Add(ref ids, x) = id++;
                    xEntries[queued] = (x << 1) | (int)((word >> bit) & 1);
                    yEntries[queued] = axis == 0 && (uint)(x - 1) >= (uint)(_nx - 1) ? yEntry | Padding : yEntry;
                    queued++;
                }
            }
        }

        window.Queued = queued;
    }

    /// <summary>The vertex positions of one work plane's lower rows: the queue's crossings, four at a time.</summary>
    /// <remarks>Every lane computes what <see cref="VertexPosition"/> computes, operation for operation (no fused multiply-add,
    /// the same order of additions, an added +0 where the scalar form adds 0, t = ε where the edge meets the padding), so
    /// the floats are identical; z edges leaving the first or last slice, and the last few crossings, take the scalar form
    /// itself, as does every crossing without AVX2.</remarks>
    private readonly struct PlaneVertices(MarchingCubesEngine<TField> engine, int z, Vector3[] vertices)
    {
        private readonly Vector3D _slicePoint = engine._geometry.SlicePoint(z - 1);

        public void Emit(RowWindow window)
        {
            int count = window.Queued;
            Span<Vector3> target = vertices.AsSpan(window.QueueStart, count);
            int k = 0;
            if (Avx2.IsSupported)
            {
                k = EmitVectors(window, target);
            }

            for (; k < count; k++)
            {
                target[k] = Scalar(window, k);
            }

            window.QueueStart += count;
            window.Queued = 0;
        }

        private Vector3 Scalar(RowWindow window, int k)
        {
            int xe = window.XEntries[k], ye = window.YEntries[k];
            return engine.VertexPosition(ye & 3, xe >> 1, ye >> 4, z, (xe & 1) != 0, _slicePoint);
        }

        private int EmitVectors(RowWindow window, Span<Vector3> target)
        {
            MarchingCubesEngine<TField> e = engine;
            TField field = e._field;
            int count = window.Queued;
            int[] xEntries = window.XEntries, yEntries = window.YEntries;
            int z0 = z - 1;
            long planeStart = ((long)e._nx * e._ny * z0) - e._nx - 1; // voxel index of padded (x, y) is planeStart + nx · y + x
            long stepY = e._nx, stepZ = (long)e._nx * e._ny;
            Vector256<double> epsilon = Vector256.Create(FieldClassification.Epsilon);
            Vector256<double> oneMinusEpsilon = Vector256.Create(1 - FieldClassification.Epsilon);
            Vector256<double> one = Vector256.Create(1.0);
            Vector256<double> iX = Vector256.Create(e._stepI.X), iY = Vector256.Create(e._stepI.Y), iZ = Vector256.Create(e._stepI.Z);
            Vector256<double> jX = Vector256.Create(e._stepJ.X), jY = Vector256.Create(e._stepJ.Y), jZ = Vector256.Create(e._stepJ.Z);
            Vector256<double> sX = Vector256.Create(_slicePoint.X), sY = Vector256.Create(_slicePoint.Y), sZ = Vector256.Create(_slicePoint.Z);

            // z edges of this plane (when they lie in the volume) start on slice z0: SlicePoint(z0 + along) takes k0 = z0
            // (along < 1), t = (z0 + along) − z0, and gives a + (b − a) · t.
            bool zEdges = z0 >= 0 && z0 + 1 < e._nz;
            Vector3D a = zEdges ? e._slices[z0] : default, d = zEdges ? e._sliceSteps[z0] : default;
            Vector256<double> aX = Vector256.Create(a.X), aY = Vector256.Create(a.Y), aZ = Vector256.Create(a.Z);
            Vector256<double> dX = Vector256.Create(d.X), dY = Vector256.Create(d.Y), dZ = Vector256.Create(d.Z);
            Vector256<double> zd = Vector256.Create((double)z0);
            Vector128<int> oneInt = Vector128.Create(1), three = Vector128.Create(3), scalarOnly = Vector128.Create(ScalarOnly);
            Vector128<int> padding = Vector128.Create(Padding);
            Vector256<float> zLanes = Vector256.Create(0, 0, -1, 0, 0, -1, 0, 0).AsSingle();
            Vector128<float> zTail = Vector128.Create(-1, 0, 0, -1).AsSingle();
            int k = 0;
            for (; k + 4 <= count; k += 4)
            {
                Vector128<int> xe = Vector128.LoadUnsafe(ref xEntries[k]);
                Vector128<int> ye = Vector128.LoadUnsafe(ref yEntries[k]);
                if ((ye & scalarOnly) != Vector128<int>.Zero)
                {
                    for (int l = k; l < k + 4; l++)
                    {
                        target[l] = Scalar(window, l);
                    }

                    continue;
                }

                (long s0, long e0) = Ends(planeStart, stepY, stepZ, xEntries[k], yEntries[k]);
                (long s1, long e1) = Ends(planeStart, stepY, stepZ, xEntries[k + 1], yEntries[k + 1]);
                (long s2, long e2) = Ends(planeStart, stepY, stepZ, xEntries[k + 2], yEntries[k + 2]);
                (long s3, long e3) = Ends(planeStart, stepY, stepZ, xEntries[k + 3], yEntries[k + 3]);
                // Each index is an end point's voxel (an edge in the volume) or 0 (an edge meeting the padding).
                Vector256<double> start = field.Values(s0, s1, s2, s3);
                Vector256<double> end = field.Values(e0, e1, e2, e3);
                Vector256<double> startInside = Avx2.ConvertToVector256Int64(Vector128<int>.Zero - (xe & oneInt)).AsDouble();
                Vector128<int> axis = ye & three;
                Vector256<double> isX = Avx2.ConvertToVector256Int64(Vector128.Equals(axis, Vector128<int>.Zero)).AsDouble();
                Vector256<double> isY = Avx2.ConvertToVector256Int64(Vector128.Equals(axis, oneInt)).AsDouble();
                Vector256<double> isZ = Avx2.ConvertToVector256Int64(Vector128.Equals(axis, Vector128.Create(2))).AsDouble();
                Vector256<double> x0 = Avx.ConvertToVector256Double(Vector128.ShiftRightArithmetic(xe, 1) - oneInt);
                Vector256<double> y0 = Avx.ConvertToVector256Double(Vector128.ShiftRightArithmetic(ye, 4) - oneInt);
                Vector256<double> padded = Avx2.ConvertToVector256Int64(Vector128.Equals(ye & padding, padding)).AsDouble();

                Vector256<double> t = field.Crossing(Vector256.ConditionalSelect(startInside, start, end), Vector256.ConditionalSelect(startInside, end, start));
                t = Vector256.ConditionalSelect(
                    Vector256.GreaterThan(t, epsilon),
                    Vector256.ConditionalSelect(Vector256.LessThan(t, oneMinusEpsilon), t, oneMinusEpsilon),
                    epsilon);
                t = Vector256.ConditionalSelect(padded, epsilon, t);
                Vector256<double> along = Vector256.ConditionalSelect(startInside, t, one - t);

                // i = x0 + (along or 0), j = y0 + (along or 0): +0.0 where the scalar form adds 0.
                Vector256<double> i = x0 + (along & isX);
                Vector256<double> j = y0 + (along & isY);
                Vector256<double> f = (zd + along) - zd;
                Vector256<double> oX = Vector256.ConditionalSelect(isZ, aX + (dX * f), sX);
                Vector256<double> oY = Vector256.ConditionalSelect(isZ, aY + (dY * f), sY);
                Vector256<double> oZ = Vector256.ConditionalSelect(isZ, aZ + (dZ * f), sZ);
                Vector256<double> px = (oX + (iX * i)) + (jX * j);
                Vector256<double> py = (oY + (iY * i)) + (jY * j);
                Vector256<double> pz = (oZ + (iZ * i)) + (jZ * j);

                // To float, and interleaved as four (x, y, z): x0 y0 z0 x1 y1 z1 x2 y2 | z2 x3 y3 z3.
                Vector256<float> xy = Vector256.Narrow(px, py);
                Vector256<float> zz = Vector256.Narrow(pz, pz);
                Vector256<float> head = Vector256.ConditionalSelect(
                    zLanes,
                    Vector256.Shuffle(zz, Vector256.Create(0, 0, 0, 0, 0, 1, 0, 0)),
                    Vector256.Shuffle(xy, Vector256.Create(0, 4, 0, 1, 5, 0, 2, 6)));
                Vector128<float> tail = Vector128.ConditionalSelect(
                    zTail,
                    Vector256.Shuffle(zz, Vector256.Create(2, 0, 0, 3, 0, 0, 0, 0)).GetLower(),
                    Vector256.Shuffle(xy, Vector256.Create(0, 3, 7, 0, 0, 0, 0, 0)).GetLower());
                ref float floats = ref Unsafe.As<Vector3, float>(ref target[k]); // target[k + 3] exists: k + 4 ≤ count
                head.StoreUnsafe(ref floats);
                tail.StoreUnsafe(ref floats, 8);
            }

            return k;
        }

        /// <summary>Voxel indices of a queued edge's two end points; voxel 0 for both when the edge meets the padding (its
        /// values are then not used, and its end points need not lie in the volume).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static (long Start, long End) Ends(long planeStart, long stepY, long stepZ, int xEntry, int yEntry)
        {
            long start = planeStart + (stepY * (yEntry >> 4)) + (xEntry >> 1);
            long step = (yEntry & 3) switch { 0 => 1, 1 => stepY, _ => stepZ };
            long keep = ((yEntry >> 2) & 1) - 1L; // 0 on the padding, all ones otherwise
            return (start & keep, (start + step) & keep);
        }
    }

    /// <summary>Position of the vertex on the lattice edge from padded point (x, y, z) along an axis.</summary>
    /// <remarks>Computes exactly what <see cref="VolumeGeometry.IndexToPatient"/> computes, with the slice point of
    /// x- and y-edges (an integer slice index) hoisted out of the loop.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector3 VertexPosition(int axis, int px, int py, int pz, bool startInside, Vector3D slicePoint)
    {
        // Volume indices of the two end points.
        int x0 = px - 1, y0 = py - 1, z0 = pz - 1;
        int x1 = x0 + (axis == 0 ? 1 : 0), y1 = y0 + (axis == 1 ? 1 : 0), z1 = z0 + (axis == 2 ? 1 : 0);
        double t;
        if (!InVolume(x1, y1, z1) || !InVolume(x0, y0, z0))
        {
            t = FieldClassification.Epsilon;
        }
        else
        {
            long a = Index(x0, y0, z0), b = Index(x1, y1, z1);
            t = FieldClassification.Clamp(startInside ? _field.Crossing(a, b) : _field.Crossing(b, a));
        }

        double along = startInside ? t : 1 - t;
        double i = x0 + (axis == 0 ? along : 0);
        double j = y0 + (axis == 1 ? along : 0);
        Vector3D origin = axis == 2 ? _geometry.SlicePoint(z0 + along) : slicePoint;
        Vector3D p = origin + (_stepI * i) + (_stepJ * j);
        return new Vector3((float)p.X, (float)p.Y, (float)p.Z);
    }

    /// <summary>Writes the triangles of cell row (z, y) from the window's vertex ids; returns the next unread case.</summary>
    private int EmitTriangles(int z, int y, int next, int[] indices, bool flip, RowWindow window, ReadOnlySpan<byte> cases, int nextCase)
    {
        ReadOnlySpan<ulong> r0 = Row(z, y), r1 = Row(z, y + 1), r2 = Row(z + 1, y), r3 = Row(z + 1, y + 1);
        ref int caseOffsets = ref MemoryMarshal.GetArrayDataReference(MarchingCubesTables.CaseOffsets);
        int tableLength = MarchingCubesTables.TriangleEdges.Length;
        ref int corners = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_cornerOffsets), ((((z & 1) << 1) | (y & 1)) * tableLength));
        ref int ids = ref MemoryMarshal.GetArrayDataReference(window.Ids);
        ref int output = ref MemoryMarshal.GetArrayDataReference(indices);
        int second = flip ? 2 : 1, third = flip ? 1 : 2;
        for (int w = 0; w < _words; w++)
        {
            ulong active = ActiveCells(r0, r1, r2, r3, w);
            while (active != 0)
            {
                int x = (w << 6) + BitOperations.TrailingZeroCount(active);
                active &= active - 1;
                int cube = cases[nextCase++];
                int end = Unsafe.Add(ref caseOffsets, cube + 1); // cube < 256, CaseOffsets has 257 entries
                for (int e = Unsafe.Add(ref caseOffsets, cube); e < end; e += 3)
                {
                    // e + 2 < the table's length; the offsets address this window's rows and x + 1 ≤ nx + 1 < stride, so the
                    // reads stay inside it; next + 2 < 3 · triangles, as counted.
                    int a = Unsafe.Add(ref ids, Unsafe.Add(ref corners, e) + x);
                    int b = Unsafe.Add(ref ids, Unsafe.Add(ref corners, e + 1) + x);
                    int c = Unsafe.Add(ref ids, Unsafe.Add(ref corners, e + 2) + x);
                    Unsafe.Add(ref output, next) = a;
                    Unsafe.Add(ref output, next + second) = b;
                    Unsafe.Add(ref output, next + third) = c;
                    next += 3;
                }
            }
        }

        return nextCase;
    }

    /// <summary>Bits b and b + 1 of a row whose word w is <paramref name="low"/> and word w + 1 <paramref name="high"/>, as the two low bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Pair(ulong low, ulong high, int bit) => (int)((low >> bit) | ((high << 1) << ~bit)) & 3;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ShiftDown(ulong word, ulong nextWord) => (word >> 1) | (nextWord << 63);

    /// <summary>Cells of word w whose eight corners are not all alike.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ActiveCells(ReadOnlySpan<ulong> r0, ReadOnlySpan<ulong> r1, ReadOnlySpan<ulong> r2, ReadOnlySpan<ulong> r3, int w)
    {
        ulong any = r0[w] | r1[w] | r2[w] | r3[w];
        ulong all = r0[w] & r1[w] & r2[w] & r3[w];
        bool last = w + 1 >= r0.Length;
        ulong anyNext = last ? 0 : r0[w + 1] | r1[w + 1] | r2[w + 1] | r3[w + 1];
        ulong allNext = last ? 0 : r0[w + 1] & r1[w + 1] & r2[w + 1] & r3[w + 1];
        return (any | ShiftDown(any, anyNext)) & ~(all & ShiftDown(all, allNext));
    }

    private bool InVolume(int x, int y, int z) => (uint)x < (uint)_nx && (uint)y < (uint)_ny && (uint)z < (uint)_nz;

    private long Index(int x, int y, int z) => x + ((long)_nx * (y + ((long)_ny * z)));

    // Queue entry flags (the y part): the edge meets the padding (t = ε); the edge takes the scalar form.
    private const int Padding = 4;
    private const int ScalarOnly = 8;

    /// <summary>Per-thread buffer of the count pass: one plane's cases, copied out at the plane's end at their exact size.</summary>
    private sealed class CaseBuffer
    {
        public byte[] Cases { get; private set; } = new byte[4096];

        /// <summary>The buffer, grown (keeping its first <paramref name="used"/> bytes) to hold <paramref name="more"/> more.</summary>
        public byte[] Reserve(int used, int more)
        {
            if (used + more > Cases.Length)
            {
                byte[] larger = new byte[Math.Max(used + more, 2 * Cases.Length)];
                Cases.AsSpan(0, used).CopyTo(larger);
                Cases = larger;
            }

            return Cases;
        }
    }

    /// <summary>Per-thread window of the generation sweep: vertex ids of 4 rows × 3 edge axes, by padded x, and the queue of
    /// crossings whose positions are still to be computed (padded x · 2 + start inside; padded y · 16 + the flags
    /// <see cref="Padding"/> and <see cref="ScalarOnly"/> + axis), holding the consecutive vertex ids from <see cref="QueueStart"/>.</summary>
    private sealed class RowWindow(int stride)
    {
        /// <summary>Queue length from which it is emitted before the next row is queued; a row adds at most 3 · stride.</summary>
        public const int FlushAt = 1024;

        public int[] Ids { get; } = new int[4 * 3 * stride];

        public int[] XEntries { get; } = new int[FlushAt + (3 * stride)];

        public int[] YEntries { get; } = new int[FlushAt + (3 * stride)];

        public int Queued { get; set; }

        public int QueueStart { get; set; }

        /// <summary>The last plane this window generated (−2 before the first), and whether the current plane's lower
        /// slice was the upper slice of that plane (and so was fetched into the cache then).</summary>
        public int LastPlane { get; set; } = -2;

        public bool NearSliceCached { get; set; }
    }

    /// <summary>Reports progress at most every 1% so that reporting stays off the hot path.</summary>
    private sealed class ProgressCounter(IProgress<double>? progress, int total)
    {
        private int _done;
        private int _lastPercent = -1;

        public void Step()
        {
            if (progress is null)
            {
                return;
            }

            int done = Interlocked.Increment(ref _done);
            int percent = (int)(100L * done / Math.Max(total, 1));
            int last = Volatile.Read(ref _lastPercent);
            if (percent > last && Interlocked.CompareExchange(ref _lastPercent, percent, last) == last)
            {
                progress.Report(percent / 100.0);
            }
        }
    }
}
