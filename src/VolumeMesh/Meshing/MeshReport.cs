using System.Numerics;
using VolumeMesh.Geometry;
using VolumeMesh.Processing;

namespace VolumeMesh.Meshing;

/// <summary>
/// The invariants and measures of a mesh: counts, degenerate and duplicate triangles, boundary, non-manifold
/// and inconsistently oriented edges, connected shells with their Euler characteristic, signed volume, area and bounds.
/// </summary>
/// <remarks>
/// An edge is boundary when one triangle uses it, non-manifold when more than two do, and inconsistently
/// oriented when its two triangles traverse it in the same direction. A mesh is printable (closed and
/// edge-manifold) when all three counts are zero. Shells are the connected components of triangles that share
/// an edge. Volume is the signed volume (divergence theorem) in mm³; positive for a closed mesh whose triangles
/// are counter-clockwise seen from outside. Computation is O(n) in the triangle count for bounded vertex valence
/// (edges are grouped in each vertex's triangle fan), O(n log n) for duplicate triangles.
/// </remarks>
public sealed record MeshReport
{
    /// <summary>Vertices.</summary>
    public int Vertices { get; init; }

    /// <summary>Triangles.</summary>
    public int Triangles { get; init; }

    /// <summary>Triangles with a repeated corner index or zero area.</summary>
    public int DegenerateTriangles { get; init; }

    /// <summary>Triangles that use the same three vertices as an earlier triangle (in any order).</summary>
    public int DuplicateTriangles { get; init; }

    /// <summary>Distinct undirected edges.</summary>
    public int Edges { get; init; }

    /// <summary>Edges used by exactly one triangle.</summary>
    public int BoundaryEdges { get; init; }

    /// <summary>Edges used by more than two triangles.</summary>
    public int NonManifoldEdges { get; init; }

    /// <summary>Edges used by two triangles that traverse it in the same direction.</summary>
    public int InconsistentlyOrientedEdges { get; init; }

    /// <summary>Vertices referenced by no triangle.</summary>
    public int UnreferencedVertices { get; init; }

    /// <summary>Connected shells (triangles connected through shared edges).</summary>
    public int Shells { get; init; }

    /// <summary>Euler characteristic V − E + F of each shell, in order of each shell's first triangle (2 for a sphere-like closed shell, 0 for a torus).</summary>
    public IReadOnlyList<int> ShellEulerCharacteristics { get; init; } = [];

    /// <summary>Signed volume in mm³.</summary>
    public double VolumeMm3 { get; init; }

    /// <summary>Surface area in mm².</summary>
    public double AreaMm2 { get; init; }

    /// <summary>Lower corner of the bounding box (patient mm).</summary>
    public Vector3D BoundsMin { get; init; }

    /// <summary>Upper corner of the bounding box (patient mm).</summary>
    public Vector3D BoundsMax { get; init; }

    /// <summary>Whether every edge has exactly two triangles.</summary>
    public bool IsClosed => BoundaryEdges == 0 && NonManifoldEdges == 0;

    /// <summary>Whether the mesh is closed, edge-manifold, consistently oriented, free of degenerate triangles and of positive volume: what a slicer needs.</summary>
    public bool IsWatertight =>
        IsClosed && InconsistentlyOrientedEdges == 0 && DegenerateTriangles == 0 && DuplicateTriangles == 0 && (Triangles == 0 || VolumeMm3 > 0);

    /// <summary>Computes the report of a mesh.</summary>
    /// <param name="mesh">The mesh.</param>
    /// <returns>The report.</returns>
    public static MeshReport Compute(Mesh mesh)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        int[] idx = mesh.Indices;
        Vector3[] v = mesh.Vertices;
        int triangleCount = mesh.TriangleCount;

        double volume = 0;
        double area = 0;
        int degenerate = 0;
        for (int t = 0; t < triangleCount; t++)
        {
            int a = idx[3 * t], b = idx[(3 * t) + 1], c = idx[(3 * t) + 2];
            Vector3D pa = ToD(v[a]), pb = ToD(v[b]), pc = ToD(v[c]);
            Vector3D cross = Vector3D.Cross(pb - pa, pc - pa);
            double twiceArea = cross.Length;
            area += twiceArea / 2;
            volume += Vector3D.Dot(pa, Vector3D.Cross(pb, pc)) / 6;
            if (a == b || b == c || a == c || twiceArea == 0)
            {
                degenerate++;
            }
        }

