using VolumeMesh.Geometry;
using VolumeMesh.Volumes;

namespace VolumeMesh.Dicom.Tests;

/// <summary>
/// A synthetic Enhanced CT file (written by <see cref="TestDicomWriter"/>): per-frame Plane Position and Pixel Value
/// Transformation, shared Pixel Measures and Plane Orientation, frames stored out of spatial order, 12 bits stored in
/// 16 with junk high bits, and a Pixel Padding Value. Expected HU are computed here from the values written.
/// </summary>
public sealed class EnhancedMultiFrameTests
{
    private const int Columns = 3;
    private const int Rows = 4;
    private static readonly double[] s_z = { 5.0, -1.0, 2.0 };       // frame order in the file
    private static readonly double[] s_slope = { 2.0, 1.0, 1.0 };
    private static readonly double[] s_intercept = { -1000.0, -1024.0, 0.0 };

    private static int Stored(int frame, int i) => ((i * 37) + (frame * 101)) % 4000 - 2000; // −2000…1999, fits 12 bits signed

    private static string WriteFile(string folder)
    {
        var w = new TestDicomWriter()
            .Text(0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.2.1")
            .Text(0x0008, 0x0018, "UI", "1.2.3.4.5.6.1")
            .Text(0x0008, 0x0060, "CS", "CT")
            .Text(0x0020, 0x000D, "UI", "1.2.3.4.5")
            .Text(0x0020, 0x000E, "UI", "1.2.3.4.5.6")
            .UShort(0x0028, 0x0002, 1)
            .Text(0x0028, 0x0004, "CS", "MONOCHROME2")
            .Text(0x0028, 0x0008, "IS", "3")
            .UShort(0x0028, 0x0010, Rows)
            .UShort(0x0028, 0x0011, Columns)
            .UShort(0x0028, 0x0100, 16)
            .UShort(0x0028, 0x0101, 12)
            .UShort(0x0028, 0x0102, 11)
            .UShort(0x0028, 0x0103, 1)
            .UShort(0x0028, 0x0120, 0x0800) // padding: −2048 in 12 bits
            .Sequence(0x5200, 0x9229, shared => shared
                .Sequence(0x0028, 0x9110, m => m.Text(0x0028, 0x0030, "DS", "0.5\\0.7"))
                .Sequence(0x0020, 0x9116, o => o.Text(0x0020, 0x0037, "DS", "1\\0\\0\\0\\1\\0")))
            .Sequence(0x5200, 0x9230, Enumerable.Range(0, 3).Select(f => (Action<TestDicomWriter>)(item => item
                .Sequence(0x0020, 0x9113, p => p.Text(0x0020, 0x0032, "DS", $"-10\\-20\\{s_z[f]}"))
                .Sequence(0x0028, 0x9145, t => t
                    .Text(0x0028, 0x1052, "DS", s_intercept[f].ToString(System.Globalization.CultureInfo.InvariantCulture))
                    .Text(0x0028, 0x1053, "DS", s_slope[f].ToString(System.Globalization.CultureInfo.InvariantCulture)))))
                .ToArray());
        ushort[] pixels = new ushort[3 * Rows * Columns];
        for (int f = 0; f < 3; f++)
        {
            for (int i = 0; i < Rows * Columns; i++)
            {
                // 12-bit two's complement with junk in the 4 unused high bits; pixel 0 of each frame is padding.
                int v = i == 0 ? -2048 : Stored(f, i);
                pixels[(f * Rows * Columns) + i] = (ushort)((v & 0x0FFF) | 0xA000);
            }
        }

        w.PixelData(pixels);
        string path = Path.Combine(folder, "enhanced.dcm");
        File.WriteAllBytes(path, w.ToFile());
        return path;
    }

    [Fact]
    public void PerFrameGeometryAndRescaleAreApplied()
    {
        string folder = Path.Combine(Path.GetTempPath(), "vm-enh-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            WriteFile(folder);
            DicomScanResult scan = DicomDirectoryScanner.Scan(folder);
            DicomSeriesInfo series = Assert.Single(scan.Series);
            Assert.True(series.IsMultiFrame);
            Assert.Equal(3, series.SliceCount);
            VolumeGeometry g = series.Geometry!;
            Assert.Equal(0.7, g.SpacingX);   // Pixel Spacing[1]
            Assert.Equal(0.5, g.SpacingY);   // Pixel Spacing[0]
            Assert.Equal(new[] { -1.0, 2.0, 5.0 }, g.SlicePositions.Select(p => p.Z));
            Assert.Empty(series.Warnings);

            Volume<short> hu = DicomSeriesLoader.LoadHu(series);
            Volume<float> fl = DicomSeriesLoader.LoadFloat(series);
            int[] frameOfSlice = { 1, 2, 0 }; // z −1, 2, 5
            for (int k = 0; k < 3; k++)
            {
                int f = frameOfSlice[k];
                for (int i = 0; i < Rows * Columns; i++)
                {
                    double expected = i == 0 ? -1024 : (Stored(f, i) * s_slope[f]) + s_intercept[f];
                    Assert.Equal(expected, hu.Voxels[(k * Rows * Columns) + i]);
                    Assert.Equal(expected, fl.Voxels[(k * Rows * Columns) + i]);
                }
            }
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
