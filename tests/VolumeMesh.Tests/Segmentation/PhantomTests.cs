using VolumeMesh.Geometry;
using VolumeMesh.IO;
using VolumeMesh.Segmentation;
using VolumeMesh.Tests.Support;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Segmentation;

public sealed class PhantomTests
{
    [Fact]
    public void CtPhantomHasTheDocumentedStructurePlusNoise()
    {
        Volume<short> ct = Phantoms.CtPhantom(4, seed: 7);
        Assert.Equal((512, 512, 4), (ct.SizeX, ct.SizeY, ct.SizeZ));
        Assert.Equal(0.7, ct.Geometry.SpacingX);
        Assert.Equal(1.0, ct.Geometry.SliceSpacingMean, 12);

        // Oracle: the noiseless phantom written out here from its description; the difference must look like σ 20 noise.
        double sum = 0, sumSquares = 0;
        long count = 0;
        double zc = 1.5;
        for (int k = 0; k < 4; k++)
        {
            for (int j = 0; j < 512; j++)
            {
                for (int i = 0; i < 512; i++)
                {
                    int expected = NoiselessCt(i, j, k, zc);
                    int difference = ct[i, j, k] - expected;
                    if (expected > -1000)
                    {
                        sum += difference;
                        sumSquares += difference * (double)difference;
                        count++;
                    }

                    if (Math.Abs(difference) > 150)
                    {
                        Assert.Fail($"voxel ({i}, {j}, {k}) = {ct[i, j, k]}, noiseless {expected}");
                    }
                }
            }
        }

        double mean = sum / count, sigma = Math.Sqrt((sumSquares / count) - (mean * mean));
        Assert.InRange(mean, -0.3, 0.3);
        Assert.InRange(sigma, 19.0, 20.5); // truncation toward zero shaves a little off σ 20
        Assert.InRange(ct.Voxels.Min(), (short)-1024, (short)3071);
        Assert.InRange(ct.Voxels.Max(), (short)-1024, (short)3071);
    }

    [Fact]
    public void CtPhantomIsDeterministicPerSeed()
    {
        Assert.Equal(Phantoms.CtPhantom(64, 9, 1).Voxels, Phantoms.CtPhantom(64, 9, 1).Voxels);
        Assert.NotEqual(Phantoms.CtPhantom(64, 9, 1).Voxels, Phantoms.CtPhantom(64, 9, 2).Voxels);
    }

    [Theory]
    [InlineData(128, 48)]
    [InlineData(64, 25)]
    public void ScaledCtPhantomBonesAreJoinedByTheBridgeAndTheTableIsSeparate(int size, int slices)
    {
        Volume<short> ct = Phantoms.CtPhantom(size, slices, seed: 3);
        Mask bone = Threshold.Apply(ct, ThresholdPresets.Bone);
        double s = size / 512.0;
        int zc = slices / 2;
        int y = (int)Math.Round(250 * s);

        // Flood fill (6-connected) from the first bone's cortical shell.
        bool[] reached = Flood(bone, (int)Math.Round((230 - 65) * s), y, zc);
        int Index(int i, int j, int k) => (int)bone.Volume.IndexOf(i, j, k);
        Assert.True(reached[Index((int)Math.Round(345 * s), y, zc)], "the second bone is not connected through the bridge");
        Assert.False(reached[Index(size / 2, (int)Math.Round(435 * s), zc)], "the table touches the bone");
        Assert.True(bone[size / 2, (int)Math.Round(435 * s), zc]);

        // Without the bridge slices the bones are apart: every path goes through the bridge.
        Mask cut = Threshold.Apply(ct, ThresholdPresets.Bone);
        for (int k = 0; k < slices; k++)
        {
            if (Math.Abs(k - ((slices - 1) / 2.0)) < 1)
            {
                for (int i = (int)Math.Floor(300 * s) - 1; i <= (int)Math.Ceiling(305 * s) + 1; i++)
                {
                    cut.Voxels[Index(i, y, k)] = 0;
                }
            }
        }

        bool[] apart = Flood(cut, (int)Math.Round((230 - 65) * s), y, zc);
        Assert.False(apart[Index((int)Math.Round(345 * s), y, zc)]);
    }

    [Fact]
    public void SphereDistanceFieldIsRadiusMinusDistance()
    {
        VolumeGeometry geometry = Phantoms.MirroredRotatedGeometry(21);
        Volume<float> sphere = Phantoms.SphereDistanceField(21, 6.3, geometry);
        Assert.Same(geometry, sphere.Geometry);
        Assert.False(sphere.Geometry.IsRightHanded);
        Assert.Equal(6.3f, sphere[10, 10, 10], 5);
        Assert.Equal(6.3f - 10f, sphere[0, 10, 10], 5);
        Assert.Equal((float)(6.3 - Math.Sqrt(300)), sphere[0, 0, 0], 5);
        Assert.Equal(0.7, geometry.SpacingX, 12);
        Assert.Equal(1.25, geometry.SliceSpacingMean, 12);
        Assert.Throws<ArgumentException>(() => Phantoms.SphereDistanceField(20, 5, geometry));
    }

