using System.Numerics;
using VolumeMesh.Meshing;

namespace VolumeMesh.Processing;

/// <summary>
/// Mesh repair steps: welding vertices, removing degenerate and duplicate triangles, removing small shells and
/// unreferenced vertices, and area-weighted vertex normals.
/// </summary>
/// <remarks>
/// Every step returns a new mesh and keeps the order of what it keeps (vertices and triangles), so results are
/// deterministic. Shells are connected through shared edges, as in <see cref="MeshReport"/>.
/// </remarks>
public static class MeshCleanup
{
    /// <summary>Runs, in order: weld, remove degenerate triangles, remove duplicate triangles, remove small shells, remove unreferenced vertices.</summary>
    /// <param name="mesh">The mesh (not modified).</param>
    /// <param name="options">Options; defaults (exact welding, no shell removal) when null.</param>
    /// <returns>The cleaned mesh and what was removed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mesh"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A tolerance, count or volume in the options is negative or not finite.</exception>
    public static MeshCleanupResult Clean(Mesh mesh, MeshCleanupOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        options ??= new MeshCleanupOptions();
        if (options.MinShellTriangles < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MinShellTriangles, $"{nameof(MeshCleanupOptions.MinShellTriangles)} must not be negative.");
        }

        if (!(options.MinShellVolumeMm3 >= 0 && double.IsFinite(options.MinShellVolumeMm3)))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MinShellVolumeMm3, $"{nameof(MeshCleanupOptions.MinShellVolumeMm3)} must be a non-negative number of mm³.");
        }

        Mesh welded = WeldVertices(mesh, options.WeldToleranceMm);
        Mesh nonDegenerate = RemoveDegenerateTriangles(welded);
        Mesh unique = RemoveDuplicateTriangles(nonDegenerate);
        Mesh kept = RemoveSmallShells(unique, options.MinShellTriangles, options.MinShellVolumeMm3, out int removedShells);
        Mesh result = RemoveUnreferencedVertices(kept);
        return new MeshCleanupResult
        {
            Mesh = result,
            WeldedVertices = mesh.VertexCount - welded.VertexCount,
            DegenerateTriangles = welded.TriangleCount - nonDegenerate.TriangleCount,
            DuplicateTriangles = nonDegenerate.TriangleCount - unique.TriangleCount,
            RemovedShells = removedShells,
            RemovedShellTriangles = unique.TriangleCount - kept.TriangleCount,
        };
    }

    /// <summary>Merges vertices at the same position, or within <paramref name="toleranceMm"/> of an earlier kept vertex.</summary>
    /// <param name="mesh">The mesh (not modified).</param>
    /// <param name="toleranceMm">Merge distance in mm; 0 merges identical positions only.</param>
    /// <returns>
    /// A mesh whose vertices are the first vertex of each merged group, in input order; triangles are renumbered and
    /// kept even where two corners merged (remove those with <see cref="RemoveDegenerateTriangles"/>).
    /// </returns>
    /// <remarks>
    /// Vertices are visited in order; each joins the first kept vertex within the tolerance (found through a grid of
    /// cells of the tolerance's size), or is kept. Merging is therefore not transitive: two vertices farther apart
    /// than the tolerance never merge through a third. Unreferenced vertices are welded like the others.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="mesh"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="toleranceMm"/> is negative or not finite.</exception>
    public static Mesh WeldVertices(Mesh mesh, double toleranceMm = 0)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        if (!(toleranceMm >= 0 && double.IsFinite(toleranceMm)))
        {
            throw new ArgumentOutOfRangeException(nameof(toleranceMm), toleranceMm, "The weld tolerance must be a non-negative number of mm.");
        }

        Vector3[] v = mesh.Vertices;
        var map = new int[v.Length];
        var kept = new List<Vector3>();
        if (toleranceMm == 0)
        {
            var index = new Dictionary<(float, float, float), int>(v.Length);
            for (int i = 0; i < v.Length; i++)
            {
                // +0 and −0 are the same position.
                var key = (v[i].X + 0f, v[i].Y + 0f, v[i].Z + 0f);
                if (!index.TryGetValue(key, out int k))
                {
                    k = kept.Count;
                    kept.Add(v[i]);
                    index.Add(key, k);
                }

                map[i] = k;
            }
        }
        else
        {
            double cell = toleranceMm;
            double tol2 = toleranceMm * toleranceMm;
            var heads = new Dictionary<(long, long, long), int>(v.Length);
            var next = new List<int>();
            for (int i = 0; i < v.Length; i++)
            {
                Vector3 p = v[i];
                long cx = (long)Math.Floor(p.X / cell), cy = (long)Math.Floor(p.Y / cell), cz = (long)Math.Floor(p.Z / cell);
                int found = -1;
                for (long dz = -1; dz <= 1; dz++)
                {
                    for (long dy = -1; dy <= 1; dy++)
                    {
                        for (long dx = -1; dx <= 1; dx++)
                        {
                            if (!heads.TryGetValue((cx + dx, cy + dy, cz + dz), out int k))
                            {
                                continue;
                            }

                            for (; k >= 0; k = next[k])
                            {
                                Vector3 d = kept[k] - p;
                                if (((double)d.X * d.X) + ((double)d.Y * d.Y) + ((double)d.Z * d.Z) <= tol2 && (found < 0 || k < found))
                                {
                                    found = k;
                                }
                            }
                        }
                    }
                }

                if (found < 0)
                {
                    found = kept.Count;
                    kept.Add(p);
                    var key = (cx, cy, cz);
                    next.Add(heads.TryGetValue(key, out int head) ? head : -1);
                    heads[key] = found;
                }

                map[i] = found;
            }
        }

        int[] idx = mesh.Indices;
        var indices = new int[idx.Length];
        for (int i = 0; i < idx.Length; i++)
        {
            indices[i] = map[idx[i]];
        }

        return new Mesh(kept.ToArray(), indices);
    }

    /// <summary>Removes triangles with a repeated corner or zero area.</summary>
    /// <param name="mesh">The mesh (not modified).</param>
    /// <returns>The mesh without those triangles (vertices unchanged).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mesh"/> is null.</exception>
    public static Mesh RemoveDegenerateTriangles(Mesh mesh)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        Vector3[] v = mesh.Vertices;
        return Filter(mesh, t =>
        {
            var (a, b, c) = mesh.Triangle(t);
            if (a == b || b == c || a == c)
            {
                return false;
            }

            // The cross product in double, as MeshReport measures area.
            double ux = (double)v[b].X - v[a].X, uy = (double)v[b].Y - v[a].Y, uz = (double)v[b].Z - v[a].Z;
            double wx = (double)v[c].X - v[a].X, wy = (double)v[c].Y - v[a].Y, wz = (double)v[c].Z - v[a].Z;
            double nx = (uy * wz) - (uz * wy), ny = (uz * wx) - (ux * wz), nz = (ux * wy) - (uy * wx);
            return (nx * nx) + (ny * ny) + (nz * nz) > 0;
        });
    }

    /// <summary>Removes every triangle whose three vertices (in any order) are those of an earlier triangle.</summary>
    /// <param name="mesh">The mesh (not modified).</param>
    /// <returns>The mesh without the later copies (vertices unchanged).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mesh"/> is null.</exception>
    public static Mesh RemoveDuplicateTriangles(Mesh mesh)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        var seen = new HashSet<(int, int, int)>(mesh.TriangleCount);
        return Filter(mesh, t => seen.Add(mesh.SortedCorners(t)));
    }

    /// <summary>Removes the shells (triangles connected through shared edges) that have fewer triangles or enclose less volume than given.</summary>
    /// <param name="mesh">The mesh (not modified).</param>
    /// <param name="minTriangles">Shells with fewer triangles are removed.</param>
    /// <param name="minVolumeMm3">Shells whose signed volume has a smaller absolute value (mm³) are removed; a cavity's inner wall counts by its absolute volume.</param>
    /// <returns>The mesh without those shells (vertices unchanged).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mesh"/> is null.</exception>
    public static Mesh RemoveSmallShells(Mesh mesh, int minTriangles, double minVolumeMm3) => RemoveSmallShells(mesh, minTriangles, minVolumeMm3, out _);

    /// <summary>Removes vertices that no triangle uses, renumbering the rest in order.</summary>
    /// <param name="mesh">The mesh (not modified).</param>
    /// <returns>The compacted mesh.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mesh"/> is null.</exception>
    public static Mesh RemoveUnreferencedVertices(Mesh mesh)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        var map = new int[mesh.VertexCount];
        foreach (int i in mesh.Indices)
        {
            map[i] = 1;
        }

        int count = 0;
        for (int i = 0; i < map.Length; i++)
        {
            map[i] = map[i] != 0 ? count++ : -1;
        }

        var vertices = new Vector3[count];
        for (int i = 0; i < map.Length; i++)
        {
            if (map[i] >= 0)
            {
                vertices[map[i]] = mesh.Vertices[i];
            }
        }

        var indices = new int[mesh.Indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            indices[i] = map[mesh.Indices[i]];
        }

        return new Mesh(vertices, indices);
    }

    /// <summary>Unit vertex normals: the sum of the incident triangles' normals weighted by their areas, normalised.</summary>
    /// <param name="mesh">The mesh.</param>
    /// <returns>One normal per vertex; zero for a vertex without a triangle of non-zero area.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mesh"/> is null.</exception>
    public static Vector3[] VertexNormals(Mesh mesh)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        Vector3[] v = mesh.Vertices;
        var sum = new double[3 * v.Length];
        for (int t = 0; t < mesh.TriangleCount; t++)
        {
            var (a, b, c) = mesh.Triangle(t);

            // The cross product's length is twice the area: weighting by it is weighting by area.
            double ux = (double)v[b].X - v[a].X, uy = (double)v[b].Y - v[a].Y, uz = (double)v[b].Z - v[a].Z;
            double wx = (double)v[c].X - v[a].X, wy = (double)v[c].Y - v[a].Y, wz = (double)v[c].Z - v[a].Z;
            double nx = (uy * wz) - (uz * wy), ny = (uz * wx) - (ux * wz), nz = (ux * wy) - (uy * wx);
            foreach (int k in new[] { a, b, c })
            {
                sum[3 * k] += nx;
                sum[(3 * k) + 1] += ny;
                sum[(3 * k) + 2] += nz;
            }
        }

        var normals = new Vector3[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            double x = sum[3 * i], y = sum[(3 * i) + 1], z = sum[(3 * i) + 2];
            double len = Math.Sqrt((x * x) + (y * y) + (z * z));
            normals[i] = len > 0 ? new Vector3((float)(x / len), (float)(y / len), (float)(z / len)) : Vector3.Zero;
        }

        return normals;
    }

    private static Mesh RemoveSmallShells(Mesh mesh, int minTriangles, double minVolumeMm3, out int removedShells)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        removedShells = 0;
        int triangleCount = mesh.TriangleCount;
        if ((minTriangles <= 0 && minVolumeMm3 <= 0) || triangleCount == 0)
        {
            return mesh;
        }

        // Triangles around each vertex (the fans the decimator edits, here read as built); two triangles of one fan that
        // share a second vertex share an edge.
        int[] idx = mesh.Indices;
        var fans = new TriangleFans(idx, mesh.VertexCount, growable: false);

        var parent = new int[triangleCount];
        for (int t = 0; t < triangleCount; t++)
        {
            parent[t] = t;
        }

        int Find(int x)
        {
            while (parent[x] != x)
            {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }

            return x;
        }

        for (int vtx = 0; vtx < mesh.VertexCount; vtx++)
        {
            ReadOnlySpan<int> fan = fans.Fan(vtx);
            for (int i = 0; i < fan.Length; i++)
            {
                int t = fan[i];
                for (int j = i + 1; j < fan.Length; j++)
                {
                    int u = fan[j];
                    if (SharesSecondVertex(idx, t, u, vtx))
                    {
                        int rt = Find(t), ru = Find(u);
                        if (rt != ru)
                        {
                            parent[Math.Max(rt, ru)] = Math.Min(rt, ru);
                        }
                    }
                }
            }
        }

        var count = new int[triangleCount];
        var volume = new double[triangleCount];
        Vector3[] v = mesh.Vertices;
        for (int t = 0; t < triangleCount; t++)
        {
            int root = Find(t);
            count[root]++;
            Vector3 a = v[idx[3 * t]], b = v[idx[(3 * t) + 1]], c = v[idx[(3 * t) + 2]];
            double cx = ((double)b.Y * c.Z) - ((double)b.Z * c.Y), cy = ((double)b.Z * c.X) - ((double)b.X * c.Z), cz = ((double)b.X * c.Y) - ((double)b.Y * c.X);
            volume[root] += ((a.X * cx) + (a.Y * cy) + (a.Z * cz)) / 6;
        }

        var remove = new bool[triangleCount];
        for (int t = 0; t < triangleCount; t++)
        {
            if (parent[t] == t && (count[t] < minTriangles || Math.Abs(volume[t]) < minVolumeMm3))
            {
                remove[t] = true;
                removedShells++;
            }
        }

        return Filter(mesh, t => !remove[Find(t)]);
    }

    private static bool SharesSecondVertex(int[] idx, int t, int u, int vertex)
    {
        for (int i = 0; i < 3; i++)
        {
            int a = idx[(3 * t) + i];
            if (a == vertex)
            {
                continue;
            }

            if (idx[3 * u] == a || idx[(3 * u) + 1] == a || idx[(3 * u) + 2] == a)
            {
                return true;
            }
        }

        return false;
    }

    private static Mesh Filter(Mesh mesh, Func<int, bool> keep)
    {
        int[] idx = mesh.Indices;
        var indices = new List<int>(idx.Length);
        for (int t = 0; t < mesh.TriangleCount; t++)
        {
            if (keep(t))
            {
                indices.Add(idx[3 * t]);
                indices.Add(idx[(3 * t) + 1]);
                indices.Add(idx[(3 * t) + 2]);
            }
        }

        return new Mesh(mesh.Vertices, indices.ToArray());
    }
}
