using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;
using System.Text;
using VolumeMesh.Geometry;
using VolumeMesh.IO;
using VolumeMesh.Tests.Support;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.IO;

public sealed class NrrdTests
{
    /// <summary>Rotated 30° about z, mirrored in x, anisotropic: the geometry phantoms.py gives its sphere.</summary>
    private static VolumeGeometry LeftHandedGeometry(int n)
    {
        double c = Math.Cos(Math.PI / 6), s = Math.Sin(Math.PI / 6);
        return VolumeGeometry.FromAffine(
            n, n + 1, n + 2, new Vector3D(10, -20, 30),
            new Vector3D(-0.7 * c, -0.7 * s, 0), new Vector3D(-0.7 * s, 0.7 * c, 0), new Vector3D(0, 0, 1.25));
    }

    [Theory]
    [InlineData("a.nrrd", NrrdEncoding.Raw)]
    [InlineData("a.nrrd", NrrdEncoding.Gzip)]
    [InlineData("a.nhdr", NrrdEncoding.Raw)]
    [InlineData("a.nhdr", NrrdEncoding.Gzip)]
    public void Int16RoundTripKeepsVoxelsAndGeometry(string name, NrrdEncoding encoding)
    {
        using var folder = new TempFolder();
        VolumeGeometry geometry = LeftHandedGeometry(9);
        var volume = new Volume<short>(geometry);
        var random = new Random(1);
        for (int i = 0; i < volume.Voxels.Length; i++)
        {
            volume.Voxels[i] = (short)random.Next(short.MinValue, short.MaxValue + 1);
        }

        string path = folder.File(name);
        NrrdWriter.Write(volume, path, new NrrdWriteOptions { Encoding = encoding });
        NrrdVolume read = NrrdReader.Read(path);

        Assert.Equal(NrrdScalarType.Int16, read.ScalarType);
        Assert.Equal(volume.Voxels, read.AsInt16().Voxels);
        AssertSameGeometry(geometry, read.Geometry);
        Assert.False(read.Geometry.IsRightHanded);
        if (name.EndsWith(".nhdr", StringComparison.Ordinal))
        {
            string header = File.ReadAllText(path);
            Assert.Contains(encoding == NrrdEncoding.Gzip ? "data file: a.raw.gz" : "data file: a.raw", header, StringComparison.Ordinal);
            Assert.Equal(2, Directory.GetFiles(folder.Path).Length);
        }
    }

    [Fact]
    public void EveryScalarTypeRoundTrips()
    {
        using var folder = new TempFolder();
        VolumeGeometry geometry = VolumeGeometry.AxisAligned(5, 4, 3, 0.5, 0.6, 2.5, new Vector3D(-1, 2, -3));
        var random = new Random(2);
        RoundTrip<sbyte>(v => (sbyte)random.Next(-128, 128), NrrdScalarType.Int8);
        RoundTrip<byte>(v => (byte)random.Next(256), NrrdScalarType.UInt8);
        RoundTrip<ushort>(v => (ushort)random.Next(65536), NrrdScalarType.UInt16);
        RoundTrip<int>(v => random.Next(int.MinValue, int.MaxValue), NrrdScalarType.Int32);
        RoundTrip<uint>(v => (uint)random.NextInt64(uint.MaxValue), NrrdScalarType.UInt32);
        RoundTrip<float>(v => (float)(random.NextDouble() * 1e6), NrrdScalarType.Float);
        RoundTrip<double>(v => random.NextDouble() * 1e-6, NrrdScalarType.Double);

        void RoundTrip<T>(Func<int, T> value, NrrdScalarType expected)
            where T : unmanaged, INumber<T>
        {
            var volume = new Volume<T>(geometry);
            for (int i = 0; i < volume.Voxels.Length; i++)
            {
                volume.Voxels[i] = value(i);
            }

            string path = folder.File(typeof(T).Name + ".nrrd");
            NrrdWriter.Write(volume, path);
            NrrdVolume read = NrrdReader.Read(path);
            Assert.Equal(expected, read.ScalarType);
            Assert.Equal(volume.Voxels, read.As<T>().Voxels);
            AssertSameGeometry(geometry, read.Geometry);
        }
    }

