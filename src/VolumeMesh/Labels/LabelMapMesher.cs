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
/// shared-boundary property of discrete (multi-label) marching cubes, obtained label by label. The triangles coincide too:
/// in a cell whose corners hold only two labels, the higher label takes the lower label's triangles reversed (the case
/// table may triangulate a case and its complement with other diagonals). The exception is a cell with an ambiguous face
/// (a checkerboard of the two labels on one face): there both surfaces separate their own corners, as the table's face
/// rule demands, and a sub-voxel sliver of background remains between them rather than an overlap.</para>
/// <para>Memory: one mask at a time, cropped to the label's bounding box plus one voxel where the volume continues.
/// The crop is meshed in index coordinates (an identity geometry offset to the box), which are exact in float, and the
/// vertices are then mapped through the label map's own geometry — the computation <see cref="MarchingCubes.FromMask"/>
/// performs — so the vertices are those of meshing the whole-volume mask, exactly, and the mesh is the same on every engine.</para>
/// </remarks>
public static class LabelMapMesher
{
    private const int Block = 16384;

    /// <summary>Finds every non-zero label of a label map: its voxel count and bounding box.</summary>
    /// <param name="labels">The label map.</param>
    /// <param name="cancellationToken">Cancels the scan.</param>
    /// <returns>The labels by id.</returns>
    /// <exception cref="OperationCanceledException">The scan was cancelled.</exception>
    public static IReadOnlyDictionary<int, LabelBounds> Survey(Volume<int> labels, CancellationToken cancellationToken = default) =>
        Survey(labels, Execution.Parallelism.AllCores, cancellationToken);