    [Fact]
    public void GyroidMatchesItsFormula()
    {
        const int n = 33;
        Volume<float> gyroid = Phantoms.Gyroid(n);
        for (int k = 0; k < n; k += 4)
        {
            for (int j = 0; j < n; j += 3)
            {
                for (int i = 0; i < n; i++)
                {
                    double x = 4 * Math.PI * i / (n - 1), y = 4 * Math.PI * j / (n - 1), z = 4 * Math.PI * k / (n - 1);
                    double expected = (Math.Sin(x) * Math.Cos(y)) + (Math.Sin(y) * Math.Cos(z)) + (Math.Sin(z) * Math.Cos(x));
                    Assert.True(Math.Abs(expected - gyroid[i, j, k]) < 1e-5, $"({i}, {j}, {k})");
                }
            }
        }
    }

    [Fact]
    public void NoiseIsUniformAndDeterministic()
    {
        Volume<float> a = Phantoms.Noise(32, 5);
        Assert.Equal(a.Voxels, Phantoms.Noise(32, 5).Voxels);
        Assert.NotEqual(a.Voxels, Phantoms.Noise(32, 6).Voxels);
        Assert.InRange(a.Voxels.Min(), 0f, 0.99999994f);
        Assert.InRange(a.Voxels.Max(), 0f, 0.99999994f);
        Assert.InRange(a.Voxels.Average(), 0.49, 0.51);
    }

    [SkippableFact]
    public void CtPhantomMatchesThePeerGeneratorUpToNoise()
    {
        string? peers = RepoPaths.Peers;
        Skip.If(peers is null || !File.Exists(Path.Combine(peers, "phantoms.py")), "../shared/peers/phantoms.py is not present");
        Skip.If(RepoPaths.PythonWithNumpy is null, "no python3 with numpy on this machine");
        using var folder = new TempFolder();
        string path = folder.File("ct.nrrd");
        var result = RepoPaths.Run(RepoPaths.PythonWithNumpy!, Path.Combine(peers!, "phantoms.py"), "ct", path, "--size", "3");
        Assert.True(result.ExitCode == 0, result.Output);

        Volume<short> theirs = NrrdReader.Read(path).AsInt16();
        Volume<short> ours = Phantoms.CtPhantom(3, seed: 1);
        Assert.Equal((theirs.SizeX, theirs.SizeY, theirs.SizeZ), (ours.SizeX, ours.SizeY, ours.SizeZ));
        double sumAbs = 0;
        for (int i = 0; i < ours.Voxels.Length; i++)
        {
            int difference = ours.Voxels[i] - theirs.Voxels[i];
            if (Math.Abs(difference) > 220)
            {
                Assert.Fail($"voxel {i}: ours {ours.Voxels[i]}, phantoms.py {theirs.Voxels[i]}");
            }

            sumAbs += Math.Abs(difference);
        }

        // Two independent σ-20 noises differ by about 20·√2·√(2/π) ≈ 22.6 on average (clipping in air lowers it).
        Assert.InRange(sumAbs / ours.Voxels.Length, 12, 24);
    }

    private static int NoiselessCt(int i, int j, int k, double zc)
    {
        int v = -1000;
        if (Math.Pow((i - 256) / 200.0, 2) + Math.Pow((j - 256) / 150.0, 2) <= 1)
        {
            v = 40;
        }

        double r = Math.Sqrt(Math.Pow(i - 230.0, 2) + Math.Pow(j - 250.0, 2) + Math.Pow((k - zc) * 1.6, 2));
        if (r <= 70)
        {
            v = 1200;
        }

        if (r <= 60)
        {
            v = 300;
        }

        if (r <= 40)
        {
            v = 60;
        }

        double r2 = Math.Sqrt(Math.Pow(i - 345.0, 2) + Math.Pow(j - 250.0, 2) + Math.Pow((k - zc) * 1.6, 2));
        if (r2 <= 40 || (j == 250 && i > 299 && i < 306 && Math.Abs(k - zc) < 1))
        {
            v = 900;
        }

        if (j >= 430 && j < 440 && i >= 40 && i < 472)
        {
            v = 500;
        }

        return v;
    }

    private static bool[] Flood(Mask mask, int i0, int j0, int k0)
    {
        int nx = mask.Geometry.SizeX, ny = mask.Geometry.SizeY, nz = mask.Geometry.SizeZ;
        var seen = new bool[mask.Voxels.Length];
        var queue = new Queue<(int, int, int)>();
        Assert.True(mask[i0, j0, k0], "flood seed is outside the mask");
        queue.Enqueue((i0, j0, k0));
        seen[(int)mask.Volume.IndexOf(i0, j0, k0)] = true;
        while (queue.Count > 0)
        {
            (int i, int j, int k) = queue.Dequeue();
            foreach ((int di, int dj, int dk) in new[] { (1, 0, 0), (-1, 0, 0), (0, 1, 0), (0, -1, 0), (0, 0, 1), (0, 0, -1) })
            {
                int a = i + di, b = j + dj, c = k + dk;
                if (a < 0 || b < 0 || c < 0 || a >= nx || b >= ny || c >= nz)
                {
                    continue;
                }

                int index = (int)mask.Volume.IndexOf(a, b, c);
                if (!seen[index] && mask.Voxels[index] != 0)
                {
                    seen[index] = true;
                    queue.Enqueue((a, b, c));
                }
            }
        }

        return seen;
    }
}