    [Fact]
    public void ConversionToInt16RoundsAndSaturates()
    {
        using var folder = new TempFolder();
        var volume = new Volume<float>(VolumeGeometry.AxisAligned(5, 1, 1));
        float[] values = [1.4f, 1.6f, -2.5f, 1e9f, -1e9f];
        values.CopyTo(volume.Voxels, 0);
        string path = folder.File("f.nrrd");
        NrrdWriter.Write(volume, path);
        Assert.Equal(new short[] { 1, 2, -3, short.MaxValue, short.MinValue }, NrrdReader.Read(path).AsInt16().Voxels);
    }

    [Fact]
    public void RasAndLasSpacesAreConvertedToLps()
    {
        using var folder = new TempFolder();
        short[] data = [1, 2, 3, 4, 5, 6, 7, 8];
        string ras = WriteRaw(folder.File("ras.nrrd"), "space: right-anterior-superior\nspace directions: (2,0,0) (0,3,0) (0,0,4)\nspace origin: (10,20,30)\n", data);
        string las = WriteRaw(folder.File("las.nrrd"), "space: LAS\nspace directions: (2,0,0) (0,3,0) (0,0,4)\nspace origin: (10,20,30)\n", data);

        VolumeGeometry g = NrrdReader.Read(ras).Geometry;
        AssertClose(new Vector3D(-10, -20, 30), g.IndexToPatient(0, 0, 0));
        AssertClose(new Vector3D(-12, -23, 34), g.IndexToPatient(1, 1, 1));
        Assert.True(g.IsRightHanded); // negating two axes is a rotation

        VolumeGeometry h = NrrdReader.Read(las).Geometry;
        AssertClose(new Vector3D(10, -20, 30), h.IndexToPatient(0, 0, 0));
        AssertClose(new Vector3D(12, -23, 34), h.IndexToPatient(1, 1, 1));
        Assert.False(h.IsRightHanded);
        Assert.Equal(data, NrrdReader.Read(las).AsInt16().Voxels);
    }

    [Fact]
    public void BigEndianSpacingsAndByteSkipAreHonoured()
    {
        using var folder = new TempFolder();
        string path = folder.File("be.nrrd");
        var header = "NRRD0004\ntype: short\ndimension: 3\nsizes: 2 2 1\nendian: big\nencoding: raw\nspacings: 0.5 0.25 3\nbyte skip: 3\n\n";
        var body = new byte[3 + 8];
        short[] values = [-1000, 1, 300, 3071];
        for (int i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteInt16BigEndian(body.AsSpan(3 + (2 * i)), values[i]);
        }

        File.WriteAllBytes(path, [.. Encoding.ASCII.GetBytes(header), .. body]);
        NrrdVolume read = NrrdReader.Read(path);
        Assert.Equal(values, read.AsInt16().Voxels);
        Assert.Equal(0.5, read.Geometry.SpacingX, 12);
        Assert.Equal(0.25, read.Geometry.SpacingY, 12);
        AssertClose(new Vector3D(0.5, 0.25, 0), read.Geometry.IndexToPatient(1, 1, 0));
    }

