using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;
using System.Text;
using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Tests.Support;
using Xunit.Abstractions;

namespace VolumeMesh.Tests.IO;

/// <summary>
/// NRRD, STL, NIfTI, PLY, glTF binary and 3MF files that declare huge sizes or counts get a documented exception before
/// anything of that size is allocated: the bytes allocated on the reading thread stay within a small multiple of the input
/// plus a fixed amount. (OBJ declares no sizes: it allocates only for the lines it has read.)
/// </summary>
public sealed class AllocationLimitTests
{
    // 16 × the input plus 256 KiB: the file stream's buffer (64 KiB), header strings and the exception.
    private const int InputFactor = 16;
    private const long FixedBytes = 256 * 1024;
    private readonly ITestOutputHelper _output;

    /// <summary>Creates the tests.</summary>
    /// <param name="output">Receives the measured allocations.</param>
    public AllocationLimitTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Theory]
    [InlineData("sizes: 100000 100000 100000", "raw", typeof(NotSupportedException))]
    [InlineData("sizes: 2000 2000 500", "raw", typeof(InvalidDataException))]
    [InlineData("sizes: 2000 2000 500", "gzip", typeof(InvalidDataException))]
    [InlineData("sizes: 46340 46340 1", "raw", typeof(InvalidDataException))]
    [InlineData("sizes: 46341 46341 1", "raw", typeof(NotSupportedException))]
    public void NrrdDeclaringHugeSizesThrowsWithoutAllocating(string sizes, string encoding, Type expected)
    {
        using var temp = new TempFolder();
        string path = temp.File("huge.nrrd");
        byte[] file = Encoding.ASCII.GetBytes(
            $"NRRD0004\ntype: short\ndimension: 3\n{sizes}\nspacings: 1 1 1\nendian: little\nencoding: {encoding}\n\n" + new string('x', 16));
        File.WriteAllBytes(path, file);
        AssertThrowsWithinBudget(file.Length, expected, () => NrrdReader.Read(path));
    }

    [Fact]
    public void GzipNrrdDeclaringFarMoreThanItInflatesToThrowsWithoutAllocatingTheDeclaredSize()
    {
        // As for NIfTI: 10,000 incompressible gzip-wrapped bytes against 4 MiB of declared voxels (within the deflate ratio).
        byte[] voxels = new byte[10_000];
        new Random(14).NextBytes(voxels);
        byte[] file = [.. Encoding.ASCII.GetBytes("NRRD0004\ntype: short\ndimension: 3\nsizes: 1024 1024 2\nspacings: 1 1 1\nendian: little\nencoding: gzip\n\n"), .. Gzip(voxels)];
        Assert.True(4L * 1024 * 1024 < 1032L * file.Length, "the declared size must pass the deflate-ratio check");
        using var temp = new TempFolder();
        string path = temp.File("short.nrrd");
        File.WriteAllBytes(path, file);
        AssertThrowsWithinBudget(file.Length, typeof(InvalidDataException), () => NrrdReader.Read(path));
    }

    [Fact]
    public void GzipNrrdLargerThanEightTimesItsFileGrowsItsArrayAndReadsExactly()
    {
        byte[] voxels = new byte[64 * 64 * 64 * 2];
        for (int i = 0; i < voxels.Length / 2; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(voxels.AsSpan(2 * i), (short)(i % 97));
        }

        byte[] file = [.. Encoding.ASCII.GetBytes("NRRD0004\ntype: short\ndimension: 3\nsizes: 64 64 64\nspacings: 1 1 1\nendian: little\nencoding: gzip\n\n"), .. Gzip(voxels)];
        Assert.True(voxels.Length > (8 * file.Length) + (128 * 1024), "the data must outgrow the first array");
        using var temp = new TempFolder();
        string path = temp.File("ramp.nrrd");
        File.WriteAllBytes(path, file);
        short[] read = Assert.IsType<short[]>(NrrdReader.Read(path).Voxels);
        Assert.Equal(64 * 64 * 64, read.Length);
        for (int i = 0; i < read.Length; i++)
        {
            Assert.Equal(i % 97, read[i]);
        }
    }

    [Theory]
    [InlineData(0x7FFFFFFFu)]
    [InlineData(0x80000000u)]
    [InlineData(0xFFFFFFFFu)]
    public void BinaryStlClaimingBillionsOfTrianglesThrowsWithoutAllocating(uint count)
    {
        // 84-byte header + one triangle of 50 bytes, claiming `count` triangles.
        byte[] file = new byte[84 + 50];
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(80), count);
        AssertThrowsWithinBudget(file.Length, typeof(InvalidDataException), () => StlReader.Parse(file, "huge.stl"));
    }

    [Theory]
    [InlineData(1024, 1024, 1024, false, typeof(InvalidDataException))]
    [InlineData(1024, 1024, 1024, true, typeof(InvalidDataException))]
    [InlineData(32767, 32767, 32767, false, typeof(InvalidDataException))]
    [InlineData(30000, 30000, 2, true, typeof(InvalidDataException))]
    public void NiftiDeclaringHugeDimensionsThrowsWithoutAllocating(int x, int y, int z, bool gzip, Type expected)
    {
        // A NIfTI-1 header (int16 voxels, vox_offset 352) and 16 bytes of voxels declaring x × y × z.
        byte[] nifti = Nifti(x, y, z, new byte[16]);
        byte[] file = gzip ? Gzip(nifti) : nifti;
        using var temp = new TempFolder();
        string path = temp.File(gzip ? "huge.nii.gz" : "huge.nii");
        File.WriteAllBytes(path, file);
        AssertThrowsWithinBudget(file.Length, expected, () => NiftiReader.Read(path));
    }

    [Fact]
    public void GzipNiftiDeclaringFarMoreThanItInflatesToThrowsWithoutAllocatingTheDeclaredSize()
    {
        // 10,000 incompressible bytes of voxels could inflate to 10 MB by the deflate ratio, so the 4 MiB that 1024×1024×2
        // int16 voxels need pass the first check; the array starts at 8 × the file and the data runs out before it fills.
        byte[] voxels = new byte[10_000];
        new Random(14).NextBytes(voxels);
        byte[] file = Gzip(Nifti(1024, 1024, 2, voxels));
        Assert.True(4L * 1024 * 1024 < 1032L * file.Length, "the declared size must pass the deflate-ratio check");
        using var temp = new TempFolder();
        string path = temp.File("short.nii.gz");
        File.WriteAllBytes(path, file);
        AssertThrowsWithinBudget(file.Length, typeof(InvalidDataException), () => NiftiReader.Read(path));
    }

    [Fact]
    public void GzipNiftiLargerThanSixteenTimesItsFileGrowsItsArrayAndReadsExactly()
    {
        // 64×64×64 int16 of a repeating ramp compresses far better than 8:1, so the array grows while reading.
        byte[] voxels = new byte[64 * 64 * 64 * 2];
        for (int i = 0; i < voxels.Length / 2; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(voxels.AsSpan(2 * i), (short)(i % 97));
        }

        byte[] file = Gzip(Nifti(64, 64, 64, voxels));
        Assert.True(voxels.Length > (8 * file.Length) + (128 * 1024), "the data must outgrow the first array");
        using var temp = new TempFolder();
        string path = temp.File("ramp.nii.gz");
        File.WriteAllBytes(path, file);
        NiftiVolume volume = NiftiReader.Read(path);
        short[] read = Assert.IsType<short[]>(volume.Voxels);
        Assert.Equal(64 * 64 * 64, read.Length);
        for (int i = 0; i < read.Length; i++)
        {
            Assert.Equal(i % 97, read[i]);
        }
    }

    [Theory]
    [InlineData("binary_little_endian", "vertex", "property float x\nproperty float y\nproperty float z\n")]
    [InlineData("ascii", "vertex", "property float x\nproperty float y\nproperty float z\n")]
    [InlineData("binary_little_endian", "face", "property list uchar int vertex_indices\n")]
    [InlineData("ascii", "face", "property list uchar int vertex_indices\n")]
    [InlineData("binary_little_endian", "extra", "property double value\n")]
    public void PlyDeclaringTwoBillionElementsThrowsWithoutAllocating(string format, string element, string properties)
    {
        // About 200 bytes: a header declaring 2³¹−1 items of one element, then 40 bytes of body.
        string header = $"ply\nformat {format} 1.0\nelement {element} 2147483647\n{properties}end_header\n";
        byte[] body = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("1 2 3 4\n", 5)));
        byte[] file = [.. Encoding.ASCII.GetBytes(header), .. body];
        AssertThrowsWithinBudget(file.Length, typeof(InvalidDataException), () => PlyReader.Parse(file, "huge.ply"));
    }

    [Theory]
    [InlineData("json-chunk")]
    [InlineData("bin-chunk")]
    [InlineData("total-length")]
    [InlineData("buffer")]
    [InlineData("buffer-view")]
    [InlineData("accessor")]
    [InlineData("index-accessor")]
    [InlineData("unknown-chunk")]
    public void GlbDeclaringLengthsOrCountsBeyondTheFileThrowsWithoutAllocating(string what)
    {
        // One triangle (three float positions, 36 bytes of BIN), with one declared length or count made huge.
        string json = Gltf(
            accessorCount: what == "accessor" ? 100_000_000 : 3,
            indexCount: what == "index-accessor" ? 300_000_000 : 3,
            viewLength: what == "buffer-view" ? 2_000_000_000 : 36,
            bufferLength: what == "buffer" ? 2_147_483_647 : 48);
        byte[] file = Glb(json, new byte[48]);
        if (what == "json-chunk")
        {
            BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(12), 0x7FFFFFF0);
        }
        else if (what == "bin-chunk")
        {
            int binHeader = 20 + BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(12));
            BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(binHeader), 0x7FFFFFF0);
        }
        else if (what == "total-length")
        {
            BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), 0xFFFFFFF0);
        }
        else if (what == "unknown-chunk")
        {
            // As the fuzzer found it: a header declaring 4 bytes in all and a third chunk of an unknown type declaring
            // 1.8 GB, which SharpGLTF allocated (and zeroed, for seconds) before finding the data missing.
            file = [.. file, 0, 0, 0, 0, .. "aVe\""u8];
            BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), 4);
            BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 8), 1_847_753_516);
        }

        using var temp = new TempFolder();
        string path = temp.File("huge.glb");
        File.WriteAllBytes(path, file);
        AssertThrowsWithinBudget(file.Length, typeof(InvalidDataException), () => GltfReader.Read(path));
    }

    [Fact]
    public void ValidGlbOfTheSameShapeReads()
    {
        // The file the GLB cases above corrupt is itself readable: their exceptions come from the huge values.
        using var temp = new TempFolder();
        string path = temp.File("ok.glb");
        byte[] bin = new byte[48];
        BinaryPrimitives.WriteSingleLittleEndian(bin.AsSpan(12), 1f);
        BinaryPrimitives.WriteSingleLittleEndian(bin.AsSpan(28), 1f);
        BinaryPrimitives.WriteUInt32LittleEndian(bin.AsSpan(40), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(bin.AsSpan(44), 2);
        File.WriteAllBytes(path, Glb(Gltf(3, 3, 36, 48), bin));
        MeshFile mesh = GltfReader.Read(path);
        Assert.Equal(3, Assert.Single(mesh.Parts).Mesh.Vertices.Length);
        Assert.Equal(3, mesh.Parts[0].Mesh.Indices.Length);
    }

    [Theory]
    [InlineData(CompressionLevel.NoCompression)]
    [InlineData(CompressionLevel.Optimal)]
    public void ThreeMfEntryDeclaringHugeUncompressedSizeIsReadFromItsDataWithoutAllocatingTheDeclaredSize(CompressionLevel level)
    {
        // The model part's local and central headers claim 0xFFFFFFF0 uncompressed bytes; the part holds a few hundred.
        // The zip layer streams the entry and never sizes a buffer from the claim, so the model reads as it is.
        byte[] file = ThreeMf(Model("<vertex x=\"0\" y=\"0\" z=\"0\"/><vertex x=\"1\" y=\"0\" z=\"0\"/><vertex x=\"0\" y=\"1\" z=\"0\"/>", "<triangle v1=\"0\" v2=\"1\" v3=\"2\"/>"), level);
        PatchZipUncompressedSize(file, "3D/3dmodel.model", 0xFFFFFFF0);
        MeshFile? read = null;
        AssertThrowsWithinBudget(file.Length, null, () => read = ThreeMfReader.Read(new MemoryStream(file), "huge.3mf"));
        Mesh mesh = Assert.Single(read!.Parts).Mesh;
        Assert.Equal(new Vector3(1, 0, 0), mesh.Vertices[1]);
        Assert.Equal([0, 1, 2], mesh.Indices);
    }

    [Fact]
    public void ThreeMfTrianglesOnMillionsOfMissingVerticesThrowWithoutAllocating()
    {
        // 3MF declares no counts: a mesh is as large as its elements. Triangles that name vertex 4,000,000 of three get an
        // error, not a mesh.
        byte[] file = ThreeMf(Model("<vertex x=\"0\" y=\"0\" z=\"0\"/><vertex x=\"1\" y=\"0\" z=\"0\"/><vertex x=\"0\" y=\"1\" z=\"0\"/>", "<triangle v1=\"0\" v2=\"1\" v3=\"4000000\"/><triangle v1=\"2147483647\" v2=\"1\" v3=\"2\"/>"), CompressionLevel.Optimal);
        AssertThrowsWithinBudget(file.Length, typeof(InvalidDataException), () => ThreeMfReader.Read(new MemoryStream(file), "missing.3mf"));
    }

    private static string Gltf(int accessorCount, int indexCount, int viewLength, int bufferLength) =>
        "{\"asset\":{\"version\":\"2.0\"},\"scene\":0,\"scenes\":[{\"nodes\":[0]}],\"nodes\":[{\"mesh\":0}],"
        + "\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":0},\"indices\":1}]}],"
        + $"\"accessors\":[{{\"bufferView\":0,\"componentType\":5126,\"count\":{accessorCount},\"type\":\"VEC3\",\"min\":[0,0,0],\"max\":[1,1,0]}},"
        + $"{{\"bufferView\":1,\"componentType\":5125,\"count\":{indexCount},\"type\":\"SCALAR\"}}],"
        + $"\"bufferViews\":[{{\"buffer\":0,\"byteLength\":{viewLength}}},{{\"buffer\":0,\"byteOffset\":36,\"byteLength\":12}}],"
        + $"\"buffers\":[{{\"byteLength\":{bufferLength}}}]}}";

    private static byte[] Glb(string json, byte[] bin)
    {
        byte[] text = Encoding.UTF8.GetBytes(json);
        int jsonLength = (text.Length + 3) & ~3;
        int total = 12 + 8 + jsonLength + 8 + bin.Length;
        byte[] file = new byte[total];
        "glTF"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), (uint)total);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(12), (uint)jsonLength);
        "JSON"u8.CopyTo(file.AsSpan(16));
        file.AsSpan(20, jsonLength).Fill((byte)' ');
        text.CopyTo(file.AsSpan(20));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(20 + jsonLength), (uint)bin.Length);
        "BIN\0"u8.CopyTo(file.AsSpan(24 + jsonLength));
        bin.CopyTo(file.AsSpan(28 + jsonLength));
        return file;
    }

    private static string Model(string vertices, string triangles) =>
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><model unit=\"millimeter\" xmlns=\"http://schemas.microsoft.com/3dmanufacturing/core/2015/02\">"
        + $"<resources><object id=\"1\" type=\"model\"><mesh><vertices>{vertices}</vertices><triangles>{triangles}</triangles></mesh></object></resources>"
        + "<build><item objectid=\"1\"/></build></model>";

    private static byte[] ThreeMf(string model, CompressionLevel level)
    {
        var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            Write(zip, "_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Target=\"/3D/3dmodel.model\" Id=\"rel0\" Type=\"http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel\"/></Relationships>", level);
            Write(zip, "3D/3dmodel.model", model, level);
        }

        return stream.ToArray();

        static void Write(ZipArchive zip, string name, string text, CompressionLevel level)
        {
            using Stream entry = zip.CreateEntry(name, level).Open();
            entry.Write(Encoding.UTF8.GetBytes(text));
        }
    }

    private static void PatchZipUncompressedSize(byte[] zip, string entry, uint size)
    {
        // Local file header (PK\3\4): uncompressed size at +22, name length +26, name at +30. Central directory (PK\1\2):
        // uncompressed size at +24, name length +28, name at +46 (APPNOTE 4.3.7, 4.3.12).
        byte[] name = Encoding.ASCII.GetBytes(entry);
        int patched = 0;
        for (int i = 0; i + 46 < zip.Length; i++)
        {
            uint signature = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i));
            if (signature == 0x04034B50 && zip.AsSpan(i + 30).StartsWith(name) && BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(i + 26)) == name.Length)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + 22), size);
                patched++;
            }
            else if (signature == 0x02014B50 && zip.AsSpan(i + 46).StartsWith(name) && BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(i + 28)) == name.Length)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + 24), size);
                patched++;
            }
        }

        Assert.Equal(2, patched);
    }

    private static byte[] Nifti(int x, int y, int z, byte[] voxels)
    {
        byte[] nifti = new byte[352 + voxels.Length];
        BinaryPrimitives.WriteInt32LittleEndian(nifti, 348);
        short[] dims = [3, (short)x, (short)y, (short)z, 1, 1, 1, 1];
        for (int d = 0; d < 8; d++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(nifti.AsSpan(40 + (2 * d)), dims[d]);
            BinaryPrimitives.WriteSingleLittleEndian(nifti.AsSpan(76 + (4 * d)), 1f);
        }

        BinaryPrimitives.WriteInt16LittleEndian(nifti.AsSpan(70), 4);
        BinaryPrimitives.WriteInt16LittleEndian(nifti.AsSpan(72), 16);
        BinaryPrimitives.WriteSingleLittleEndian(nifti.AsSpan(108), 352f);
        "n+1\0"u8.CopyTo(nifti.AsSpan(344));
        voxels.CopyTo(nifti.AsSpan(352));
        return nifti;
    }

    private static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private void AssertThrowsWithinBudget(int inputLength, Type? expected, Action read)
    {
        // Warm up once so JIT and type loading are not counted, then measure a second read on this thread.
        _ = Record.Exception(read);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Exception? thrown = Record.Exception(read);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        _output.WriteLine($"{allocated} bytes allocated for a {inputLength}-byte input: {thrown?.GetType().Name}: {thrown?.Message}");
        Assert.Equal(expected, thrown?.GetType());
        long budget = (long)InputFactor * inputLength + FixedBytes;
        Assert.True(allocated <= budget, $"{allocated} bytes allocated for a {inputLength}-byte input (budget {budget}).");
    }
}
