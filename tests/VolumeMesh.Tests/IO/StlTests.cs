using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Tests.Support;

namespace VolumeMesh.Tests.IO;

public sealed class StlTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void BinaryRoundTripIsExact(int seed)
    {
        using var folder = new TempFolder();
        Mesh mesh = TestMeshes.RandomSoup(seed, 500, 2000);
        string path = folder.File("soup.stl");
        StlWriter.Write(mesh, path);

        Assert.Equal(84 + (50 * mesh.TriangleCount), new FileInfo(path).Length);
        StlFile read = StlReader.Read(path);
        Assert.Equal(StlFormat.Binary, read.Format);
        Assert.Equal(CoordinateSpace.Lps, read.Space);
        Assert.Equal(mesh.Vertices, read.Mesh.Vertices);
        Assert.Equal(mesh.Indices, read.Mesh.Indices);
    }

    [Fact]
    public void AsciiParsesBackExactly()
    {
        using var folder = new TempFolder();
        Mesh mesh = TestMeshes.RandomSoup(3, 200, 300);
        string path = folder.File("soup.stl");
        StlWriter.Write(mesh, path, new StlWriteOptions { Format = StlFormat.Ascii });

        string text = File.ReadAllText(path);
        Assert.StartsWith("solid VolumeMesh output. SPACE=LPS\n", text);
        Assert.Equal(mesh.TriangleCount, CountOccurrences(text, "endfacet"));
        StlFile read = StlReader.Read(path);
        Assert.Equal(StlFormat.Ascii, read.Format);
        Assert.Equal(CoordinateSpace.Lps, read.Space);
        Assert.Equal(mesh.Vertices, read.Mesh.Vertices);
        Assert.Equal(mesh.Indices, read.Mesh.Indices);
    }

    [Fact]
    public void BinaryHeaderStatesTheSpaceAsSlicerReadsIt()
    {
        using var folder = new TempFolder();
        string lps = folder.File("lps.stl"), ras = folder.File("ras.stl");
        Mesh mesh = TestMeshes.Octahedron(new Vector3(1, 2, 3), 5);
        StlWriter.Write(mesh, lps);
        StlWriter.Write(mesh, ras, new StlWriteOptions { Space = CoordinateSpace.Ras });

        byte[] header = File.ReadAllBytes(lps)[..80];
        string text = Encoding.ASCII.GetString(header).TrimEnd('\0');
        Assert.Equal("VolumeMesh output. SPACE=LPS", text);
        Assert.False(text.StartsWith("solid", StringComparison.Ordinal));
        Assert.Equal(8u, BinaryPrimitives.ReadUInt32LittleEndian(File.ReadAllBytes(lps).AsSpan(80)));
        Assert.Contains("SPACE=RAS", Encoding.ASCII.GetString(File.ReadAllBytes(ras)[..80]), StringComparison.Ordinal);
    }

    [Fact]
    public void RasNegatesXAndYAndKeepsWinding()
    {
        using var folder = new TempFolder();
        Mesh mesh = TestMeshes.Octahedron(new Vector3(10, -20, 30), 4);
        string path = folder.File("ras.stl");
        StlWriter.Write(mesh, path, new StlWriteOptions { Space = CoordinateSpace.Ras });

        StlFile read = StlReader.Read(path);
        Assert.Equal(CoordinateSpace.Ras, read.Space);
        for (int i = 0; i < mesh.VertexCount; i++)
        {
            Vector3 p = mesh.Vertices[i];
            Assert.Equal(new Vector3(-p.X, -p.Y, p.Z), read.Mesh.Vertices[i]);
        }

        // A rotation keeps the outward winding: the signed volume stays positive, and converting back gives LPS exactly.
        MeshReport original = MeshReport.Compute(mesh);
        MeshReport ras = MeshReport.Compute(read.Mesh);
        Assert.True(ras.IsWatertight);
        Assert.Equal(original.VolumeMm3, ras.VolumeMm3, 6);
        Assert.Equal(mesh.Vertices, read.ToLps().Vertices);
        Assert.Equal(mesh.Indices, read.ToLps().Indices);
    }

    [Fact]
    public void FacetNormalsAreUnitAndPointOutwards()
    {
        using var folder = new TempFolder();
        var centre = new Vector3(10, -20, 30);
        Mesh mesh = TestMeshes.Octahedron(centre, 4);
        foreach (CoordinateSpace space in new[] { CoordinateSpace.Lps, CoordinateSpace.Ras })
        {
            string path = folder.File($"n-{space}.stl");
            StlWriter.Write(mesh, path, new StlWriteOptions { Space = space });
            byte[] data = File.ReadAllBytes(path);
            Vector3 c = space == CoordinateSpace.Ras ? new Vector3(-centre.X, -centre.Y, centre.Z) : centre;
            for (int t = 0; t < mesh.TriangleCount; t++)
            {
                ReadOnlySpan<byte> r = data.AsSpan(84 + (50 * t), 50);
                Vector3 n = Read(r), a = Read(r[12..]), b = Read(r[24..]), d = Read(r[36..]);
                Vector3 faceCentre = ((a + b + d) / 3) - c;

                // For a regular octahedron each outward face normal is (±1, ±1, ±1)/√3, parallel to the face centre.
                Assert.Equal(1f, n.Length(), 5);
                Assert.Equal(1f, Vector3.Dot(n, Vector3.Normalize(faceCentre)), 5);
            }
        }

        static Vector3 Read(ReadOnlySpan<byte> s) => new(
            BinaryPrimitives.ReadSingleLittleEndian(s), BinaryPrimitives.ReadSingleLittleEndian(s[4..]), BinaryPrimitives.ReadSingleLittleEndian(s[8..]));
    }

    [Fact]
    public void ReaderWeldsIdenticalCornersIncludingSignedZero()
    {
        // Two triangles of a square written as a raw binary soup, one shared corner stored as -0.
        var data = new byte[84 + 100];
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(80), 2);
        float[][] corners =
        [
            [0, 0, 0], [1, 0, 0], [1, 1, 0],
            [-0f, 0, 0], [1, 1, 0], [0, 1, 0],
        ];
        for (int i = 0; i < 6; i++)
        {
            int offset = 84 + (50 * (i / 3)) + 12 + (12 * (i % 3));
            for (int a = 0; a < 3; a++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(offset + (4 * a)), corners[i][a]);
            }
        }

        StlFile read = StlReader.Parse(data, "square.stl");
        Assert.Equal(4, read.Mesh.VertexCount);
        Assert.Equal(new[] { 0, 1, 2, 0, 2, 3 }, read.Mesh.Indices);
        Assert.Null(read.Space);
    }

    [Fact]
    public void TruncatedBinaryIsRejectedWithFileAndReason()
    {
        using var folder = new TempFolder();
        string path = folder.File("cut.stl");
        StlWriter.Write(TestMeshes.Octahedron(Vector3.Zero, 1), path);
        byte[] data = File.ReadAllBytes(path);
        File.WriteAllBytes(path, data[..^7]);

        var error = Assert.Throws<InvalidDataException>(() => StlReader.Read(path));
        Assert.Contains("cut.stl", error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        Assert.Contains("8 triangles", error.Message, StringComparison.Ordinal);

        File.WriteAllBytes(path, data[..40]);
        error = Assert.Throws<InvalidDataException>(() => StlReader.Read(path));
        Assert.Contains("shorter than a binary STL header", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("solid x\nfacet normal 0 0 1\n outer loop\n  vertex 0 0 0\n  vertex 1 0 0\n endloop\nendfacet\nendsolid x\n", "line 6: expected 'vertex', found 'endloop'")]
    [InlineData("solid x\nfacet normal 0 0 1\n outer loop\n  vertex 0 0 zero\n", "line 4: expected a number")]
    [InlineData("solid x\nfacet normal 0 0 1\n outer loop\n  vertex 0 0 0\n  vertex 1 0 0\n  vertex 0 1 0\n endloop\nendfacet\n", "without 'endsolid'")]
    public void MalformedAsciiIsRejectedWithLine(string text, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => StlReader.Parse(Encoding.ASCII.GetBytes(text), "bad.stl"));
        Assert.Contains("bad.stl", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FailedWriteLeavesTheOldFileIntact()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.stl");
        File.WriteAllText(path, "previous content");

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            StlWriter.Write(TestMeshes.RandomSoup(4, 100, 100), path, null, cancelled.Token));
        Assert.Equal("previous content", File.ReadAllText(path));

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[1000]);
            throw new InvalidOperationException("disk full (simulated)");
        }));
        Assert.Equal("previous content", File.ReadAllText(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void SuccessfulWriteReplacesTheOldFile()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.stl");
        File.WriteAllText(path, "previous content");
        StlWriter.Write(TestMeshes.Octahedron(Vector3.Zero, 2), path);
        Assert.Equal(6, StlReader.Read(path).Mesh.VertexCount);
        Assert.Equal(new[] { path }, Directory.GetFiles(folder.Path));
    }

    private static int CountOccurrences(string text, string word)
    {
        int count = 0;
        for (int i = text.IndexOf(word, StringComparison.Ordinal); i >= 0; i = text.IndexOf(word, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