    [Theory]
    [InlineData("type: short\ndimension: 3\nendian: little\nencoding: raw\n", "'sizes'")]
    [InlineData("type: short\ndimension: 3\nsizes: 2 2\nendian: little\nencoding: raw\n", "'sizes'")]
    [InlineData("type: short\ndimension: 3\nsizes: 2 2 x\nendian: little\nencoding: raw\n", "'sizes'")]
    [InlineData("type: short\ndimension: 3\nsizes: 2 2 2\nendian: middle\nencoding: raw\n", "'endian'")]
    [InlineData("type: short\ndimension: 3\nsizes: 2 2 2\nendian: little\nencoding: raw\nspace directions: (1,0,0) (0,1,0)\n", "'space directions'")]
    [InlineData("type: short\ndimension: 3\nsizes: 2 2 2\nendian: little\nencoding: raw\nspace directions: (1,0,0) (1,0,0) (0,0,1)\n", "'space directions'")]
    [InlineData("type: short\ndimension: 3\nsizes: 2 2 2\nendian: little\nencoding: raw\nspace origin: (1,0)\n", "'space origin'")]
    [InlineData("type: short\ndimension: 3\nsizes: 2 2 2\nendian: little\nencoding: raw\n", "truncated")]
    [InlineData("type: short\ndimension: 3\nsizes: 1000 1000 1000\nendian: little\nencoding: gzip\n", "'sizes'")]
    public void BadHeadersNameTheFileAndField(string fields, string expected)
    {
        using var folder = new TempFolder();
        string path = folder.File("bad.nrrd");
        File.WriteAllBytes(path, [.. Encoding.ASCII.GetBytes("NRRD0004\n" + fields + "\n"), 1, 2, 3]);
        var error = Assert.Throws<InvalidDataException>(() => NrrdReader.Read(path));
        Assert.Contains("bad.nrrd", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsupportedTypeAndEncodingAreNamed()
    {
        using var folder = new TempFolder();
        string path = folder.File("odd.nrrd");
        File.WriteAllText(path, "NRRD0004\ntype: block\ndimension: 3\nsizes: 1 1 1\nencoding: raw\n\nx");
        Assert.Contains("'type'", Assert.Throws<NotSupportedException>(() => NrrdReader.Read(path)).Message, StringComparison.Ordinal);
        File.WriteAllText(path, "NRRD0004\ntype: uchar\ndimension: 3\nsizes: 1 1 1\nencoding: bzip2\n\nx");
        Assert.Contains("'encoding'", Assert.Throws<NotSupportedException>(() => NrrdReader.Read(path)).Message, StringComparison.Ordinal);
        File.WriteAllText(path, "P5 not a nrrd\n");
        Assert.Contains("not a NRRD file", Assert.Throws<InvalidDataException>(() => NrrdReader.Read(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedGzipDataIsRejected()
    {
        using var folder = new TempFolder();
        var volume = new Volume<short>(VolumeGeometry.AxisAligned(64, 64, 8));
        new Random(3).NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(volume.Voxels.AsSpan()));
        string path = folder.File("cut.nrrd");
        NrrdWriter.Write(volume, path);
        byte[] data = File.ReadAllBytes(path);
        File.WriteAllBytes(path, data[..(data.Length / 2)]);
        var error = Assert.Throws<InvalidDataException>(() => NrrdReader.Read(path));
        Assert.Contains("cut.nrrd", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonUniformSliceSpacingCannotBeWritten()
    {
        using var folder = new TempFolder();
        var geometry = new VolumeGeometry(2, 2, 1, 1, new Vector3D(1, 0, 0), new Vector3D(0, 1, 0), [new(0, 0, 0), new(0, 0, 1), new(0, 0, 3)]);
        var error = Assert.Throws<NotSupportedException>(() => NrrdWriter.Write(new Volume<short>(geometry), folder.File("x.nrrd")));
        Assert.Contains("slice 1", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsThePeerSphereWithItsLeftHandedGeometry(bool raw)
    {
        string script = PeerScript();
        using var folder = new TempFolder();
        string path = folder.File("sphere.nrrd");
        const int n = 24;
        var result = RepoPaths.Run(RepoPaths.PythonWithNumpy!, raw
            ? [script, "sphere", path, "--size", n.ToString(System.Globalization.CultureInfo.InvariantCulture), "--raw"]
            : [script, "sphere", path, "--size", n.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(result.ExitCode == 0, result.Output);

        NrrdVolume read = NrrdReader.Read(path);
        Assert.Equal(NrrdScalarType.Float, read.ScalarType);
        VolumeGeometry g = read.Geometry;
        Assert.Equal((n, n, n), (g.SizeX, g.SizeY, g.SizeZ));
        Assert.Equal(0.7, g.SpacingX, 9);
        Assert.Equal(0.7, g.SpacingY, 9);
        Assert.Equal(1.25, g.SliceSpacingMean, 9);
        Assert.False(g.IsRightHanded);

        // What the script says: directions = R(30°) · diag(−1, 1, 1) · diag(0.7, 0.7, 1.25), origin (10, −20, 30).
        double c = Math.Cos(Math.PI / 6), s = Math.Sin(Math.PI / 6);
        AssertClose(new Vector3D(10, -20, 30), g.IndexToPatient(0, 0, 0));
        AssertClose(new Vector3D(10 - (0.7 * c), -20 - (0.7 * s), 30), g.IndexToPatient(1, 0, 0));
        AssertClose(new Vector3D(10 - (0.7 * s), -20 + (0.7 * c), 30), g.IndexToPatient(0, 1, 0));
        AssertClose(new Vector3D(10, -20, 31.25), g.IndexToPatient(0, 0, 1));

        // Voxels: 0.3 n − distance to the grid centre, in voxels.
        Volume<float> volume = read.AsFloat();
        double centre = (n - 1) / 2.0;
        for (int k = 0; k < n; k += 5)
        {
            for (int j = 0; j < n; j += 3)
            {
                for (int i = 0; i < n; i++)
                {
                    double expected = (0.3 * n) - Math.Sqrt(((i - centre) * (i - centre)) + ((j - centre) * (j - centre)) + ((k - centre) * (k - centre)));
                    Assert.True(Math.Abs(expected - volume[i, j, k]) < 1e-4, $"voxel ({i}, {j}, {k}): {volume[i, j, k]} vs {expected}");
                }
            }
        }
    }

    [SkippableFact]
    public void ReadsThePeerCtPhantom()
    {
        string script = PeerScript();
        using var folder = new TempFolder();
        string path = folder.File("ct.nrrd");
        var result = RepoPaths.Run(RepoPaths.PythonWithNumpy!, script, "ct", path, "--size", "2");
        Assert.True(result.ExitCode == 0, result.Output);

        NrrdVolume read = NrrdReader.Read(path);
        Assert.Equal(NrrdScalarType.Int16, read.ScalarType);
        Volume<short> ct = read.AsInt16();
        Assert.Equal((512, 512, 2), (ct.SizeX, ct.SizeY, ct.SizeZ));
        Assert.Equal(0.7, ct.Geometry.SpacingX, 9);
        Assert.Equal(1.0, ct.Geometry.SliceSpacingMean, 9);
        Assert.True(ct.Geometry.IsRightHanded);

        // Structure at known places (noise σ 20): air, soft tissue, cortical shell, table.
        Assert.InRange(ct[5, 5, 0], -1024, -900);
        Assert.InRange(ct[256, 120, 0], -60, 140);
        Assert.InRange(ct[230 - 65, 250, 0], 1100, 1300);
        Assert.InRange(ct[256, 435, 1], 400, 600);
    }

    private static string PeerScript()
    {
        string? peers = RepoPaths.Peers;
        Skip.If(peers is null || !File.Exists(Path.Combine(peers, "phantoms.py")), "../shared/peers/phantoms.py is not present");
        Skip.If(RepoPaths.PythonWithNumpy is null, "no python3 with numpy on this machine");
        return Path.Combine(peers!, "phantoms.py");
    }

    private static string WriteRaw(string path, string geometryFields, short[] data)
    {
        string header = "NRRD0004\ntype: int16\ndimension: 3\nsizes: 2 2 2\nendian: little\nencoding: gzip\n" + geometryFields + "\n";
        using var body = new MemoryStream();
        using (var gzip = new GZipStream(body, CompressionLevel.Fastest, leaveOpen: true))
        {
            Span<byte> b = stackalloc byte[2];
            foreach (short v in data)
            {
                BinaryPrimitives.WriteInt16LittleEndian(b, v);
                gzip.Write(b);
            }
        }

        File.WriteAllBytes(path, [.. Encoding.ASCII.GetBytes(header), .. body.ToArray()]);
        return path;
    }

    private static void AssertSameGeometry(VolumeGeometry expected, VolumeGeometry actual)
    {
        Assert.Equal((expected.SizeX, expected.SizeY, expected.SizeZ), (actual.SizeX, actual.SizeY, actual.SizeZ));
        foreach ((double i, double j, double k) in new[] { (0.0, 0.0, 0.0), (1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0), (3.5, 2.0, 1.5) })
        {
            AssertClose(expected.IndexToPatient(i, j, k), actual.IndexToPatient(i, j, k));
        }
    }

    private static void AssertClose(Vector3D expected, Vector3D actual)
    {
        Assert.True((expected - actual).Length < 1e-9, $"expected {expected}, got {actual}");
    }
}
