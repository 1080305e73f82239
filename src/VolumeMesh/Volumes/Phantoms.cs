using VolumeMesh.Geometry;

namespace VolumeMesh.Volumes;

/// <summary>Synthetic test volumes: a CT phantom in Hounsfield units, a signed-distance sphere, a gyroid and noise.</summary>
/// <remarks>
/// The shapes follow the peers' generator (<c>../shared/peers/phantoms.py</c>), so both sides can mesh the same structures;
/// the noise comes from this library's own deterministic generator (one stream per slice), so values are reproducible for
/// a seed and identical for any thread count, but not equal to numpy's. Generation is parallel over slices.
/// </remarks>
public static class Phantoms
{
    /// <summary>The in-plane size of the full CT phantom.</summary>
    public const int CtMatrix = 512;

    /// <summary>A 512×512×<paramref name="slices"/> CT phantom (int16 HU, 0.7×0.7×1.0 mm), as <c>phantoms.py ct</c> builds it.</summary>
    /// <param name="slices">Slices (the peers' benchmark uses 400).</param>
    /// <param name="seed">Noise seed.</param>
    /// <returns>The phantom.</returns>
    /// <inheritdoc cref="CtPhantom(int, int, int)" path="/remarks"/>
    public static Volume<short> CtPhantom(int slices, int seed) => CtPhantom(CtMatrix, slices, seed);

    /// <summary>A CT phantom of <paramref name="size"/>×<paramref name="size"/>×<paramref name="slices"/> voxels (int16 HU,
    /// 0.7×0.7×1.0 mm), with the structure of the 512² phantom scaled by <paramref name="size"/>/512.</summary>
    /// <param name="size">In-plane size (512 for the full phantom; at least 16).</param>
    /// <param name="slices">Slices.</param>
    /// <param name="seed">Noise seed.</param>
    /// <returns>The phantom.</returns>
    /// <remarks>
    /// Air −1000; an elliptic body of soft tissue 40 (semi-axes 200 and 150 voxels at 512²); a bone sphere (centre x 230, y 250,
    /// mid-volume, z stretched by 1.6) with cortical shell 1200 (r ≤ 70), spongy bone 300 (r ≤ 60) and marrow 60 (r ≤ 40); a
    /// second bone 900 (centre x 345, r ≤ 40) joined to the first by a one-voxel-thick bridge of 900 at y 250 across the
    /// gap, in the middle slice or two; a table 500 (y 430–439, x 40–471). Gaussian noise σ 20 HU (truncated toward zero,
    /// as numpy's <c>astype(int16)</c> does) is added and values are clipped to −1024..3071. At the bone preset 226..3071
    /// the two bones form one component through the bridge, and the table a second one.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">A size is too small.</exception>
    public static Volume<short> CtPhantom(int size, int slices, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 16);
        ArgumentOutOfRangeException.ThrowIfLessThan(slices, 1);
        var volume = new Volume<short>(VolumeGeometry.AxisAligned(size, size, slices, 0.7, 0.7, 1.0));
        double s = size / (double)CtMatrix;
        double zc = (slices - 1) / 2.0;
        double cx = 230 * s, cy = 250 * s, c2x = 345 * s;
        double r70 = 70 * s, r60 = 60 * s, r40 = 40 * s;
        double bodyX = 256 * s, bodyY = 256 * s, bodyA = 200 * s, bodyB = 150 * s;
        int bridgeY = (int)Math.Round(250 * s);

        // At full size the bridge is x 300..305 as in phantoms.py; scaled down it widens by a voxel each way so that it
        // still reaches into both bones.
        int bridgeX0 = size == CtMatrix ? 300 : (int)Math.Floor(300 * s) - 1;
        int bridgeX1 = size == CtMatrix ? 305 : (int)Math.Ceiling(305 * s) + 1;
        int tableY0 = (int)Math.Round(430 * s), tableY1 = Math.Max(tableY0 + 1, (int)Math.Round(440 * s));
        int tableX0 = (int)Math.Round(40 * s), tableX1 = (int)Math.Round(472 * s);

        Parallel.For(0, slices, k =>
        {
            var random = new PhantomRandom(seed, k);
            Span<short> slice = volume.Slice(k);
            double dz = (k - zc) * 1.6;
            double dz2 = dz * dz;
            bool bridgeSlice = Math.Abs(k - zc) < 1;
            for (int j = 0; j < size; j++)
            {
                double dy = j - cy;
                double by = (j - bodyY) / bodyB;
                bool tableRow = j >= tableY0 && j < tableY1;
                Span<short> row = slice.Slice(j * size, size);
                for (int i = 0; i < size; i++)
                {
                    int value = -1000;
                    double bx = (i - bodyX) / bodyA;
                    if ((bx * bx) + (by * by) <= 1)
                    {
                        value = 40;
                    }

                    double dx = i - cx;
                    double r = Math.Sqrt((dx * dx) + (dy * dy) + dz2);
                    if (r <= r70)
                    {
                        value = r <= r40 ? 60 : r <= r60 ? 300 : 1200;
                    }

                    double dx2 = i - c2x;
                    if (Math.Sqrt((dx2 * dx2) + (dy * dy) + dz2) <= r40 ||
                        (bridgeSlice && j == bridgeY && i >= bridgeX0 && i <= bridgeX1))
                    {
                        value = 900;
                    }

                    if (tableRow && i >= tableX0 && i < tableX1)
                    {
                        value = 500;
                    }

                    value += (int)(random.NextGaussian() * 20f);
                    row[i] = (short)Math.Clamp(value, -1024, 3071);
                }
            }
        });