        // Each use of an edge (a triangle side) is found in the fan of the edge's lower vertex, with the other vertex
        // and the direction of traversal; the uses of one edge are grouped by the other vertex.
        var fans = new TriangleFans(idx, v.Length, growable: false);
        int maxFan = 0;
        foreach (int count in fans.Count)
        {
            maxFan = Math.Max(maxFan, count);
        }

        var others = new int[3 * maxFan];
        var owners = new int[3 * maxFan];
        var shells = new UnionFind(triangleCount);
        int edges = 0, boundary = 0, nonManifold = 0, inconsistent = 0;
        var edgeOwnerTriangle = new int[3 * triangleCount];
        int edgeOwnerCount = 0;

        // Duplicates in the same walk: identical triangles share their lowest corner, so each vertex compares the
        // (middle, highest) corner pairs of the triangles it is the lowest corner of.
        var duplicateKeys = new long[maxFan];
        int duplicates = 0;
        for (int vertex = 0; vertex < v.Length; vertex++)
        {
            ReadOnlySpan<int> fan = fans.Fan(vertex);
            int found = 0, keys = 0;
            for (int i = 0; i < fan.Length; i++)
            {
                int t = fan[i];
                int a = idx[3 * t], b = idx[(3 * t) + 1], c = idx[(3 * t) + 2];
                if (((a == vertex ? 1 : 0) + (b == vertex ? 1 : 0) + (c == vertex ? 1 : 0)) > 1 && fan[..i].Contains(t))
                {
                    continue; // a triangle with this vertex at two corners is in its fan twice: its sides count once
                }

                (int low, int middle, int high) = Mesh.Sorted(a, b, c);
                if (low == vertex)
                {
                    duplicateKeys[keys++] = ((long)middle << 32) | (uint)high;
                }

                for (int e = 0; e < 3; e++)
                {
                    int from = idx[(3 * t) + e];
                    int to = idx[(3 * t) + ((e + 1) % 3)];
                    bool forward = from < to;
                    if ((forward ? from : to) == vertex)
                    {
                        others[found] = forward ? to : from;
                        owners[found] = forward ? t : ~t;
                        found++;
                    }
                }
            }

            Span<long> own = duplicateKeys.AsSpan(0, keys);
            own.Sort();
            for (int k = 1; k < keys; k++)
            {
                if (own[k] == own[k - 1])
                {
                    duplicates++;
                }
            }

            Span<int> other = others.AsSpan(0, found);
            Span<int> owner = owners.AsSpan(0, found);
            other.Sort(owner);
            for (int s = 0; s < found;)
            {
                int e = s + 1;
                while (e < found && other[e] == other[s])
                {
                    e++;
                }

                int uses = e - s;
                edges++;
                int firstTriangle = Decode(owner[s]);
                for (int u = s + 1; u < e; u++)
                {
                    shells.Union(firstTriangle, Decode(owner[u]));
                }

                if (uses == 1)
                {
                    boundary++;
                }
                else if (uses > 2)
                {
                    nonManifold++;
                }
                else if ((owner[s] >= 0) == (owner[s + 1] >= 0))
                {
                    inconsistent++;
                }

                edgeOwnerTriangle[edgeOwnerCount++] = firstTriangle;
                s = e;
            }
        }

        // Shells: label each triangle with its root, numbered in the order of their first triangles; count V, E, F per shell
        // for the Euler characteristic.
        var shellOfRoot = new int[triangleCount];
        var shellOfTriangle = new int[triangleCount];
        int shellCount = 0;
        for (int t = 0; t < triangleCount; t++)
        {
            int root = shells.Find(t);
            if (root == t)
            {
                shellOfRoot[t] = shellCount++; // a root is its shell's first triangle (the smaller root wins each union)
            }

            shellOfTriangle[t] = shellOfRoot[root];
        }

