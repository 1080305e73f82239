using System.Numerics;
using VolumeMesh.Geometry;
using VolumeMesh.Meshing;

namespace VolumeMesh.Planning;

/// <summary>Closed, edge-manifold, counter-clockwise (outward) meshes of the simple solids planning parts are made of.</summary>
/// <remarks>Coordinates are patient LPS millimetres; every mesh has positive signed volume and one shell.</remarks>
public static class PlanningShapes
{
    /// <summary>A closed cylinder whose axis runs from <paramref name="start"/> to <paramref name="end"/>: two rings of
    /// <paramref name="segments"/> vertices and one centre vertex per cap, placed exactly at the two points.</summary>
    /// <param name="start">Centre of the first cap, LPS mm.</param>
    /// <param name="end">Centre of the second cap, LPS mm.</param>
    /// <param name="radiusMm">Radius in mm.</param>
    /// <param name="segments">Vertices per ring, at least 3 (default 32).</param>
    /// <returns>The cylinder: 2·segments + 2 vertices, 4·segments triangles.</returns>
    /// <exception cref="ArgumentException">The points coincide or are not finite, or the radius is not a positive finite number.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="segments"/> is under 3.</exception>
    public static Mesh Cylinder(Vector3D start, Vector3D end, double radiusMm, int segments = 32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(segments, 3);
        RequirePositive(radiusMm, nameof(radiusMm));
        if (!start.IsFinite || !end.IsFinite)
        {
            throw new ArgumentException($"The cylinder's end points {start} and {end} must be finite.", nameof(start));
        }

        Vector3D axis = end - start;
        if (!(axis.Length > 1e-6))
        {
            throw new ArgumentException($"The cylinder's end points {start} and {end} coincide.", nameof(end));
        }

        (Vector3D u, Vector3D v) = Perpendiculars(axis.Normalized());
        var vertices = new Vector3[(2 * segments) + 2];
        for (int s = 0; s < segments; s++)
        {
            double angle = 2 * Math.PI * s / segments;
            Vector3D offset = ((u * Math.Cos(angle)) + (v * Math.Sin(angle))) * radiusMm;
            vertices[s] = ToFloat(start + offset);
            vertices[segments + s] = ToFloat(end + offset);
        }

        int startCentre = 2 * segments;
        int endCentre = startCentre + 1;
        vertices[startCentre] = ToFloat(start);
        vertices[endCentre] = ToFloat(end);

        // (u, v, axis) is right-handed, so the rings run counter-clockwise seen from beyond the end cap.
        var indices = new int[12 * segments];
        int n = 0;
        for (int s = 0; s < segments; s++)
        {
            int a0 = s;
            int a1 = (s + 1) % segments;
            int b0 = segments + s;
            int b1 = segments + a1;

            // Side: outward normal is radial.
            indices[n++] = a0;
            indices[n++] = a1;
            indices[n++] = b1;
            indices[n++] = a0;
            indices[n++] = b1;
            indices[n++] = b0;

            // End cap (normal along the axis) and start cap (normal against it).
            indices[n++] = endCentre;
            indices[n++] = b0;
            indices[n++] = b1;
            indices[n++] = startCentre;
            indices[n++] = a1;
            indices[n++] = a0;
        }

        return new Mesh(vertices, indices);
    }

    /// <summary>A sphere as a subdivided icosahedron (every vertex projected onto the sphere).</summary>
    /// <param name="centre">Centre, LPS mm.</param>
    /// <param name="radiusMm">Radius in mm.</param>
    /// <param name="subdivisions">Subdivision levels, 0 to 6 (default 2: 162 vertices, 320 triangles).</param>
    /// <returns>The sphere: 10·4^s + 2 vertices, 20·4^s triangles.</returns>
    /// <exception cref="ArgumentException">The centre is not finite or the radius is not a positive finite number.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="subdivisions"/> is outside 0 to 6.</exception>
    public static Mesh Icosphere(Vector3D centre, double radiusMm, int subdivisions = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(subdivisions, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(subdivisions, 6);
        RequirePositive(radiusMm, nameof(radiusMm));
        if (!centre.IsFinite)
        {
            throw new ArgumentException($"The sphere's centre {centre} must be finite.", nameof(centre));
        }

        double t = (1 + Math.Sqrt(5)) / 2;
        var points = new List<Vector3D>
        {
            new(-1, t, 0), new(1, t, 0), new(-1, -t, 0), new(1, -t, 0),
            new(0, -1, t), new(0, 1, t), new(0, -1, -t), new(0, 1, -t),
            new(t, 0, -1), new(t, 0, 1), new(-t, 0, -1), new(-t, 0, 1),
        };
        for (int p = 0; p < points.Count; p++)
        {
            points[p] = points[p].Normalized();
        }

        // Counter-clockwise seen from outside.
        int[] faces =
        [
            0, 11, 5, 0, 5, 1, 0, 1, 7, 0, 7, 10, 0, 10, 11,
            1, 5, 9, 5, 11, 4, 11, 10, 2, 10, 7, 6, 7, 1, 8,
            3, 9, 4, 3, 4, 2, 3, 2, 6, 3, 6, 8, 3, 8, 9,
            4, 9, 5, 2, 4, 11, 6, 2, 10, 8, 6, 7, 9, 8, 1,
        ];
        for (int level = 0; level < subdivisions; level++)
        {
            var midpoints = new Dictionary<long, int>();
            var next = new int[faces.Length * 4];
            int n = 0;
            for (int f = 0; f < faces.Length; f += 3)
            {
                int a = faces[f];
                int b = faces[f + 1];
                int c = faces[f + 2];
                int ab = Midpoint(points, midpoints, a, b);
                int bc = Midpoint(points, midpoints, b, c);
                int ca = Midpoint(points, midpoints, c, a);
                ReadOnlySpan<int> split = [a, ab, ca, b, bc, ab, c, ca, bc, ab, bc, ca];
                split.CopyTo(next.AsSpan(n));
                n += split.Length;
            }

            faces = next;
        }

        var vertices = new Vector3[points.Count];
        for (int p = 0; p < points.Count; p++)
        {
            vertices[p] = ToFloat(centre + (points[p] * radiusMm));
        }

        return new Mesh(vertices, faces);
    }

    /// <summary>Two unit vectors completing <paramref name="axis"/> to a right-handed orthonormal frame (u × v = axis).</summary>
    /// <param name="axis">A unit vector.</param>
    /// <returns>u and v.</returns>
    internal static (Vector3D U, Vector3D V) Perpendiculars(Vector3D axis)
    {
        Vector3D helper = Math.Abs(axis.X) < 0.9 ? new Vector3D(1, 0, 0) : new Vector3D(0, 1, 0);
        Vector3D u = Vector3D.Cross(helper, axis).Normalized();
        Vector3D v = Vector3D.Cross(axis, u);
        return (u, v);
    }

    private static int Midpoint(List<Vector3D> points, Dictionary<long, int> cache, int a, int b)
    {
        long key = a < b ? ((long)a << 32) | (uint)b : ((long)b << 32) | (uint)a;
        if (!cache.TryGetValue(key, out int index))
        {
            index = points.Count;
            points.Add(((points[a] + points[b]) * 0.5).Normalized());
            cache.Add(key, index);
        }

        return index;
    }

    private static Vector3 ToFloat(Vector3D p) => new((float)p.X, (float)p.Y, (float)p.Z);

    private static void RequirePositive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new ArgumentException($"The radius must be a positive finite number of millimetres, not {value}.", name);
        }
    }
}
