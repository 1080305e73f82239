using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;
using VolumeMesh.Compute.Kernels;
using VolumeMesh.Geometry;
using VolumeMesh.Meshing;

namespace VolumeMesh.Compute;

/// <summary>One marching-cubes run on an ILGPU backend, slab by slab. The caller holds the backend's lock.</summary>
/// <typeparam name="T">The voxel type.</typeparam>
/// <typeparam name="TReader">Its device reader.</typeparam>
internal sealed class SlabRun<T, TReader>
    where T : unmanaged
    where TReader : struct, IVoxelReader<T>
{
    private readonly IlgpuBackend _backend;
    private readonly VolumeGeometry _geometry;
    private readonly InsideTest _test;
    private readonly int _slabPlanes;
    private readonly GpuRunStatistics? _statistics;
    private readonly int _nx;
    private readonly int _ny;
    private readonly int _nz;
    private readonly int _cellsX;
    private readonly int _rows;
    private readonly int _wordsPerRow;
    private readonly int _pointWordsPerRow;
    private readonly long _sliceVoxels;

    private readonly Action<AcceleratorStream, Index1D, LaunchParams, SlabParams, ArrayView<T>, ArrayView<uint>> _classify;
    private readonly Action<AcceleratorStream, Index1D, LaunchParams, SlabParams, ArrayView<byte>, ArrayView<uint>, ArrayView<uint>, ArrayView<int>, ArrayView<int>, ArrayView<int>> _count;
    private readonly Action<AcceleratorStream, Index1D, SlabParams, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>> _totals;
    private readonly Action<AcceleratorStream, Index1D, LaunchParams, ArrayView<int>, ArrayView<int>, ArrayView<int>> _compact;
    private readonly Action<AcceleratorStream, Index1D, LaunchParams, SlabParams, GeometryParams, ArrayView<T>, ArrayView<byte>, ArrayView<uint>, ArrayView<uint>, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<double>, ArrayView<float>, ArrayView<int>> _generate;

    public SlabRun(IlgpuBackend backend, VolumeGeometry geometry, InsideTest test, int slabPlanes, GpuRunStatistics? statistics)
    {
        _backend = backend;
        _geometry = geometry;
        _test = test;
        _slabPlanes = slabPlanes;
        _statistics = statistics;
        _nx = geometry.SizeX;
        _ny = geometry.SizeY;
        _nz = geometry.SizeZ;
        _cellsX = _nx + 1;
        _rows = _ny + 1;
        _wordsPerRow = (_cellsX + 31) / 32;
        _pointWordsPerRow = (_nx + 2 + 31) / 32;
        _sliceVoxels = (long)_nx * _ny;

        Type type = typeof(T);
        _classify = backend.Kernel(type, "mc-classify-points", a => a.LoadAutoGroupedKernel<Index1D, LaunchParams, SlabParams, ArrayView<T>, ArrayView<uint>>(
            MarchingCubesKernels.ClassifyPoints<T, TReader>));
        _count = backend.Kernel(typeof(void), "mc-count-bits", a => a.LoadAutoGroupedKernel<Index1D, LaunchParams, SlabParams, ArrayView<byte>, ArrayView<uint>, ArrayView<uint>, ArrayView<int>, ArrayView<int>, ArrayView<int>>(
            MarchingCubesKernels.CountWords));
        _totals = backend.Kernel(typeof(void), "mc-totals", a => a.LoadAutoGroupedKernel<Index1D, SlabParams, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>>(
            MarchingCubesKernels.Totals));
        _compact = backend.Kernel(typeof(void), "mc-compact", a => a.LoadAutoGroupedKernel<Index1D, LaunchParams, ArrayView<int>, ArrayView<int>, ArrayView<int>>(
            MarchingCubesKernels.CompactWords));
        _generate = backend.Kernel(type, "mc-generate-bits", a => a.LoadAutoGroupedKernel<Index1D, LaunchParams, SlabParams, GeometryParams, ArrayView<T>, ArrayView<byte>, ArrayView<uint>, ArrayView<uint>, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<double>, ArrayView<float>, ArrayView<int>>(
            MarchingCubesKernels.Generate<T, TReader>));
    }

    /// <summary>Meshes host voxels: each slab is uploaded, meshed and its output downloaded.</summary>
    public Mesh Mesh(T[] voxels, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var output = new HostOutput();
        ForEachSlab(voxels, default, download: true, output, progress, cancellationToken);
        return output.ToMesh();
    }

    /// <summary>Meshes voxels already on the device (nothing uploaded) and downloads the mesh.</summary>
    public Mesh MeshFromDevice(ArrayView<T> deviceVoxels, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var output = new HostOutput();
        ForEachSlab(null, deviceVoxels, download: true, output, progress, cancellationToken);
        return output.ToMesh();
    }

    /// <summary>Meshes voxels already on the device, leaving the output there; returns (vertices, triangles). For benchmarks.</summary>
    public (long Vertices, long Triangles) MeshResident(ArrayView<T> deviceVoxels, CancellationToken cancellationToken)
    {
        var output = new HostOutput();
        ForEachSlab(null, deviceVoxels, download: false, output, null, cancellationToken);
        return (output.VertexCount, output.TriangleCount);
    }

    private void ForEachSlab(T[]? hostVoxels, ArrayView<T> deviceVoxels, bool download, HostOutput output, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        int slabs = SlabCount;

        // With several slabs, uploads go through page-locked staging on a second stream, so that the next slab's
        // copy overlaps this slab's kernels and download (double-buffered device voxels).
        bool pipelined = hostVoxels is not null && slabs > 1;
        long maxSlabVoxels = (long)Math.Min(_slabPlanes + 2, _nz) * _sliceVoxels;
        try
        {
            if (pipelined)
            {
                Prefetch(hostVoxels!, 0, maxSlabVoxels);
            }

            RunSlabs(hostVoxels, deviceVoxels, download, output, progress, pipelined, maxSlabVoxels, cancellationToken);
        }
        finally
        {
            if (pipelined)
            {
                // A cancelled or failed run must not leave an upload in flight into buffers the next run reuses.
                try
                {
                    _backend.CopyStream.Synchronize();
                }
                catch (Exception ex) when (IlgpuBackend.IsDeviceFailure(ex))
                {
                    // The original exception, if any, is the one to report.
                }
            }
        }
    }

    private void RunSlabs(
        T[]? hostVoxels, ArrayView<T> deviceVoxels, bool download, HostOutput output, IProgress<double>? progress, bool pipelined, long maxSlabVoxels, CancellationToken cancellationToken)
    {
        AcceleratorStream stream = _backend.Accelerator.DefaultStream;
        ArrayView<byte> table = _backend.Table;
        ArrayView<double> slicePositions = UploadSlicePositions();
        GeometryParams geometry = GeometryParameters();
        int threads = _backend.LaunchThreads;
        int slabs = SlabCount;
        int vertexBase = 0;
        var totals = new int[3];
        var clock = new Stopwatch();
        for (int s = 0; s < slabs; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int z0 = -1 + (s * _slabPlanes);
            int owned = Math.Min(_slabPlanes, _nz - z0);
            int classified = owned + (z0 + owned <= _nz - 1 ? 1 : 0);
            (int firstVoxel, long voxelCount) = VoxelRange(s);
            var slab = new SlabParams
            {
                SizeX = _nx,
                SizeY = _ny,
                SizeZ = _nz,
                CellsX = _cellsX,
                RowsPerPlane = _rows,
                WordsPerRow = _wordsPerRow,
                PointWordsPerRow = _pointWordsPerRow,
                FirstCellPlane = z0,
                ClassifiedPlanes = classified,
                OwnedPlanes = owned,
                FirstVoxelPlane = firstVoxel,
                TableStride = _backend.TableStride,
                Test = _test,
            };

            clock.Restart();
            ArrayView<T> voxels;
            if (pipelined)
            {
                _backend.Guard("upload", () =>
                {
                    _backend.CopyStream.Synchronize();
                    return 0;
                });
                voxels = _backend.Buffer<T>(VoxelBufferName(s), maxSlabVoxels).SubView(0, voxelCount);
                Measure(clock, (st, ms) => st.UploadMs += ms);
            }
            else if (hostVoxels is not null)
            {
                voxels = _backend.Buffer<T>("mc-voxels-0", voxelCount);
                ReadOnlySpan<T> source = hostVoxels.AsSpan().Slice(checked((int)(firstVoxel * _sliceVoxels)), checked((int)voxelCount));
                try
                {
                    voxels.CopyFromCPU(stream, source);
                }
                catch (Exception ex) when (IlgpuBackend.IsDeviceFailure(ex))
                {
                    throw _backend.Failure("upload", ex);
                }

                Measure(clock, (st, ms) => st.UploadMs += ms);
            }
            else
            {
                voxels = deviceVoxels.SubView(firstVoxel * _sliceVoxels, voxelCount);
            }

            int pointWords = (classified + 1) * (_ny + 2) * _pointWordsPerRow;
            int words = classified * _rows * _wordsPerRow;
            int ownedWords = owned * _rows * _wordsPerRow;
            ArrayView<uint> bits = _backend.Buffer<uint>("mc-point-bits", pointWords);
            ArrayView<uint> masks = _backend.Buffer<uint>("mc-masks", 3L * words);
            ArrayView<int> vertexCounts = _backend.Buffer<int>("mc-vertex-counts", 3L * words);
            ArrayView<int> vertexOffsets = _backend.Buffer<int>("mc-vertex-offsets", 3L * words);
            ArrayView<int> triangleCounts = _backend.Buffer<int>("mc-triangle-counts", ownedWords);
            ArrayView<int> triangleOffsets = _backend.Buffer<int>("mc-triangle-offsets", ownedWords);
            ArrayView<int> activeFlags = _backend.Buffer<int>("mc-active-flags", ownedWords);
            ArrayView<int> activeOffsets = _backend.Buffer<int>("mc-active-offsets", ownedWords);
            ArrayView<int> activeWords = _backend.Buffer<int>("mc-active-words", ownedWords);
            ArrayView<int> deviceTotals = _backend.Buffer<int>("mc-totals", 3);

            _backend.Guard("marching cubes (count)", () =>
            {
                _classify(stream, Math.Min(pointWords, threads), new LaunchParams { Count = pointWords, Stride = Math.Min(pointWords, threads) }, slab, voxels, bits);
                _count(stream, Math.Min(words, threads), new LaunchParams { Count = words, Stride = Math.Min(words, threads) }, slab, table, bits, masks, vertexCounts, triangleCounts, activeFlags);
                _backend.ExclusiveScan(vertexCounts, vertexOffsets);
                _backend.ExclusiveScan(triangleCounts, triangleOffsets);
                _backend.ExclusiveScan(activeFlags, activeOffsets);
                _totals(stream, 1, slab, vertexCounts, vertexOffsets, triangleCounts, triangleOffsets, activeFlags, activeOffsets, deviceTotals);
                _compact(stream, Math.Min(ownedWords, threads), new LaunchParams { Count = ownedWords, Stride = Math.Min(ownedWords, threads) }, activeFlags, activeOffsets, activeWords);
                return 0;
            });

            if (pipelined && s + 1 < slabs)
            {
                Prefetch(hostVoxels!, s + 1, maxSlabVoxels);
            }

            _backend.Guard("marching cubes (totals)", () =>
            {
                deviceTotals.CopyToCPU(stream, totals.AsSpan());
                return 0;
            });

            int slabVertices = totals[0];
            int slabTriangles = totals[1];
            int active = totals[2];
            if ((long)vertexBase + slabVertices > Array.MaxLength || (output.TriangleCount + slabTriangles) * 3 > Array.MaxLength)
            {
                throw new InvalidOperationException(
                    $"The mesh would have more than {Array.MaxLength} vertices or indices, more than one managed array holds; mesh the volume in parts.");
            }

            if (active > 0)
            {
                ArrayView<float> positions = _backend.Buffer<float>("mc-positions", 3L * slabVertices);
                ArrayView<int> indices = _backend.Buffer<int>("mc-indices", 3L * slabTriangles);
                int launch = Math.Min(active, threads);
                _backend.Guard("marching cubes (generate)", () =>
                {
                    _generate(
                        stream,
                        launch,
                        new LaunchParams { Count = active, Stride = launch, VertexBase = vertexBase },
                        slab,
                        geometry,
                        voxels,
                        table,
                        bits,
                        masks,
                        vertexOffsets,
                        triangleOffsets,
                        activeWords,
                        slicePositions,
                        positions,
                        indices);
                    return 0;
                });
                Measure(clock, (st, ms) => st.ComputeMs += ms);

                if (download)
                {
                    output.Append(slabVertices, slabTriangles, out Span<float> positionTarget, out Span<int> indexTarget);
                    try
                    {
                        positions.CopyToCPU(stream, positionTarget);
                        indices.CopyToCPU(stream, indexTarget);
                    }
                    catch (Exception ex) when (IlgpuBackend.IsDeviceFailure(ex))
                    {
                        throw _backend.Failure("download", ex);
                    }

                    Measure(clock, (st, ms) => st.DownloadMs += ms);
                }
                else
                {
                    output.Count(slabVertices, slabTriangles);
                }
            }
            else
            {
                Measure(clock, (st, ms) => st.ComputeMs += ms);
            }

            vertexBase += slabVertices;
            progress?.Report((s + 1) / (double)slabs);
        }

        _backend.Synchronize();
        if (_statistics is not null)
        {
            _statistics.Slabs = slabs;
            _statistics.Vertices = output.VertexCount;
            _statistics.Triangles = output.TriangleCount;
        }
    }

    private int SlabCount => (_nz + 1 + _slabPlanes - 1) / _slabPlanes;

    private static string VoxelBufferName(int slab) => (slab & 1) == 0 ? "mc-voxels-0" : "mc-voxels-1";

    /// <summary>The first voxel plane and the voxel count slab s reads (its cell planes need planes z and z + 1).</summary>
    private (int FirstVoxel, long VoxelCount) VoxelRange(int s)
    {
        int z0 = -1 + (s * _slabPlanes);
        int owned = Math.Min(_slabPlanes, _nz - z0);
        int classified = owned + (z0 + owned <= _nz - 1 ? 1 : 0);
        int firstVoxel = Math.Max(z0, 0);
        int lastVoxel = Math.Min(z0 + classified, _nz - 1);
        return (firstVoxel, (lastVoxel - firstVoxel + 1) * _sliceVoxels);
    }

    /// <summary>Copies slab s's voxels into page-locked staging (on this thread) and starts its upload on the copy stream.</summary>
    private void Prefetch(T[] hostVoxels, int s, long maxSlabVoxels)
    {
        (int firstVoxel, long voxelCount) = VoxelRange(s);
        int parity = s & 1;
        PageLockedArray1D<T> staging = _backend.PageLocked<T>(parity == 0 ? "mc-staging-0" : "mc-staging-1", maxSlabVoxels);
        ArrayView<T> target = _backend.Buffer<T>(VoxelBufferName(s), maxSlabVoxels).SubView(0, voxelCount);
        CopyParallel(hostVoxels, checked((int)(firstVoxel * _sliceVoxels)), checked((int)voxelCount), staging);
        _backend.Guard("upload", () =>
        {
            target.CopyFrom(_backend.CopyStream, staging.ArrayView.SubView(0, voxelCount));
            return 0;
        });
    }

    /// <summary>Copies voxels into page-locked staging in a few parallel chunks (one thread's memcpy is slower than the DMA).</summary>
    private static void CopyParallel(T[] source, int start, int count, PageLockedArray1D<T> staging)
    {
        const int Chunk = 1 << 20;
        int chunks = (count + Chunk - 1) / Chunk;
        if (chunks <= 1)
        {
            source.AsSpan(start, count).CopyTo(staging.Span);
            return;
        }

        Parallel.For(0, chunks, c =>
        {
            int offset = c * Chunk;
            int length = Math.Min(Chunk, count - offset);
            source.AsSpan(start + offset, length).CopyTo(staging.Span.Slice(offset, length));
        });
    }

    private void Measure(Stopwatch clock, Action<GpuRunStatistics, double> add)
    {
        if (_statistics is null)
        {
            return;
        }

        _backend.Synchronize();
        add(_statistics, clock.Elapsed.TotalMilliseconds);
        clock.Restart();
    }

    private ArrayView<double> UploadSlicePositions()
    {
        IReadOnlyList<Vector3D> slices = _geometry.SlicePositions;
        var flat = new double[3 * slices.Count];
        for (int k = 0; k < slices.Count; k++)
        {
            flat[3 * k] = slices[k].X;
            flat[(3 * k) + 1] = slices[k].Y;
            flat[(3 * k) + 2] = slices[k].Z;
        }

        ArrayView<double> view = _backend.Buffer<double>("mc-slices", flat.Length);
        _backend.Guard("upload", () =>
        {
            view.CopyFromCPU(_backend.Accelerator.DefaultStream, flat.AsSpan());
            return 0;
        });
        return view;
    }

    private GeometryParams GeometryParameters()
    {
        VolumeGeometry g = _geometry;

        // The single-slice step is private to the geometry; recover it from the map itself.
        Vector3D step = g.SizeZ == 1 ? g.SlicePoint(1) - g.SlicePoint(0) : default;
        return new GeometryParams
        {
            RowX = g.RowDirection.X,
            RowY = g.RowDirection.Y,
            RowZ = g.RowDirection.Z,
            ColumnX = g.ColumnDirection.X,
            ColumnY = g.ColumnDirection.Y,
            ColumnZ = g.ColumnDirection.Z,
            SpacingX = g.SpacingX,
            SpacingY = g.SpacingY,
            StepX = step.X,
            StepY = step.Y,
            StepZ = step.Z,
            SliceCount = g.SizeZ,
            SwapWinding = g.IsRightHanded ? 0 : 1,
        };
    }

    /// <summary>The host side of the output: exact arrays for one slab, grown and trimmed for several.</summary>
    private sealed class HostOutput
    {
        private Vector3[] _vertices = [];
        private int[] _indices = [];

        public long VertexCount { get; private set; }

        public long TriangleCount { get; private set; }

        public void Count(int vertices, int triangles)
        {
            VertexCount += vertices;
            TriangleCount += triangles;
        }

        public void Append(int vertices, int triangles, out Span<float> positions, out Span<int> indices)
        {
            long vertexEnd = VertexCount + vertices;
            long indexEnd = 3 * (TriangleCount + triangles);
            // Every element is overwritten by a download, so the arrays need no zeroing.
            if (vertexEnd > _vertices.Length)
            {
                _vertices = Grow(_vertices, (int)VertexCount, (int)Math.Min(Array.MaxLength, _vertices.Length == 0 ? vertexEnd : Math.Max(vertexEnd, 2L * _vertices.Length)));
            }

            if (indexEnd > _indices.Length)
            {
                _indices = Grow(_indices, (int)(3 * TriangleCount), (int)Math.Min(Array.MaxLength, _indices.Length == 0 ? indexEnd : Math.Max(indexEnd, 2L * _indices.Length)));
            }

            positions = MemoryMarshal.Cast<Vector3, float>(_vertices.AsSpan((int)VertexCount, vertices));
            indices = _indices.AsSpan((int)(3 * TriangleCount), 3 * triangles);
            Count(vertices, triangles);
        }

        private static TElement[] Grow<TElement>(TElement[] array, int used, int length)
            where TElement : unmanaged
        {
            TElement[] grown = GC.AllocateUninitializedArray<TElement>(length);
            array.AsSpan(0, used).CopyTo(grown);
            return grown;
        }

        public Mesh ToMesh()
        {
            if (VertexCount == 0)
            {
                return Meshing.Mesh.Empty;
            }

            if (_vertices.Length != VertexCount)
            {
                _vertices = Grow(_vertices, (int)VertexCount, (int)VertexCount);
            }

            if (_indices.Length != 3 * TriangleCount)
            {
                _indices = Grow(_indices, (int)(3 * TriangleCount), (int)(3 * TriangleCount));
            }

            return new Mesh(_vertices, _indices);
        }
    }
}
