namespace VolumeMesh.Meshing;

/// <summary>
/// The marching-cubes case table, generated from a rule rather than typed in, so that it is closed and
/// edge-manifold for every input by construction.
/// </summary>
/// <remarks>
/// <para>Corner c of a cell is (dx, dy, dz) = (c &amp; 1, (c &gt;&gt; 1) &amp; 1, c &gt;&gt; 2); the case is Σ inside(c)·2^c.
/// Edges 0–3 run along x from (0, dy, dz) with (dy, dz) = (0,0), (1,0), (0,1), (1,1); edges 4–7 along y from
/// (dx, 0, dz) with (dx, dz) likewise; edges 8–11 along z from (dx, dy, 0) with (dx, dy) likewise.</para>
/// <para>Generation: on each face of the cube the crossing points are joined by segments; on an ambiguous face
/// (two diagonal corners inside) the inside corners are separated, so the surface encloses 6-connected inside
/// regions, and because the rule depends only on the face's own corners the two cells sharing a face always
/// agree (the classic inconsistency of Lorensen &amp; Cline 1987 that leaves holes cannot arise). The segments
/// form closed loops on the cube's surface; each loop is oriented so that it runs counter-clockwise seen from
/// outside the surface, and triangulated (minimum total diagonal length) without any diagonal lying in a cube
/// face. Every mesh edge then lies either on a face — used once by each of the two cells sharing it — or
/// strictly inside one cell, used by two triangles of one loop: every edge has exactly two triangles.</para>
/// </remarks>
public static class MarchingCubesTables
{
    /// <summary>For each of the 12 edges: its axis (0 = x, 1 = y, 2 = z).</summary>
    public static ReadOnlySpan<byte> EdgeAxis => [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2];

    /// <summary>For each of the 12 edges: the corner index of its lower end point.</summary>
    public static ReadOnlySpan<byte> EdgeStartCorner => [0, 2, 4, 6, 0, 1, 4, 5, 0, 1, 2, 3];

    /// <summary>For each of the 12 edges: the corner index of its upper end point.</summary>
    public static ReadOnlySpan<byte> EdgeEndCorner => [1, 3, 5, 7, 2, 3, 6, 7, 4, 5, 6, 7];

    /// <summary>Start of case c's triangles in <see cref="TriangleEdges"/> (in edge indices, three per triangle); 257 entries.</summary>
    public static int[] CaseOffsets { get; }

    /// <summary>Triangles of every case as triples of cell edge indices (0–11), counter-clockwise seen from outside.</summary>
    public static byte[] TriangleEdges { get; }

    /// <summary>Number of triangles of each case.</summary>
    public static byte[] TriangleCounts { get; }

    static MarchingCubesTables()
    {
        var offsets = new int[257];
        var edges = new List<byte>(256 * 12);
        var counts = new byte[256];
        for (int cube = 0; cube < 256; cube++)
        {
            offsets[cube] = edges.Count;
            GenerateCase(cube, edges);
            counts[cube] = (byte)((edges.Count - offsets[cube]) / 3);
        }

        offsets[256] = edges.Count;
        CaseOffsets = offsets;
        TriangleEdges = [.. edges];
        TriangleCounts = counts;
    }

    private static (int X, int Y, int Z) Corner(int c) => (c & 1, (c >> 1) & 1, c >> 2);

    private static (double X, double Y, double Z) EdgeMidpoint(int edge)
    {
        var a = Corner(EdgeStartCorner[edge]);
        var b = Corner(EdgeEndCorner[edge]);
        return ((a.X + b.X) / 2.0, (a.Y + b.Y) / 2.0, (a.Z + b.Z) / 2.0);
    }

    private static int Coordinate((int X, int Y, int Z) p, int axis) => axis == 0 ? p.X : axis == 1 ? p.Y : p.Z;

    /// <summary>Whether an edge lies in the face with the given normal axis and side.</summary>
    private static bool EdgeInFace(int edge, int axis, int side) =>
        EdgeAxis[edge] != axis
        && Coordinate(Corner(EdgeStartCorner[edge]), axis) == side
        && Coordinate(Corner(EdgeEndCorner[edge]), axis) == side;

