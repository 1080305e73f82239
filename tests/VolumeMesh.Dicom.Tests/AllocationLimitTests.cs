using System.Buffers.Binary;
using Xunit.Abstractions;

namespace VolumeMesh.Dicom.Tests;

/// <summary>
/// Files that declare huge lengths, dimensions or frame counts get a documented exception before anything of that size is
/// allocated: the bytes allocated on the reading thread stay within a small multiple of the input plus a fixed amount.
/// </summary>
public sealed class AllocationLimitTests
{
    // 16 × the input (the parser keeps element views, not copies) plus 256 KiB for parser state, strings and the exception.
    private const int InputFactor = 16;
    private const long FixedBytes = 256 * 1024;
    private readonly ITestOutputHelper _output;

    /// <summary>Creates the tests.</summary>
    /// <param name="output">Receives the measured allocations.</param>
    public AllocationLimitTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public void HundredByteFileDeclaringFourGigabyteElementThrowsWithoutAllocating()
    {
        // Preamble-less explicit VR little endian: (0008,0060) CS "CT", then (0009,1010) OB declaring 0xFFFFFFF0 bytes.
        byte[] file = new byte[100];
        Write(file, 0, 0x0008, 0x0060, "CS");
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(6), 2);
        "CT"u8.CopyTo(file.AsSpan(8));
        Write(file, 10, 0x0009, 0x1010, "OB");
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(18), 0xFFFFFFF0);
        AssertThrowsWithinBudget<DicomFormatException>(file, () => DicomFile.Parse(file));
    }

    [Fact]
    public void ImplicitElementDeclaringFourGigabytesThrowsWithoutAllocating()
    {
        // Implicit VR: (0010,0010) with a 32-bit length of 0xFFFFFFF0 in 100 bytes.
        byte[] file = new byte[100];
        BinaryPrimitives.WriteUInt16LittleEndian(file, 0x0008);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(2), 0x0016);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), 4);
        "1.2\0"u8.CopyTo(file.AsSpan(8));
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(12), 0x0010);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(14), 0x0010);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(16), 0xFFFFFFF0);
        AssertThrowsWithinBudget<DicomFormatException>(file, () => DicomFile.Parse(file));
    }

    [Fact]
    public void NativeImageDeclaringHugeRowsColumnsAndFramesThrowsWithoutAllocating()
    {
        byte[] file = Image(rows: 65535, columns: 65535, frames: "2147483647", bitsAllocated: 16)
            .PixelData(new ushort[8])
            .ToFile();
        AssertThrowsWithinBudget<DicomFormatException>(file, () => DicomFile.Parse(file).GetPixelData().DecodeFrame(0));
    }

    [Fact]
    public void EncapsulatedImageDeclaringHugeFrameFromTenBytesThrowsWithoutAllocating()
    {
        // 65535 × 65535 × 16 bits (8 GiB per frame) from one 10-byte JPEG 2000 fragment.
        byte[] file = Image(rows: 65535, columns: 65535, frames: "1", bitsAllocated: 16)
            .Encapsulated(new byte[10])
            .ToFile("1.2.840.10008.1.2.4.90");
        AssertThrowsWithinBudget<DicomFormatException>(file, () => DicomFile.Parse(file).GetPixelData().DecodeFrame(0));
    }

    [Fact]
    public void EncapsulatedImageDeclaringTwoBillionFramesThrowsWithoutAllocating()
    {
        byte[] file = Image(rows: 16, columns: 16, frames: "2147483647", bitsAllocated: 16)
            .Encapsulated(new byte[10])
            .ToFile("1.2.840.10008.1.2.5");
        AssertThrowsWithinBudget<DicomFormatException>(file, () => DicomFile.Parse(file).GetPixelData().DecodeFrame(0));
    }

    [Fact]
    public void RleHeaderDeclaringSegmentsPastItsFragmentThrowsWithoutAllocatingMoreThanTheFrame()
    {
        // RLE header (PS3.5 §G.5): 1 segment at offset 0x7FFFFFF0 in a 64-byte fragment of a 16×16 8-bit frame.
        byte[] rle = new byte[64];
        BinaryPrimitives.WriteUInt32LittleEndian(rle, 1);
        BinaryPrimitives.WriteUInt32LittleEndian(rle.AsSpan(4), 0x7FFFFFF0);
        byte[] file = Image(rows: 16, columns: 16, frames: "1", bitsAllocated: 8)
            .Encapsulated(rle)
            .ToFile("1.2.840.10008.1.2.5");
        AssertThrowsWithinBudget<DicomFormatException>(file, () => DicomFile.Parse(file).GetPixelData().DecodeFrame(0));
    }

    [Theory]
    [InlineData(false, 3, 26000)]
    [InlineData(true, 2, 32000)]
    public void SeriesOfTinyFilesDeclaringHugeSlicesThrowsBeforeTheVolumeIsAllocated(bool encapsulated, int files, int size)
    {
        // Each file's Rows × Columns alone is a 1.3–2 GB 16-bit frame; the volume (2.0 G voxels) still fits one array,
        // so only the check against the pixel data present stops the loader from allocating 4 GB of shorts.
        AssertSeriesThrowsWithinBudget(files, size, encapsulated, fragment: 10);
    }

    [Fact]
    public void SeriesOfManyCompressedFilesEachWithinTheFixedAllowanceThrowsBeforeTheVolumeIsAllocated()
    {
        // 8 MiB frames from 64-byte fragments pass the per-file check (16 MiB whatever the data), but 12 of them (96 MiB)
        // are more than the series' compressed bytes can decode to.
        AssertSeriesThrowsWithinBudget(files: 12, size: 2048, encapsulated: true, fragment: 64);
    }

    private void AssertSeriesThrowsWithinBudget(int files, int size, bool encapsulated, int fragment)
    {
        string folder = Path.Combine(Path.GetTempPath(), "vm-alloc-series-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            long inputBytes = 0;
            for (int i = 0; i < files; i++)
            {
                TestDicomWriter writer = Image(rows: size, columns: size, frames: "1", bitsAllocated: 16)
                    .Text(0x0008, 0x0018, "UI", $"1.2.3.77.{i + 1}")
                    .Text(0x0020, 0x000E, "UI", "1.2.3.77")
                    .Text(0x0020, 0x0032, "DS", $"0\\0\\{i}")
                    .Text(0x0020, 0x0037, "DS", "1\\0\\0\\0\\1\\0")
                    .Text(0x0028, 0x0030, "DS", "1\\1");
                byte[] file = encapsulated
                    ? writer.Encapsulated(new byte[fragment]).ToFile("1.2.840.10008.1.2.5")
                    : writer.PixelData(new ushort[fragment / 2]).ToFile();
                File.WriteAllBytes(Path.Combine(folder, $"{i}.dcm"), file);
                inputBytes += file.Length;
            }

            DicomScanResult scan = DicomDirectoryScanner.Scan(folder, new DicomScanOptions { MaxDegreeOfParallelism = 1 });
            DicomSeriesInfo series = Assert.Single(scan.Series);
            Assert.Equal(files, series.SliceCount);
            Assert.NotNull(series.Geometry);
            var options = new DicomLoadOptions { MaxDegreeOfParallelism = 1 };
            var ex = AssertThrowsWithinBudget<DicomFormatException>(inputBytes, () => DicomSeriesLoader.LoadHu(series, options));
            Assert.StartsWith(folder, ex.FilePath);
            Assert.ThrowsAny<DicomFormatException>(() => DicomSeriesLoader.LoadFloat(series, options));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("frames")]
    [InlineData("rows-columns")]
    [InlineData("both")]
    public void SegmentationDeclaringFramesFarBeyondItsPixelDataThrowsWithoutAllocating(string what)
    {
        // The small-ct BINARY SEG with Number of Frames 2³¹−1 and/or Rows × Columns 65535 × 65535: bit-packed frames of
        // hundreds of megabytes each against a pixel data value of a few hundred bytes.
        string folder = Path.Combine(TestData.RepoRoot, "tests", "VolumeMesh.Dicom.Tests", "Data", "Seg", "small-ct");
        byte[] original = File.ReadAllBytes(Path.Combine(folder, "seg-binary-implicit.dcm"));
        DicomSeriesInfo series = Assert.Single(DicomDirectoryScanner.Scan(folder).Series);
        DicomFile parsed = DicomFile.Parse(original);
        Assert.False(parsed.TransferSyntax.IsExplicitVR);
        byte[] file = original;
        if (what is "rows-columns" or "both")
        {
            foreach (DicomTag tag in new[] { DicomTags.Rows, DicomTags.Columns })
            {
                BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan((int)parsed.Dataset.GetElement(tag)!.Offset), 65535);
            }
        }

        if (what is "frames" or "both")
        {
            // Implicit VR: the 32-bit value length precedes the value; the element is at the top level, so nothing else
            // records the data set's length.
            DicomElement frames = parsed.Dataset.GetElement(DicomTags.NumberOfFrames)!;
            byte[] value = "2147483647"u8.ToArray();
            int at = (int)frames.Offset;
            file = [.. file.AsSpan(0, at), .. value, .. file.AsSpan(at + (int)frames.Length)];
            BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(at - 4), (uint)value.Length);
        }

        string temp = Path.Combine(Path.GetTempPath(), "vm-alloc-seg-" + Guid.NewGuid().ToString("N") + ".dcm");
        File.WriteAllBytes(temp, file);
        try
        {
            var ex = AssertThrowsWithinBudget<DicomFormatException>(file.Length, () => DicomSegmentationReader.Read(temp, series));
            Assert.Equal(temp, ex.FilePath);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static TestDicomWriter Image(int rows, int columns, string frames, int bitsAllocated) => new TestDicomWriter()
        .Text(0x0008, 0x0060, "CS", "CT")
        .UShort(0x0028, 0x0002, 1)
        .Text(0x0028, 0x0004, "CS", "MONOCHROME2")
        .Text(0x0028, 0x0008, "IS", frames)
        .UShort(0x0028, 0x0010, (ushort)rows)
        .UShort(0x0028, 0x0011, (ushort)columns)
        .UShort(0x0028, 0x0100, (ushort)bitsAllocated)
        .UShort(0x0028, 0x0101, (ushort)bitsAllocated)
        .UShort(0x0028, 0x0102, (ushort)(bitsAllocated - 1))
        .UShort(0x0028, 0x0103, 0);

    private static void Write(byte[] file, int at, ushort group, ushort element, string vr)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(at), group);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(at + 2), element);
        file[at + 4] = (byte)vr[0];
        file[at + 5] = (byte)vr[1];
    }

    private void AssertThrowsWithinBudget<TException>(byte[] input, Action read)
        where TException : Exception => AssertThrowsWithinBudget<TException>(input.Length, read);

    private TException AssertThrowsWithinBudget<TException>(long inputBytes, Action read)
        where TException : Exception
    {
        // Warm up once so JIT and type loading are not counted, then measure a second read on this thread.
        Assert.ThrowsAny<TException>(read);
        long before = GC.GetAllocatedBytesForCurrentThread();
        TException thrown = Assert.ThrowsAny<TException>(read);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long budget = (long)InputFactor * inputBytes + FixedBytes;
        _output.WriteLine($"{allocated} bytes allocated for a {inputBytes}-byte input (budget {budget}): {thrown.Message}");
        Assert.True(allocated <= budget, $"{allocated} bytes allocated for a {inputBytes}-byte input (budget {budget}).");
        return thrown;
    }
}
