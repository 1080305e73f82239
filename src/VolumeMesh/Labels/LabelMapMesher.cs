using System.Numerics;
using VolumeMesh.Compute;
using VolumeMesh.Geometry;
using VolumeMesh.Meshing;
using VolumeMesh.Volumes;

namespace VolumeMesh.Labels;

/// <summary>Meshes the structures of a label map (a <see cref="Volume{T}"/> of <see cref="int"/> ids, 0 = background), one closed surface per label.</summary>
/// <remarks>
/// <para>Each label is the binary mask <c>label == id</c>, meshed by marching cubes with vertices at the midpoints of
/// crossed edges (the <see cref="MarchingCubes.FromMask"/> contract). Two labels that touch therefore cross the same lattice
/// edges on their common face and get vertices at exactly the same positions there, with no gap and no overlap: the
/// shared-boundary property of discrete (multi-label) marching cubes, obtained label by label. Where a face's corners
/// alternate between two labels (an ambiguous face) both surfaces separate their own corners, leaving a sliver of
/// background rather than an overlap.</para>
/// <para>Memory: one mask at a time, cropped to the label's bounding box plus one voxel where the volume continues.
/// The crop is meshed in index coordinates (an identity geometry offset to the box), which are exact in float, and the
/// vertices are then mapped through the label map's own geometry — the computation <see cref="MarchingCubes.FromMask"/>
/// performs — so the mesh is identical to meshing the whole-volume mask, vertex for vertex, and the same on every engine.</para>
/// </remarks>
public static class LabelMapMesher
{
    private const int Block = 16384;

    /// <summary>Finds every non-zero label of a label map: its voxel count and bounding box.</summary>
    /// <param name="labels">The label map.</param>
    /// <param name="cancellationToken">Cancels the scan.</param>
    /// <returns>The labels by id.</returns>
    /// <exception cref="OperationCanceledException">The scan was cancelled.</exception>
    public static IReadOnlyDictionary<int, LabelBounds> Survey(Volume<int> labels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        int nz = labels.SizeZ;
        var perSlice = new Dictionary<int, LabelBounds>?[nz];
        Parallel.For(0, nz, new ParallelOptions { CancellationToken = cancellationToken }, k =>
        {
            Dictionary<int, LabelBounds>? found = null;
            for (int j = 0; j < labels.SizeY; j++)
            {
                ReadOnlySpan<int> row = labels.Row(j, k);
                int i = row.IndexOfAnyExcept(0);
                while (i >= 0)
                {
                    int id = row[i];
                    int end = i + 1;
                    while (end < row.Length && row[end] == id)
                    {
                        end++;
                    }

                    found ??= [];
                    found[id] = found.TryGetValue(id, out LabelBounds b)
                        ? new LabelBounds(id, b.VoxelCount + (end - i), Math.Min(b.MinX, i), Math.Min(b.MinY, j), k, Math.Max(b.MaxX, end - 1), Math.Max(b.MaxY, j), k)
                        : new LabelBounds(id, end - i, i, j, k, end - 1, j, k);
                    int next = end < row.Length ? row[end..].IndexOfAnyExcept(0) : -1;
                    i = next < 0 ? -1 : end + next;
                }
            }

            perSlice[k] = found;
        });

        var result = new Dictionary<int, LabelBounds>();
        foreach (Dictionary<int, LabelBounds>? slice in perSlice)
        {
            if (slice is null)
            {
                continue;
            }

            foreach ((int id, LabelBounds b) in slice)
            {
                result[id] = result.TryGetValue(id, out LabelBounds a)
                    ? new LabelBounds(id, a.VoxelCount + b.VoxelCount, Math.Min(a.MinX, b.MinX), Math.Min(a.MinY, b.MinY), Math.Min(a.MinZ, b.MinZ),
                        Math.Max(a.MaxX, b.MaxX), Math.Max(a.MaxY, b.MaxY), Math.Max(a.MaxZ, b.MaxZ))
                    : b;
            }
        }

        return result;
    }