        var faces = new int[shellCount];
        var edgeCounts = new int[shellCount];
        var vertexCounts = new int[shellCount];
        for (int t = 0; t < triangleCount; t++)
        {
            faces[shellOfTriangle[t]]++;
        }

        for (int i = 0; i < edgeOwnerCount; i++)
        {
            edgeCounts[shellOfTriangle[edgeOwnerTriangle[i]]]++;
        }

        // A vertex shared by two shells (touching at a point) counts in each: the first shell of each vertex is kept beside
        // it, and only a vertex met in another shell too goes into a set of (vertex, shell) pairs.
        var firstShellOfVertex = new int[v.Length];
        Array.Fill(firstShellOfVertex, -1);
        HashSet<long>? otherShells = null;
        for (int t = 0; t < triangleCount; t++)
        {
            int shell = shellOfTriangle[t];
            for (int c = 0; c < 3; c++)
            {
                int vertex = idx[(3 * t) + c];
                int first = firstShellOfVertex[vertex];
                if (first < 0)
                {
                    firstShellOfVertex[vertex] = shell;
                    vertexCounts[shell]++;
                }
                else if (first != shell && (otherShells ??= []).Add(((long)vertex << 32) | (uint)shell))
                {
                    vertexCounts[shell]++;
                }
            }
        }

        var euler = new int[shellCount];
        for (int s = 0; s < shellCount; s++)
        {
            euler[s] = vertexCounts[s] - edgeCounts[s] + faces[s];
        }

        int unreferenced = 0;
        var min = new Vector3D(double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity);
        var max = new Vector3D(double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity);
        for (int i = 0; i < v.Length; i++)
        {
            if (firstShellOfVertex[i] < 0)
            {
                unreferenced++;
            }

            min = new(Math.Min(min.X, v[i].X), Math.Min(min.Y, v[i].Y), Math.Min(min.Z, v[i].Z));
            max = new(Math.Max(max.X, v[i].X), Math.Max(max.Y, v[i].Y), Math.Max(max.Z, v[i].Z));
        }

        if (v.Length == 0)
        {
            min = max = Vector3D.Zero;
        }

        return new MeshReport
        {
            Vertices = v.Length,
            Triangles = triangleCount,
            DegenerateTriangles = degenerate,
            DuplicateTriangles = duplicates,
            Edges = edges,
            BoundaryEdges = boundary,
            NonManifoldEdges = nonManifold,
            InconsistentlyOrientedEdges = inconsistent,
            UnreferencedVertices = unreferenced,
            Shells = shellCount,
            ShellEulerCharacteristics = euler,
            VolumeMm3 = volume,
            AreaMm2 = area,
            BoundsMin = min,
            BoundsMax = max,
        };

        static int Decode(int owner) => owner >= 0 ? owner : ~owner;
    }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant(
        $"{Vertices} vertices, {Triangles} triangles, {Shells} shells, boundary {BoundaryEdges}, non-manifold {NonManifoldEdges}, inconsistent {InconsistentlyOrientedEdges}, degenerate {DegenerateTriangles}, duplicate {DuplicateTriangles}, volume {VolumeMm3:F3} mm³, area {AreaMm2:F3} mm²");

    private static Vector3D ToD(Vector3 p) => new(p.X, p.Y, p.Z);

    private sealed class UnionFind
    {
        private readonly int[] _parent;

        public UnionFind(int count)
        {
            _parent = new int[count];
            for (int i = 0; i < count; i++)
            {
                _parent[i] = i;
            }
        }

        public int Find(int x)
        {
            while (_parent[x] != x)
            {
                _parent[x] = _parent[_parent[x]];
                x = _parent[x];
            }

            return x;
        }

        public void Union(int a, int b)
        {
            int ra = Find(a), rb = Find(b);
            if (ra != rb)
            {
                // The smaller root wins so shell numbering follows triangle order.
                if (ra < rb)
                {
                    _parent[rb] = ra;
                }
                else
                {
                    _parent[ra] = rb;
                }
            }
        }
    }
}
