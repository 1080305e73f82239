using VolumeMesh.Geometry;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Planning;

/// <summary>Analytic test fields in patient millimetres on an oblique grid (positive inside, iso 0).</summary>
internal static class PlanningFields
{
    /// <summary>An isotropic grid rotated about an oblique axis, so patient axes and index axes differ.</summary>
    public static VolumeGeometry ObliqueGrid(int n, double spacing, Vector3D centre)
    {
        // Rotation by 25° about (1, 2, 2)/3 (Rodrigues), applied to the index axes.
        var k = new Vector3D(1, 2, 2) / 3;
        double angle = 25 * Math.PI / 180;
        Vector3D Rotate(Vector3D v) =>
            (v * Math.Cos(angle)) + (Vector3D.Cross(k, v) * Math.Sin(angle)) + (k * (Vector3D.Dot(k, v) * (1 - Math.Cos(angle))));
        Vector3D di = Rotate(new Vector3D(spacing, 0, 0));
        Vector3D dj = Rotate(new Vector3D(0, spacing, 0));
        Vector3D dk = Rotate(new Vector3D(0, 0, spacing));
        double half = (n - 1) / 2.0;
        Vector3D origin = centre - (di * half) - (dj * half) - (dk * half);
        return VolumeGeometry.FromAffine(n, n, n, origin, di, dj, dk);
    }

    /// <summary>Samples <paramref name="field"/> at every voxel centre's patient position.</summary>
    public static Volume<float> Sample(VolumeGeometry geometry, Func<Vector3D, double> field)
    {
        var volume = new Volume<float>(geometry);
        Parallel.For(0, geometry.SizeZ, k =>
        {
            for (int j = 0; j < geometry.SizeY; j++)
            {
                for (int i = 0; i < geometry.SizeX; i++)
                {
                    volume[i, j, k] = (float)field(geometry.IndexToPatient(i, j, k));
                }
            }
        });
        return volume;
    }
}