        return volume;
    }

    /// <summary>The left-handed, anisotropic geometry <c>phantoms.py sphere</c> writes: spacing 0.7×0.7×1.25 mm, rotated 30°
    /// about z and mirrored in x, origin (10, −20, 30) mm.</summary>
    /// <param name="n">Voxels along each axis.</param>
    /// <returns>The geometry (<see cref="VolumeGeometry.IsRightHanded"/> is false).</returns>
    public static VolumeGeometry MirroredRotatedGeometry(int n)
    {
        double c = Math.Cos(Math.PI / 6), s = Math.Sin(Math.PI / 6);
        return VolumeGeometry.FromAffine(
            n, n, n, new Vector3D(10, -20, 30), new Vector3D(-0.7 * c, -0.7 * s, 0), new Vector3D(-0.7 * s, 0.7 * c, 0), new Vector3D(0, 0, 1.25));
    }

    /// <summary>A sphere as a signed distance field in voxel units: <c>radius − |index − centre|</c>, positive inside (iso 0),
    /// centred at index ((n−1)/2, (n−1)/2, (n−1)/2).</summary>
    /// <param name="n">Voxels along each axis.</param>
    /// <param name="radius">Radius in voxels (phantoms.py uses 0.3 n).</param>
    /// <param name="geometry">The geometry, n³; axis-aligned 1 mm when null (see <see cref="MirroredRotatedGeometry"/>).</param>
    /// <returns>The field.</returns>
    /// <exception cref="ArgumentException">The geometry is not n×n×n.</exception>
    public static Volume<float> SphereDistanceField(int n, double radius, VolumeGeometry? geometry = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        geometry ??= VolumeGeometry.AxisAligned(n, n, n);
        if (geometry.SizeX != n || geometry.SizeY != n || geometry.SizeZ != n)
        {
            throw new ArgumentException($"The geometry is {geometry.SizeX}×{geometry.SizeY}×{geometry.SizeZ}, not {n}³.", nameof(geometry));
        }

        var volume = new Volume<float>(geometry);
        double c = (n - 1) / 2.0;
        Parallel.For(0, n, k =>
        {
            Span<float> slice = volume.Slice(k);
            double dz2 = (k - c) * (k - c);
            for (int j = 0; j < n; j++)
            {
                double dyz = ((j - c) * (j - c)) + dz2;
                for (int i = 0; i < n; i++)
                {
                    slice[(j * n) + i] = (float)(radius - Math.Sqrt(((i - c) * (i - c)) + dyz));
                }
            }
        });

        return volume;
    }

    /// <summary>A gyroid, <c>sin x cos y + sin y cos z + sin z cos x</c> over [0, 4π]³ sampled at n points per axis (iso 0),
    /// as <c>phantoms.py gyroid</c>; 1 mm axis-aligned geometry.</summary>
    /// <param name="n">Voxels along each axis (the benchmark uses 256).</param>
    /// <returns>The field.</returns>
    public static Volume<float> Gyroid(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 2);
        var volume = new Volume<float>(VolumeGeometry.AxisAligned(n, n, n));
        var sin = new float[n];
        var cos = new float[n];
        for (int i = 0; i < n; i++)
        {
            float t = (float)(4 * Math.PI * i / (n - 1));
            sin[i] = MathF.Sin(t);
            cos[i] = MathF.Cos(t);
        }

        Parallel.For(0, n, k =>
        {
            Span<float> slice = volume.Slice(k);
            for (int j = 0; j < n; j++)
            {
                float a = sin[j] * cos[k];
                for (int i = 0; i < n; i++)
                {
                    slice[(j * n) + i] = (sin[i] * cos[j]) + a + (sin[k] * cos[i]);
                }
            }
        });

        return volume;
    }

    /// <summary>Uniform noise in [0, 1) (iso 0.5), n³, 1 mm axis-aligned: the hardest input for a case table's consistency.</summary>
    /// <param name="n">Voxels along each axis.</param>
    /// <param name="seed">Seed.</param>
    /// <returns>The field.</returns>
    public static Volume<float> Noise(int n, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var volume = new Volume<float>(VolumeGeometry.AxisAligned(n, n, n));
        Parallel.For(0, n, k =>
        {
            var random = new PhantomRandom(seed, k);
            Span<float> slice = volume.Slice(k);
            for (int i = 0; i < slice.Length; i++)
            {
                slice[i] = random.NextFloat();
            }
        });

        return volume;
    }
}