    private static bool EdgesShareFace(int a, int b)
    {
        for (int axis = 0; axis < 3; axis++)
        {
            for (int side = 0; side < 2; side++)
            {
                if (EdgeInFace(a, axis, side) && EdgeInFace(b, axis, side))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static void GenerateCase(int cube, List<byte> output)
    {
        bool Inside(int corner) => ((cube >> corner) & 1) != 0;

        // Directed segments on the faces: next[edge] = the edge the loop continues to.
        var next = new int[12];
        Array.Fill(next, -1);
        for (int axis = 0; axis < 3; axis++)
        {
            for (int side = 0; side < 2; side++)
            {
                var faceEdges = new List<int>(4);
                for (int e = 0; e < 12; e++)
                {
                    if (EdgeInFace(e, axis, side) && Inside(EdgeStartCorner[e]) != Inside(EdgeEndCorner[e]))
                    {
                        faceEdges.Add(e);
                    }
                }

                if (faceEdges.Count == 2)
                {
                    int insideCorner = FaceInsideCorner(cube, axis, side);
                    AddSegment(next, faceEdges[0], faceEdges[1], axis, side, insideCorner);
                }
                else if (faceEdges.Count == 4)
                {
                    // Ambiguous face: cut off each inside corner by joining its two crossed face edges.
                    for (int c = 0; c < 8; c++)
                    {
                        if (!Inside(c) || Coordinate(Corner(c), axis) != side)
                        {
                            continue;
                        }

                        int first = -1, second = -1;
                        foreach (int e in faceEdges)
                        {
                            if (EdgeStartCorner[e] == c || EdgeEndCorner[e] == c)
                            {
                                if (first < 0)
                                {
                                    first = e;
                                }
                                else
                                {
                                    second = e;
                                }
                            }
                        }

                        AddSegment(next, first, second, axis, side, c);
                    }
                }
            }
        }

        // Walk the loops in order of their smallest edge, and triangulate each.
        var visited = new bool[12];
        for (int start = 0; start < 12; start++)
        {
            if (next[start] < 0 || visited[start])
            {
                continue;
            }

            var loop = new List<int>();
            for (int e = start; !visited[e]; e = next[e])
            {
                visited[e] = true;
                loop.Add(e);
            }

            Triangulate(loop, output);
        }
    }

    private static int FaceInsideCorner(int cube, int axis, int side)
    {
        for (int c = 0; c < 8; c++)
        {
            if (((cube >> c) & 1) != 0 && Coordinate(Corner(c), axis) == side)
            {
                return c;
            }
        }

        throw new InvalidOperationException("A crossed face has an inside corner.");
    }

    /// <summary>
    /// Adds the segment between the crossings on edges a and b, directed so that, seen from outside the cube
    /// through this face, the inside corner lies to its right; loops then run counter-clockwise seen from
    /// the outside of the surface.
    /// </summary>
    private static void AddSegment(int[] next, int a, int b, int axis, int side, int insideCorner)
    {
        var pa = EdgeMidpoint(a);
        var pb = EdgeMidpoint(b);
        var c = Corner(insideCorner);
        (double X, double Y, double Z) ab = (pb.X - pa.X, pb.Y - pa.Y, pb.Z - pa.Z);
        (double X, double Y, double Z) ac = (c.X - pa.X, c.Y - pa.Y, c.Z - pa.Z);
        double[] cross = [(ab.Y * ac.Z) - (ab.Z * ac.Y), (ab.Z * ac.X) - (ab.X * ac.Z), (ab.X * ac.Y) - (ab.Y * ac.X)];
        double outward = side == 0 ? -1 : 1;
        bool forward = outward * cross[axis] < 0;
        int from = forward ? a : b, to = forward ? b : a;
        if (next[from] >= 0)
        {
            throw new InvalidOperationException("Marching-cubes table generation met an edge with two outgoing segments.");
        }

        next[from] = to;
    }

    /// <summary>Triangulates a loop (minimum total diagonal length, no diagonal inside a cube face), keeping its orientation.</summary>
    private static void Triangulate(List<int> loop, List<byte> output)
    {
        int n = loop.Count;
        if (n < 3)
        {
            throw new InvalidOperationException("A marching-cubes loop has fewer than three crossings.");
        }

        var cost = new double[n, n];
        var split = new int[n, n];
        for (int length = 2; length < n; length++)
        {
            for (int i = 0; i + length < n; i++)
            {
                int j = i + length;
                cost[i, j] = double.PositiveInfinity;
                double diagonal = (i == 0 && j == n - 1) ? 0 : DiagonalCost(loop[i], loop[j]);
                for (int k = i + 1; k < j; k++)
                {
                    double c = cost[i, k] + cost[k, j] + diagonal;
                    if (c < cost[i, j])
                    {
                        cost[i, j] = c;
                        split[i, j] = k;
                    }
                }
            }
        }

        if (double.IsPositiveInfinity(cost[0, n - 1]))
        {
            throw new InvalidOperationException("A marching-cubes loop cannot be triangulated without a diagonal in a cube face.");
        }

        Emit(0, n - 1);

        void Emit(int i, int j)
        {
            if (j - i < 2)
            {
                return;
            }

            int k = split[i, j];
            output.Add((byte)loop[i]);
            output.Add((byte)loop[k]);
            output.Add((byte)loop[j]);
            Emit(i, k);
            Emit(k, j);
        }
    }

    private static double DiagonalCost(int a, int b)
    {
        if (EdgesShareFace(a, b))
        {
            return double.PositiveInfinity;
        }

        var pa = EdgeMidpoint(a);
        var pb = EdgeMidpoint(b);
        double dx = pa.X - pb.X, dy = pa.Y - pb.Y, dz = pa.Z - pb.Z;
        return Math.Sqrt((dx * dx) + (dy * dy) + (dz * dz));
    }
}
