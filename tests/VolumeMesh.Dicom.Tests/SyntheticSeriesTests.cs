using VolumeMesh.Volumes;

namespace VolumeMesh.Dicom.Tests;

/// <summary>Grouping and duplicate handling on small synthetic series written by <see cref="TestDicomWriter"/>.</summary>
public sealed class SyntheticSeriesTests
{
    private static void WriteSlice(string folder, string name, int instance, string orientation, string position, ushort fill)
    {
        byte[] file = new TestDicomWriter()
            .Text(0x0008, 0x0018, "UI", $"1.2.3.9.{instance}")
            .Text(0x0008, 0x0060, "CS", "CT")
            .Text(0x0020, 0x000E, "UI", "1.2.3.9")
            .Text(0x0020, 0x0013, "IS", instance.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Text(0x0020, 0x0032, "DS", position)
            .Text(0x0020, 0x0037, "DS", orientation)
            .UShort(0x0028, 0x0002, 1)
            .Text(0x0028, 0x0004, "CS", "MONOCHROME2")
            .UShort(0x0028, 0x0010, 2)
            .UShort(0x0028, 0x0011, 2)
            .Text(0x0028, 0x0030, "DS", "1\\1")
            .UShort(0x0028, 0x0100, 16)
            .UShort(0x0028, 0x0101, 16)
            .UShort(0x0028, 0x0102, 15)
            .UShort(0x0028, 0x0103, 0)
            .Text(0x0028, 0x1052, "DS", "-1024")
            .Text(0x0028, 0x1053, "DS", "1")
            .PixelData(new[] { fill, fill, fill, fill })
            .ToFile();
        File.WriteAllBytes(Path.Combine(folder, name), file);
    }

    [Fact]
    public void LocalizerSharingTheUidIsItsOwnGroupAndDuplicatesAreDropped()
    {
        string folder = Path.Combine(Path.GetTempPath(), "vm-syn-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            const string axial = "1\\0\\0\\0\\1\\0";
            // Instance numbers deliberately disagree with position; file names too.
            WriteSlice(folder, "a", 3, axial, "0\\0\\0", 1000);
            WriteSlice(folder, "b", 1, axial, "0\\0\\2.5", 1100);
            WriteSlice(folder, "c", 2, axial, "0\\0\\5", 1200);
            WriteSlice(folder, "d", 4, axial, "0\\0\\5", 1300);        // duplicate position
            WriteSlice(folder, "e", 5, "1\\0\\0\\0\\0\\-1", "0\\0\\0", 900); // coronal localizer, same series UID
            File.WriteAllText(Path.Combine(folder, "notes.txt"), "not DICOM");

            DicomScanResult scan = DicomDirectoryScanner.Scan(folder);
            Assert.Equal(2, scan.Count);
            Assert.Equal(1, scan.FilesSkipped);
            DicomSeriesInfo stack = scan.DefaultSeries!;
            Assert.Equal(3, stack.SliceCount);
            Assert.Single(stack.DuplicateSlices);
            Assert.Contains(stack.Warnings, w => w.Contains("duplicate", StringComparison.Ordinal));
            Assert.Equal(new[] { 0.0, 2.5, 5.0 }, stack.Geometry!.SlicePositions.Select(p => p.Z));
            Assert.Equal(2.5, stack.SliceSpacingMm, 9);
            Volume<short> v = DicomSeriesLoader.LoadHu(stack);
            Assert.Equal(new short[] { 1000 - 1024, 1100 - 1024 }, new[] { v[0, 0, 0], v[1, 1, 1] });
            Assert.Equal(1200 - 1024, v[1, 1, 2]); // the first of the duplicates by Instance Number (2) is kept
            DicomSeriesInfo localizer = scan.Series.Single(s => s != stack);
            Assert.Equal(1, localizer.SliceCount);
            Assert.Equal(-1, localizer.Geometry!.ColumnDirection.Z);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}

/// <summary>Multi-frame images without functional groups (RT Dose) are stacked by Grid Frame Offset Vector.</summary>
public sealed class MultiFrameWithoutFunctionalGroupsTests
{
    [SkippableFact]
    public void RtDoseFramesFollowTheGridFrameOffsetVector()
    {
        // dcmdump (dcmtk 3.6.7) of rtdose.dcm: 15 frames of 10×10, Image Position (189.43125, 199.43125, −761.87),
        // axial orientation, Pixel Spacing 10\10, Grid Frame Offset Vector 0\5\10…\70.
        string path = TestData.RequireDicom("single/rtdose.dcm");
        DicomSeriesInfo series = Assert.Single(DicomDirectoryScanner.Scan(path));
        Assert.Equal(15, series.SliceCount);
        Assert.Equal(5.0, series.SliceSpacingMm, 9);
        Assert.Equal(-761.87, series.Geometry!.SlicePositions[0].Z, 9);
        Assert.Equal(-761.87 + 70, series.Geometry.SlicePositions[^1].Z, 9);
        float[] expected = DicomFile.Open(path).GetPixelData().DecodeFrameValues(14).Select(v => (float)v).ToArray();
        VolumeMesh.Volumes.Volume<float> dose = DicomSeriesLoader.LoadFloat(series);
        Assert.Equal(expected, dose.Voxels.AsSpan(14 * 100, 100).ToArray());
    }
}

/// <summary>Photometric and padding handling on one synthetic 8-bit MR slice (values computed here by hand).</summary>
public sealed class ValueMappingTests
{
    [Fact]
    public void Monochrome1InversionAndPaddingToTheMinimum()
    {
        string folder = Path.Combine(Path.GetTempPath(), "vm-val-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            // 16-bit allocated, 10 bits stored, unsigned; slope 0.5, intercept 10; padding range 1000…1023.
            ushort[] stored = { 0, 100, 1000, 1023, 512, 7 };
            File.WriteAllBytes(Path.Combine(folder, "x"), new TestDicomWriter()
                .Text(0x0008, 0x0060, "CS", "MR")
                .Text(0x0020, 0x000E, "UI", "1.2.3.7")
                .Text(0x0020, 0x0032, "DS", "0\\0\\0")
                .Text(0x0020, 0x0037, "DS", "1\\0\\0\\0\\1\\0")
                .Text(0x0028, 0x0004, "CS", "MONOCHROME1")
                .UShort(0x0028, 0x0010, 2)
                .UShort(0x0028, 0x0011, 3)
                .UShort(0x0028, 0x0100, 16)
                .UShort(0x0028, 0x0101, 10)
                .UShort(0x0028, 0x0102, 9)
                .UShort(0x0028, 0x0103, 0)
                .UShort(0x0028, 0x0120, 1023)
                .UShort(0x0028, 0x0121, 1000)
                .Text(0x0028, 0x1052, "DS", "10")
                .Text(0x0028, 0x1053, "DS", "0.5")
                .PixelData(stored.Select(v => (ushort)(v | 0xFC00)).ToArray()) // junk above Bits Stored
                .ToFile());
            DicomSeriesInfo series = Assert.Single(DicomDirectoryScanner.Scan(folder));
            Assert.True(series.HasFractionalRescale);

            // Modality values are independent of MONOCHROME1 by default; padding becomes the smallest real value (0 → 10).
            float[] plain = DicomSeriesLoader.LoadFloat(series).Voxels;
            Assert.Equal(new float[] { 10, 60, 10, 10, 266, 13.5f }, plain);
            short[] rounded = DicomSeriesLoader.LoadHu(series).Voxels;
            Assert.Equal(new short[] { 10, 60, 10, 10, 266, 14 }, rounded); // 13.5 rounds to even

            // Inverted: stored v → 1023 − v before rescale; explicit padding value.
            float[] inverted = DicomSeriesLoader.LoadFloat(series, new DicomLoadOptions { InvertMonochrome1 = true, PaddingValue = -5 }).Voxels;
            Assert.Equal(new float[] { 521.5f, 471.5f, -5, -5, 265.5f, 518 }, inverted);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
