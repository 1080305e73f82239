using VolumeMesh.Geometry;
using VolumeMesh.Volumes;

namespace VolumeMesh.Compute;

/// <summary>Deterministic synthetic volumes for equality checks and benchmarks (a CT-like phantom, a gyroid, noise).</summary>
internal static class SyntheticVolumes
{
    /// <summary>
    /// An int16 CT-like phantom in HU: air (−1000) around an elliptic body (40), a thick bone shell (1200) around
    /// trabecular bone (300, exactly the usual iso), two dense spheres (1500) and a slow ramp, so that many voxels lie
    /// exactly at iso levels 300 and 1200.
    /// </summary>
    public static Volume<short> CtPhantom(int nx, int ny, int nz, double spacingXy = 0.7, double spacingZ = 0.8)
    {
        var volume = new Volume<short>(VolumeGeometry.AxisAligned(nx, ny, nz, spacingXy, spacingXy, spacingZ, new Vector3D(-0.5 * nx * spacingXy, -0.5 * ny * spacingXy, 0)));
        short[] voxels = volume.Voxels;
        Parallel.For(0, nz, k =>
        {
            double w = (k + 0.5) / nz;
            for (int j = 0; j < ny; j++)
            {
                double v = ((j + 0.5) / ny) - 0.5;
                long row = ((long)k * ny + j) * nx;
                for (int i = 0; i < nx; i++)
                {
                    double u = ((i + 0.5) / nx) - 0.5;
                    double body = (u * u / 0.2) + (v * v / 0.12);
                    short value = -1000;
                    if (body < 1)
                    {
                        value = 40;
                        double du = u - 0.08, dv = v + 0.02;
                        double bone = (du * du / 0.03) + (dv * dv / 0.02) + (0.15 * Math.Sin(6 * Math.PI * w));
                        if (bone < 0.55)
                        {
                            value = 300;
                        }
                        else if (bone < 1)
                        {
                            value = 1200;
                        }

                        double s1 = Square(u + 0.22) + Square(v - 0.05) + Square(w - 0.3);
                        double s2 = Square(u + 0.15) + Square(v + 0.12) + Square(w - 0.7);
                        if (s1 < 0.006 || s2 < 0.004)
                        {
                            value = 1500;
                        }

                        // A ramp of soft tissue that passes through 300 exactly along some rows.
                        if (value == 40 && u > 0.25)
                        {
                            value = (short)(40 + (int)(2600 * (u - 0.25)));
                        }
                    }

                    voxels[row + i] = value;
                }
            }
        });
        return volume;
    }

    /// <summary>An int16 gyroid (values ×1000 of sin x cos y + sin y cos z + sin z cos x) with the given period in voxels.</summary>
    public static Volume<short> Gyroid(int nx, int ny, int nz, double periodVoxels = 64)
    {
        var volume = new Volume<short>(VolumeGeometry.AxisAligned(nx, ny, nz));
        short[] voxels = volume.Voxels;
        double f = 2 * Math.PI / periodVoxels;
        Parallel.For(0, nz, k =>
        {
            double z = k * f;
            for (int j = 0; j < ny; j++)
            {
                double y = j * f;
                long row = ((long)k * ny + j) * nx;
                for (int i = 0; i < nx; i++)
                {
                    double x = i * f;
                    double g = (Math.Sin(x) * Math.Cos(y)) + (Math.Sin(y) * Math.Cos(z)) + (Math.Sin(z) * Math.Cos(x));
                    voxels[row + i] = (short)Math.Round(1000 * g);
                }
            }
        });
        return volume;
    }

    /// <summary>A float volume of uniform noise in [0, 1) from a fixed seed.</summary>
    public static Volume<float> Noise(int nx, int ny, int nz, int seed, VolumeGeometry? geometry = null)
    {
        var volume = new Volume<float>(geometry ?? VolumeGeometry.AxisAligned(nx, ny, nz));
        var random = new Random(seed);
        for (int n = 0; n < volume.Voxels.Length; n++)
        {
            volume.Voxels[n] = random.NextSingle();
        }

        return volume;
    }

    /// <summary>A float signed distance to a sphere (negative inside, so the inside is value ≥ 0 when negated: values are radius − distance).</summary>
    public static Volume<float> Sphere(VolumeGeometry geometry, double radiusVoxels)
    {
        var volume = new Volume<float>(geometry);
        double cx = (geometry.SizeX - 1) / 2.0 + 0.13, cy = (geometry.SizeY - 1) / 2.0 - 0.21, cz = (geometry.SizeZ - 1) / 2.0 + 0.07;
        for (int k = 0; k < geometry.SizeZ; k++)
        {
            for (int j = 0; j < geometry.SizeY; j++)
            {
                for (int i = 0; i < geometry.SizeX; i++)
                {
                    double d = Math.Sqrt(Square(i - cx) + Square(j - cy) + Square(k - cz));
                    volume[i, j, k] = (float)(radiusVoxels - d);
                }
            }
        }

        return volume;
    }

    private static double Square(double x) => x * x;
}
