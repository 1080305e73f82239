using VolumeMesh.Geometry;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Meshing;

/// <summary>Small generated volumes for the meshing tests.</summary>
internal static class TestVolumes
{
    /// <summary>
    /// The geometry of the shared sphere phantom: spacing 0.7, 0.7, 1.25 mm through a direction matrix rotated 30°
    /// about z and mirrored in x, so index space maps to a left-handed frame in patient space.
    /// </summary>
    public static VolumeGeometry RotatedLeftHanded(int n)
    {
        double c = Math.Cos(Math.PI / 6), s = Math.Sin(Math.PI / 6);

        // Columns of rot · diag(−1, 1, 1) · diag(0.7, 0.7, 1.25).
        var di = new Vector3D(-c * 0.7, -s * 0.7, 0);
        var dj = new Vector3D(-s * 0.7, c * 0.7, 0);
        var dk = new Vector3D(0, 0, 1.25);
        return VolumeGeometry.FromAffine(n, n, n, new Vector3D(10, -20, 30), di, dj, dk);
    }

    /// <summary>Signed distance in voxels, positive inside, to a sphere of the given radius about the grid centre.</summary>
    public static Volume<float> Sphere(VolumeGeometry geometry, double radius, out (double X, double Y, double Z) centre)
    {
        var volume = new Volume<float>(geometry);
        var c = ((geometry.SizeX - 1) / 2.0, (geometry.SizeY - 1) / 2.0, (geometry.SizeZ - 1) / 2.0);
        centre = c;
        for (int k = 0; k < geometry.SizeZ; k++)
        {
            for (int j = 0; j < geometry.SizeY; j++)
            {
                for (int i = 0; i < geometry.SizeX; i++)
                {
                    double dx = i - c.Item1, dy = j - c.Item2, dz = k - c.Item3;
                    volume[i, j, k] = (float)(radius - Math.Sqrt((dx * dx) + (dy * dy) + (dz * dz)));
                }
            }
        }

        return volume;
    }

    /// <summary>Uniform noise in [0, 1).</summary>
    public static Volume<float> Noise(int nx, int ny, int nz, int seed, VolumeGeometry? geometry = null)
    {
        var random = new Random(seed);
        var volume = new Volume<float>(geometry ?? VolumeGeometry.AxisAligned(nx, ny, nz));
        for (int i = 0; i < volume.Voxels.Length; i++)
        {
            volume.Voxels[i] = random.NextSingle();
        }

        return volume;
    }
}