    /// <summary>Meshes one label: a closed, edge-manifold, outward surface in patient LPS millimetres.</summary>
    /// <param name="labels">The label map.</param>
    /// <param name="bounds">The label's bounds from <see cref="Survey"/>.</param>
    /// <param name="engine">The marching-cubes engine (managed CPU or ILGPU); the managed engine when null.</param>
    /// <param name="options">Threading and progress of marching cubes; the defaults when null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The mesh and which vertices lie on a face shared with another non-zero label.</returns>
    /// <exception cref="ArgumentException">The bounds lie outside the label map or have no voxels.</exception>
    /// <exception cref="ComputeDeviceException">An ILGPU engine failed.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public static LabelMesh MeshLabel(
        Volume<int> labels, LabelBounds bounds, IMarchingCubesEngine? engine = null, MarchingCubesOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        int nx = labels.SizeX, ny = labels.SizeY, nz = labels.SizeZ;
        if (bounds.VoxelCount <= 0 || bounds.MinX < 0 || bounds.MinY < 0 || bounds.MinZ < 0 || bounds.MaxX >= nx || bounds.MaxY >= ny || bounds.MaxZ >= nz
            || bounds.MinX > bounds.MaxX || bounds.MinY > bounds.MaxY || bounds.MinZ > bounds.MaxZ)
        {
            throw new ArgumentException($"Bounds {bounds} do not describe voxels of a {nx}×{ny}×{nz} label map.", nameof(bounds));
        }

        engine ??= ManagedMarchingCubesEngine.Instance;
        int id = bounds.Id;

        // One voxel of margin where the volume continues: the crop's border then crosses no edge the full volume does not.
        int x0 = Math.Max(0, bounds.MinX - 1), y0 = Math.Max(0, bounds.MinY - 1), z0 = Math.Max(0, bounds.MinZ - 1);
        int x1 = Math.Min(nx - 1, bounds.MaxX + 1), y1 = Math.Min(ny - 1, bounds.MaxY + 1), z1 = Math.Min(nz - 1, bounds.MaxZ + 1);
        int cw = x1 - x0 + 1, ch = y1 - y0 + 1, cd = z1 - z0 + 1;
        var crop = new byte[(long)cw * ch * cd];
        Parallel.For(0, cd, new ParallelOptions { CancellationToken = cancellationToken }, kk =>
        {
            for (int jj = 0; jj < ch; jj++)
            {
                ReadOnlySpan<int> row = labels.Row(y0 + jj, z0 + kk).Slice(x0, cw);
                Span<byte> target = crop.AsSpan((int)(((long)kk * ch * cw) + ((long)jj * cw)), cw);
                for (int ii = 0; ii < cw; ii++)
                {
                    target[ii] = row[ii] == id ? (byte)1 : (byte)0;
                }
            }
        });

        var indexGeometry = VolumeGeometry.FromAffine(cw, ch, cd, new Vector3D(x0, y0, z0), new(1, 0, 0), new(0, 1, 0), new(0, 0, 1));
        Mesh indexMesh = engine.FromMask(new Mask(indexGeometry, crop), options, cancellationToken);

        // Index space → patient LPS through the label map's geometry (exactly what FromMask computes), and the shared flags.
        VolumeGeometry geometry = labels.Geometry;
        Vector3[] source = indexMesh.Vertices;
        var vertices = new Vector3[source.Length];
        var shared = new bool[source.Length];
        Parallel.For(0, (source.Length + Block - 1) / Block, new ParallelOptions { CancellationToken = cancellationToken }, b =>
        {
            int end = Math.Min(source.Length, (b + 1) * Block);
            for (int v = b * Block; v < end; v++)
            {
                Vector3 p = source[v];
                Vector3D q = geometry.IndexToPatient(p.X, p.Y, p.Z);
                vertices[v] = new Vector3((float)q.X, (float)q.Y, (float)q.Z);
                shared[v] = IsShared(labels, id, p);
            }
        });

        int[] indices = indexMesh.Indices;
        if (!geometry.IsRightHanded)
        {
            for (int t = 0; t < indices.Length; t += 3)
            {
                (indices[t + 1], indices[t + 2]) = (indices[t + 2], indices[t + 1]);
            }
        }

        return new LabelMesh(id, new Mesh(vertices, indices), shared);
    }

    /// <summary>Whether the vertex at index-space position p sits midway between a voxel of <paramref name="id"/> and one of another non-zero label.</summary>
    private static bool IsShared(Volume<int> labels, int id, Vector3 p)
    {
        int x = (int)MathF.Floor(p.X), y = (int)MathF.Floor(p.Y), z = (int)MathF.Floor(p.Z);
        int dx = 0, dy = 0, dz = 0;
        if (p.X - x == 0.5f)
        {
            dx = 1;
        }
        else if (p.Y - y == 0.5f)
        {
            dy = 1;
        }
        else if (p.Z - z == 0.5f)
        {
            dz = 1;
        }
        else
        {
            return false; // a cap vertex at the volume border
        }

        if (x < 0 || y < 0 || z < 0 || x + dx >= labels.SizeX || y + dy >= labels.SizeY || z + dz >= labels.SizeZ)
        {
            return false;
        }

        int a = labels[x, y, z], b = labels[x + dx, y + dy, z + dz];
        int other = a == id ? b : a;
        return other != 0 && other != id;
    }
}
