using System.Numerics;
using System.Runtime.CompilerServices;
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
        _words = (_nx + 2 + 63) >> 6;
        _rowsPerPlane = _ny + 2;
        _bits = new ulong[(long)(_nz + 2) * _rowsPerPlane * _words];
        _workRows = (_nz + 1) * (_ny + 1);
        _vertexStart = new long[_workRows + 1];
        _xCount = new int[_workRows];
        _yCount = new int[_workRows];
        _triangleStart = new long[_workRows + 1];
    }

    public Mesh Run(MarchingCubesOptions options, CancellationToken cancellationToken)
    {
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
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

        var vertices = new Vector3[vertexCount];
        var indices = new int[triangleCount * 3];
        bool flip = !_geometry.IsRightHanded;
        Parallel.For(0, _nz + 1, parallel, () => new GenerateScratch(_words), (plane, _, scratch) =>
        {
            GeneratePlane(plane, vertices, indices, flip, scratch);
            progress.Step();
            return scratch;
        }, _ => { });

        return new Mesh(vertices, indices);
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

    private void GeneratePlane(int z, Vector3[] vertices, int[] indices, bool flip, GenerateScratch s)
    {
        for (int y = 0; y <= _ny; y++)
        {
            int row = (z * (_ny + 1)) + y;
            EmitVertices(z, y, (int)_vertexStart[row], vertices);
            EmitTriangles(z, y, (int)(_triangleStart[row] * 3), indices, flip, s);
        }
    }

    private void EmitVertices(int z, int y, int next, Vector3[] vertices)
    {
        ReadOnlySpan<ulong> r0 = Row(z, y), r1 = Row(z, y + 1), r2 = Row(z + 1, y);
        for (int axis = 0; axis < 3; axis++)
        {
            for (int w = 0; w < _words; w++)
            {
                ulong crossed = axis switch
                {
                    0 => r0[w] ^ ShiftDown(r0[w], w + 1 < _words ? r0[w + 1] : 0),
                    1 => r0[w] ^ r1[w],
                    _ => r0[w] ^ r2[w],
                };
                while (crossed != 0)
                {
                    int x = (w << 6) + BitOperations.TrailingZeroCount(crossed);
                    crossed &= crossed - 1;
                    vertices[next++] = VertexPosition(axis, x, y, z, Bit(r0, x));
                }
            }
        }
    }

    /// <summary>Position of the vertex on the lattice edge from padded point (x, y, z) along an axis.</summary>
    private Vector3 VertexPosition(int axis, int px, int py, int pz, bool startInside)
    {
        // Volume indices of the two end points.
        int x0 = px - 1, y0 = py - 1, z0 = pz - 1;
        int x1 = x0 + (axis == 0 ? 1 : 0), y1 = y0 + (axis == 1 ? 1 : 0), z1 = z0 + (axis == 2 ? 1 : 0);
        bool endInVolume = InVolume(x1, y1, z1) && InVolume(x0, y0, z0);
        double t;
        if (!endInVolume)
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
        double k = z0 + (axis == 2 ? along : 0);
        Vector3D p = _geometry.IndexToPatient(i, j, k);
        return new Vector3((float)p.X, (float)p.Y, (float)p.Z);
    }

    private void EmitTriangles(int z, int y, int next, int[] indices, bool flip, GenerateScratch s)
    {
        ReadOnlySpan<ulong> r0 = Row(z, y), r1 = Row(z, y + 1), r2 = Row(z + 1, y), r3 = Row(z + 1, y + 1);
        bool prepared = false;
        ReadOnlySpan<int> offsets = MarchingCubesTables.CaseOffsets;
        ReadOnlySpan<byte> edges = MarchingCubesTables.TriangleEdges;
        for (int w = 0; w < _words; w++)
        {
            ulong active = ActiveCells(r0, r1, r2, r3, w);
            if (active == 0)
            {
                continue;
            }

            if (!prepared)
            {
                PrepareEdgeRanks(z, y, s);
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
                    int a = s.VertexId(edges[e], x);
                    int b = s.VertexId(edges[e + 1], x);
                    int c = s.VertexId(edges[e + 2], x);
                    indices[next] = a;
                    indices[next + 1] = flip ? c : b;
                    indices[next + 2] = flip ? b : c;
                    next += 3;
                }
            }
        }
    }

    /// <summary>Prepares, for the 12 edges of the cells of row (z, y), the crossing masks and their rank prefixes.</summary>
    private void PrepareEdgeRanks(int z, int y, GenerateScratch s)
    {
        ReadOnlySpan<byte> axis = MarchingCubesTables.EdgeAxis;
        ReadOnlySpan<byte> startCorner = MarchingCubesTables.EdgeStartCorner;
        for (int e = 0; e < 12; e++)
        {
            int c = startCorner[e];
            int dy = (c >> 1) & 1, dz = c >> 2;
            int pz = z + dz, py = y + dy;
            s.XOffset[e] = c & 1;
            Span<ulong> mask = s.Masks.AsSpan(e * _words, _words);
            Span<int> prefix = s.Prefix.AsSpan(e * _words, _words);
            if (pz > _nz || py > _ny)
            {
                // Edges starting on the outermost padding plane or row are never crossed.
                mask.Clear();
                prefix.Clear();
                continue;
            }

            int row = (pz * (_ny + 1)) + py;
            ReadOnlySpan<ulong> r = Row(pz, py);
            long baseId = _vertexStart[row];
            switch (axis[e])
            {
                case 0:
                    for (int w = 0; w < _words; w++)
                    {
                        mask[w] = r[w] ^ ShiftDown(r[w], w + 1 < _words ? r[w + 1] : 0);
                    }

                    break;
                case 1:
                    baseId += _xCount[row];
                    ReadOnlySpan<ulong> up = Row(pz, py + 1);
                    for (int w = 0; w < _words; w++)
                    {
                        mask[w] = r[w] ^ up[w];
                    }

                    break;
                default:
                    baseId += _xCount[row] + _yCount[row];
                    ReadOnlySpan<ulong> above = Row(pz + 1, py);
                    for (int w = 0; w < _words; w++)
                    {
                        mask[w] = r[w] ^ above[w];
                    }

                    break;
            }

            int running = (int)baseId;
            for (int w = 0; w < _words; w++)
            {
                prefix[w] = running;
                running += BitOperations.PopCount(mask[w]);
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

    /// <summary>Per-thread scratch for generation: the crossing masks and rank prefixes of the 12 cell edges of a row.</summary>
    private sealed class GenerateScratch
    {
        private readonly int _words;

        public GenerateScratch(int words)
        {
            _words = words;
            Masks = new ulong[12 * words];
            Prefix = new int[12 * words];
            XOffset = new int[12];
        }

        public ulong[] Masks { get; }

        public int[] Prefix { get; }

        public int[] XOffset { get; }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int VertexId(int edge, int cellX)
        {
            int x = cellX + XOffset[edge];
            int index = (edge * _words) + (x >> 6);
            ulong below = Masks[index] & ((1UL << (x & 63)) - 1);
            return Prefix[index] + BitOperations.PopCount(below);
        }
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
