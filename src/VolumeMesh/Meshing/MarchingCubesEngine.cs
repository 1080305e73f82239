using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using VolumeMesh.Geometry;

namespace VolumeMesh.Meshing;

/// <summary>
/// The managed marching-cubes engine: bit-packed inside classification, two passes (count, then generate) over
/// planes in parallel, with every vertex and triangle placed at a globally determined index, so the output is
/// identical for any thread count. The contract it implements is in docs/marching-cubes-contract.md.
/// </summary>
/// <remarks>
/// Working memory: one bit per voxel for the inside classification and a few integers per row; vertex ids
/// are computed from the bit rows by population count, never stored per voxel.
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

    // Per work row (Z in [0, nz], Y in [0, ny]): first vertex id, x- and y-edge crossing counts, first triangle.
    private readonly int _workRows;
    private readonly long[] _vertexStart;
    private readonly int[] _xCount;
    private readonly int[] _yCount;
    private readonly long[] _triangleStart;

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
        _xCount = GC.AllocateUninitializedArray<int>(_workRows);
        _yCount = GC.AllocateUninitializedArray<int>(_workRows);
        _triangleStart = GC.AllocateUninitializedArray<long>(_workRows + 1);
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

        Parallel.For(0, _nz, parallel, () => new ulong[_words], (z, _, scratch) =>
        {
            ClassifySlice(z, scratch);
            progress.Step();
            return scratch;
        }, _ => { });

        Parallel.For(0, _nz + 1, parallel, plane =>
        {
            CountPlane(plane);
            progress.Step();
        });

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
        int planes = _nz + 1;
        int chunks = Math.Min(planes, Math.Max(1, Environment.ProcessorCount * 4));
        Parallel.For(0, chunks, parallel, () => new PlaneEdges(_ny, _words), (chunk, _, edges) =>
        {
            GenerateChunk((int)((long)planes * chunk / chunks), (int)((long)planes * (chunk + 1) / chunks), vertices, indices, flip, edges, progress, cancellationToken);
            return edges;
        }, _ => { });

        // Every index was computed from the same counts that sized the vertex array.
        return new Mesh(vertices, indices, trusted: true);
    }

    private Span<ulong> BitRow(int z, int y) => _bits.AsSpan((int)((((long)z * _rowsPerPlane) + y) * _words), _words);

    private ReadOnlySpan<ulong> Row(int z, int y) => BitRow(z, y);

    private void ClassifySlice(int z, ulong[] scratch)
    {
        long sliceOffset = (long)z * _nx * _ny;
        for (int y = 0; y < _ny; y++)
        {
            _field.Classify(sliceOffset + ((long)y * _nx), _nx, scratch);

            // Shift by one bit into the padded row: bit X = x + 1.
            Span<ulong> target = BitRow(z + 1, y + 1);
            ulong carry = 0;
            for (int w = 0; w < _words; w++)
            {
                ulong word = w < scratch.Length ? scratch[w] : 0;
                target[w] = (word << 1) | carry;
                carry = word >> 63;
            }
        }
    }

    private void CountPlane(int z)
    {
        for (int y = 0; y <= _ny; y++)
        {
            ReadOnlySpan<ulong> r0 = Row(z, y), r1 = Row(z, y + 1), r2 = Row(z + 1, y), r3 = Row(z + 1, y + 1);
            int cx = 0, cy = 0, cz = 0;
            long triangles = 0;
            ReadOnlySpan<byte> counts = MarchingCubesTables.TriangleCounts;
            for (int w = 0; w < _words; w++)
            {
                ulong next0 = w + 1 < _words ? r0[w + 1] : 0;
                cx += BitOperations.PopCount(r0[w] ^ ShiftDown(r0[w], next0));
                cy += BitOperations.PopCount(r0[w] ^ r1[w]);
                cz += BitOperations.PopCount(r0[w] ^ r2[w]);
                ulong active = ActiveCells(r0, r1, r2, r3, w);
                while (active != 0)
                {
                    int bit = BitOperations.TrailingZeroCount(active);
                    active &= active - 1;
                    triangles += counts[CubeCase(r0, r1, r2, r3, (w << 6) + bit)];
                }
            }

            int row = (z * (_ny + 1)) + y;
            _xCount[row] = cx;
            _yCount[row] = cy;
            _vertexStart[row] = cx + cy + cz;
            _triangleStart[row] = triangles;
        }
    }

    /// <summary>Generates the vertices and triangles of planes [first, last) with a sliding window of two planes' edge ranks.</summary>
    private void GenerateChunk(int first, int last, Vector3[] vertices, int[] indices, bool flip, PlaneEdges edges, ProgressCounter progress, CancellationToken cancellationToken)
    {
        edges.Build(this, first);
        for (int z = first; z < last; z++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            edges.Build(this, z + 1);
            Vector3D slicePoint = _geometry.SlicePoint(z - 1);
            for (int y = 0; y <= _ny; y++)
            {
                int row = (z * (_ny + 1)) + y;
                EmitVertices(z, y, (int)_vertexStart[row], vertices, edges, slicePoint);
                EmitTriangles(z, y, (int)(_triangleStart[row] * 3), indices, flip, edges);
            }

            progress.Step();
        }
    }

    private void EmitVertices(int z, int y, int next, Vector3[] vertices, PlaneEdges edges, Vector3D slicePoint)
    {
        ReadOnlySpan<ulong> r0 = Row(z, y);
        for (int axis = 0; axis < 3; axis++)
        {
            ReadOnlySpan<ulong> crossedRow = edges.Mask(z, y, axis);
            for (int w = 0; w < _words; w++)
            {
                ulong crossed = crossedRow[w];
                while (crossed != 0)
                {
                    int x = (w << 6) + BitOperations.TrailingZeroCount(crossed);
                    crossed &= crossed - 1;
                    vertices[next++] = VertexPosition(axis, x, y, z, Bit(r0, x), slicePoint);
                }
            }
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

    private void EmitTriangles(int z, int y, int next, int[] indices, bool flip, PlaneEdges edges)
    {
        ReadOnlySpan<ulong> r0 = Row(z, y), r1 = Row(z, y + 1), r2 = Row(z + 1, y), r3 = Row(z + 1, y + 1);
        ReadOnlySpan<int> offsets = MarchingCubesTables.CaseOffsets;
        ReadOnlySpan<byte> table = MarchingCubesTables.TriangleEdges;
        Span<int> edgeOffset = stackalloc int[12];
        bool prepared = false;
        for (int w = 0; w < _words; w++)
        {
            ulong active = ActiveCells(r0, r1, r2, r3, w);
            if (active == 0)
            {
                continue;
            }

            if (!prepared)
            {
                edges.CellRowOffsets(z, y, edgeOffset);
                prepared = true;
            }

            while (active != 0)
            {
                int x = (w << 6) + BitOperations.TrailingZeroCount(active);
                active &= active - 1;
                int cube = CubeCase(r0, r1, r2, r3, x);
                int end = offsets[cube + 1];
                for (int e = offsets[cube]; e < end; e += 3)
                {
                    int a = edges.VertexId(edgeOffset, table[e], x);
                    int b = edges.VertexId(edgeOffset, table[e + 1], x);
                    int c = edges.VertexId(edgeOffset, table[e + 2], x);
                    indices[next] = a;
                    indices[next + 1] = flip ? c : b;
                    indices[next + 2] = flip ? b : c;
                    next += 3;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ShiftDown(ulong word, ulong nextWord) => (word >> 1) | (nextWord << 63);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Bit(ReadOnlySpan<ulong> row, int x) => ((row[x >> 6] >> (x & 63)) & 1) != 0;

    /// <summary>Bits x and x + 1 of a row, as the two low bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Pair(ReadOnlySpan<ulong> row, int x)
    {
        int w = x >> 6, b = x & 63;
        ulong v = row[w] >> b;
        if (b == 63 && w + 1 < row.Length)
        {
            v |= row[w + 1] << 1;
        }

        return (int)(v & 3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CubeCase(ReadOnlySpan<ulong> r0, ReadOnlySpan<ulong> r1, ReadOnlySpan<ulong> r2, ReadOnlySpan<ulong> r3, int x) =>
        Pair(r0, x) | (Pair(r1, x) << 2) | (Pair(r2, x) << 4) | (Pair(r3, x) << 6);

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

    /// <summary>
    /// Per-thread window over two planes: for every row and edge kind (x, y, z), the crossed-edge mask and, per
    /// 64-bit word, the global id of the first vertex in that word. Vertex ids follow by population count.
    /// </summary>
    private sealed class PlaneEdges
    {
        private readonly int _rows;
        private readonly int _words;
        private readonly ulong[] _masks;
        private readonly int[] _prefix;

        public PlaneEdges(int ny, int words)
        {
            _rows = ny + 2;
            _words = words;
            _masks = new ulong[2 * _rows * 3 * words];
            _prefix = new int[2 * _rows * 3 * words];
        }

        public ReadOnlySpan<ulong> Mask(int z, int y, int axis) => _masks.AsSpan(Offset(z, y, axis), _words);

        /// <summary>Computes plane z's masks and ranks into its slot.</summary>
        public void Build(MarchingCubesEngine<TField> engine, int z)
        {
            int words = _words;
            for (int y = 0; y < _rows; y++)
            {
                int offset = Offset(z, y, 0);
                Span<ulong> masks = _masks.AsSpan(offset, 3 * words);
                Span<int> prefix = _prefix.AsSpan(offset, 3 * words);
                if (z > engine._nz || y > engine._ny)
                {
                    // The outermost padding plane and row own no crossed edges.
                    masks.Clear();
                    prefix.Clear();
                    continue;
                }

                ReadOnlySpan<ulong> r = engine.Row(z, y), up = engine.Row(z, y + 1), above = engine.Row(z + 1, y);
                for (int w = 0; w < words; w++)
                {
                    masks[w] = r[w] ^ ShiftDown(r[w], w + 1 < words ? r[w + 1] : 0);
                    masks[words + w] = r[w] ^ up[w];
                    masks[(2 * words) + w] = r[w] ^ above[w];
                }

                int running = (int)engine._vertexStart[(z * (engine._ny + 1)) + y];
                for (int w = 0; w < 3 * words; w++)
                {
                    prefix[w] = running;
                    running += BitOperations.PopCount(masks[w]);
                }
            }
        }

        /// <summary>For the 12 edges of the cells of row (z, y): the offset of the mask row holding each edge.</summary>
        public void CellRowOffsets(int z, int y, Span<int> offsets)
        {
            ReadOnlySpan<byte> axis = MarchingCubesTables.EdgeAxis;
            ReadOnlySpan<byte> startCorner = MarchingCubesTables.EdgeStartCorner;
            for (int e = 0; e < 12; e++)
            {
                int c = startCorner[e];
                offsets[e] = Offset(z + (c >> 2), y + ((c >> 1) & 1), axis[e]);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int VertexId(ReadOnlySpan<int> rowOffsets, int edge, int cellX)
        {
            // edge < 12 and the offsets address rows of this window, so the reads stay inside the arrays.
            int x = cellX + (Unsafe.Add(ref MemoryMarshal.GetReference(MarchingCubesTables.EdgeStartCorner), edge) & 1);
            int index = Unsafe.Add(ref MemoryMarshal.GetReference(rowOffsets), edge) + (x >> 6);
            ulong below = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_masks), index) & ((1UL << (x & 63)) - 1);
            return Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_prefix), index) + BitOperations.PopCount(below);
        }

        private int Offset(int z, int y, int axis) => ((((((z & 1) * _rows) + y) * 3) + axis) * _words);
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