    /// <summary>Finds every non-zero label of a label map on at most <paramref name="maxDegreeOfParallelism"/> threads.</summary>
    /// <param name="labels">The label map.</param>
    /// <param name="maxDegreeOfParallelism">Threads: a positive count, or −1 or 0 for every core.</param>
    /// <param name="cancellationToken">Cancels the scan.</param>
    /// <returns>The labels by id.</returns>
    /// <exception cref="OperationCanceledException">The scan was cancelled.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is below −1.</exception>
    public static IReadOnlyDictionary<int, LabelBounds> Survey(Volume<int> labels, int maxDegreeOfParallelism, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        int nz = labels.SizeZ;
        var perSlice = new Dictionary<int, LabelBounds>?[nz];
        Parallel.For(0, nz, Execution.Parallelism.Options(maxDegreeOfParallelism, cancellationToken), k =>
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
    /// <param name="bounds">The label's bounds from <see cref="Survey(Volume{int}, CancellationToken)"/>.</param>
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
        ParallelOptions parallel = Execution.Parallelism.Options((options ?? MarchingCubesOptions.Default).MaxDegreeOfParallelism, cancellationToken);
        int id = bounds.Id;

        // One voxel of margin where the volume continues: the crop's border then crosses no edge the full volume does not.
        int x0 = Math.Max(0, bounds.MinX - 1), y0 = Math.Max(0, bounds.MinY - 1), z0 = Math.Max(0, bounds.MinZ - 1);
        int x1 = Math.Min(nx - 1, bounds.MaxX + 1), y1 = Math.Min(ny - 1, bounds.MaxY + 1), z1 = Math.Min(nz - 1, bounds.MaxZ + 1);
        int cw = x1 - x0 + 1, ch = y1 - y0 + 1, cd = z1 - z0 + 1;
        var crop = new byte[(long)cw * ch * cd];
        Parallel.For(0, cd, parallel, kk =>
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
        indexMesh = AdoptLowerLabelCells(labels, id, indexMesh);

        // Index space → patient LPS through the label map's geometry (exactly what FromMask computes), and the shared flags.
        VolumeGeometry geometry = labels.Geometry;
        Vector3[] source = indexMesh.Vertices;
        var vertices = new Vector3[source.Length];
        var shared = new bool[source.Length];
        Parallel.For(0, (source.Length + Block - 1) / Block, parallel, b =>
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

    /// <summary>
    /// In every cell whose corners hold only this label and one lower non-zero label, with no ambiguous face, replaces this
    /// label's triangles by the lower label's triangles for that cell, reversed, so both parts have the same triangles on
    /// their common surface (the table's triangulation of a case and of its complement may choose other diagonals). The
    /// replaced patch has the same border on the cell's faces (on a face that is not ambiguous the crossings are joined
    /// one way only), so the mesh stays closed and edge-manifold. Positions are in index space (exact halves).
    /// </summary>
    private static Mesh AdoptLowerLabelCells(Volume<int> labels, int id, Mesh indexMesh)
    {
        int[] indices = indexMesh.Indices;
        Vector3[] vertices = indexMesh.Vertices;
        List<int>? result = null;
        Dictionary<Vector3, int>? byPosition = null;
        ReadOnlySpan<int> offsets = MarchingCubesTables.CaseOffsets;
        ReadOnlySpan<byte> table = MarchingCubesTables.TriangleEdges;
        int triangles = indices.Length / 3;
        int t = 0;
        while (t < triangles)
        {
            (int cx, int cy, int cz) = CellOf(vertices[indices[3 * t]], vertices[indices[(3 * t) + 1]], vertices[indices[(3 * t) + 2]]);

            // The cell's triangles are consecutive (marching cubes emits cell by cell).
            int end = t + 1;
            while (end < triangles && CellOf(vertices[indices[3 * end]], vertices[indices[(3 * end) + 1]], vertices[indices[(3 * end) + 2]]) == (cx, cy, cz))
            {
                end++;
            }

            int lowerCase = LowerLabelCase(labels, id, cx, cy, cz);
            if (lowerCase < 0)
            {
                result?.AddRange(indices.AsSpan(3 * t, 3 * (end - t)));
                t = end;
                continue;
            }

            if (result is null)
            {
                result = new List<int>(indices.Length);
                result.AddRange(indices.AsSpan(0, 3 * t));
                byPosition = new Dictionary<Vector3, int>(vertices.Length);
                for (int v = 0; v < vertices.Length; v++)
                {
                    byPosition[vertices[v]] = v;
                }
            }

            for (int e = offsets[lowerCase]; e < offsets[lowerCase + 1]; e += 3)
            {
                // The lower label's triangle, counter-clockwise seen from outside it: reversed for this label.
                result.Add(byPosition![EdgeMidpoint(table[e], cx, cy, cz)]);
                result.Add(byPosition[EdgeMidpoint(table[e + 2], cx, cy, cz)]);
                result.Add(byPosition[EdgeMidpoint(table[e + 1], cx, cy, cz)]);
            }

            t = end;
        }

        return result is null ? indexMesh : new Mesh(vertices, result.ToArray());
    }

    /// <summary>The cell (its lowest corner) whose edges carry a triangle's three vertices; no triangle lies in a cube face.</summary>
    private static (int X, int Y, int Z) CellOf(Vector3 a, Vector3 b, Vector3 c) =>
        ((int)MathF.Floor(MathF.Min(a.X, MathF.Min(b.X, c.X))),
         (int)MathF.Floor(MathF.Min(a.Y, MathF.Min(b.Y, c.Y))),
         (int)MathF.Floor(MathF.Min(a.Z, MathF.Min(b.Z, c.Z))));

    /// <summary>The midpoint of a cell edge in index space (table edge numbering, see <see cref="MarchingCubesTables"/>).</summary>
    private static Vector3 EdgeMidpoint(int edge, int cx, int cy, int cz)
    {
        int corner = MarchingCubesTables.EdgeStartCorner[edge];
        int axis = MarchingCubesTables.EdgeAxis[edge];
        return new Vector3(
            cx + (corner & 1) + (axis == 0 ? 0.5f : 0),
            cy + ((corner >> 1) & 1) + (axis == 1 ? 0.5f : 0),
            cz + (corner >> 2) + (axis == 2 ? 0.5f : 0));
    }

    /// <summary>
    /// The lower label's marching-cubes case for a cell whose eight corners hold only <paramref name="id"/> and one lower
    /// non-zero label, and whose faces are not ambiguous; −1 for any other cell.
    /// </summary>
    private static int LowerLabelCase(Volume<int> labels, int id, int cx, int cy, int cz)
    {
        if (cx < 0 || cy < 0 || cz < 0 || cx + 1 >= labels.SizeX || cy + 1 >= labels.SizeY || cz + 1 >= labels.SizeZ)
        {
            return -1;
        }

        int other = 0, lowerCase = 0;
        for (int c = 0; c < 8; c++)
        {
            int value = labels[cx + (c & 1), cy + ((c >> 1) & 1), cz + (c >> 2)];
            if (value == id)
            {
                continue;
            }

            if (value == 0 || value > id || (other != 0 && value != other))
            {
                return -1;
            }

            other = value;
            lowerCase |= 1 << c;
        }

        if (other == 0 || lowerCase == 0xFF)
        {
            return -1;
        }

        // Faces as corner cycles: x = 0, x = 1, y = 0, y = 1, z = 0, z = 1.
        ReadOnlySpan<byte> faces = [0, 2, 6, 4, 1, 3, 7, 5, 0, 1, 5, 4, 2, 3, 7, 6, 0, 1, 3, 2, 4, 5, 7, 6];
        for (int f = 0; f < faces.Length; f += 4)
        {
            bool a = (lowerCase >> faces[f] & 1) != 0, b = (lowerCase >> faces[f + 1] & 1) != 0;
            bool c = (lowerCase >> faces[f + 2] & 1) != 0, d = (lowerCase >> faces[f + 3] & 1) != 0;
            if (a == c && b == d && a != b)
            {
                return -1;
            }
        }

        return lowerCase;
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
