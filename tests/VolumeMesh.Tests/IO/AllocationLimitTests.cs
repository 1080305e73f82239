using System.Buffers.Binary;
using System.Text;
using VolumeMesh.IO;
using VolumeMesh.Tests.Support;

namespace VolumeMesh.Tests.IO;

/// <summary>
/// NRRD and STL files that declare huge sizes or counts get a documented exception before anything of that size is
/// allocated: the bytes allocated on the reading thread stay within a small multiple of the input plus a fixed amount.
/// </summary>
public sealed class AllocationLimitTests
{
    // 16 × the input plus 256 KiB: the file stream's buffer (64 KiB), header strings and the exception.
    private const int InputFactor = 16;
    private const long FixedBytes = 256 * 1024;

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

    private static void AssertThrowsWithinBudget(int inputLength, Type expected, Action read)
    {
        // Warm up once so JIT and type loading are not counted, then measure a second read on this thread.
        Assert.Equal(expected, Record.Exception(read)?.GetType());
        long before = GC.GetAllocatedBytesForCurrentThread();
        Exception? thrown = Record.Exception(read);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(expected, thrown?.GetType());
        long budget = (long)InputFactor * inputLength + FixedBytes;
        Assert.True(allocated <= budget, $"{allocated} bytes allocated for a {inputLength}-byte input (budget {budget}).");
    }
}
