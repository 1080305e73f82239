using System.Globalization;
using System.Security.Cryptography;
using VolumeMesh.Dicom.Codecs;
using VolumeMesh.Geometry;
using VolumeMesh.Volumes;

namespace VolumeMesh.Dicom.Tests;

/// <summary>
/// Series assembly and loading on the shared GE (tilted, uneven) and Philips series. The HU oracle,
/// Expected/series-hu.tsv, was generated once by tools/make_expected_series.py with Debian's python3-pydicom 2.3.1:
/// slices sorted along the normal, HU = stored × slope + intercept, padding → −1024, SHA-256 of the int16 volume.
/// Positions and orientation below were read with dcmdump (dcmtk 3.6.7) from 01.dcm and 28.dcm.
/// </summary>
public sealed class SeriesTests
{
    private static readonly Lazy<Volume<short>> s_geReference = new(() =>
        DicomSeriesLoader.LoadHu(Single(DicomDirectoryScanner.Scan(TestData.Dicom("ge-head-tilt")))));

    private static DicomSeriesInfo Single(DicomScanResult scan)
    {
        Assert.Single(scan.Series);
        return scan.Series[0];
    }

    private static string[] ExpectedRow(string series) =>
        File.ReadLines(TestData.Expected("series-hu.tsv")).Select(l => l.Split('\t')).Single(f => f[0] == series);

    private static string Sha(short[] voxels)
    {
        byte[] bytes = new byte[voxels.Length * 2];
        Buffer.BlockCopy(voxels, 0, bytes, 0, bytes.Length);
        return Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
    }

    private static Vector3D ParseVector(string csv)
    {
        double[] v = csv.Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        return new Vector3D(v[0], v[1], v[2]);
    }

    [SkippableFact]
    public void GeTiltedSeriesHasExactGeometryAndPydicomHu()
    {
        DicomSeriesInfo series = Single(DicomDirectoryScanner.Scan(TestData.RequireDicom("ge-head-tilt")));
        Assert.Equal("CT", series.Modality);
        Assert.Equal(28, series.SliceCount);
        VolumeGeometry g = series.Geometry!;
        Assert.Equal((512, 512, 28), (g.SizeX, g.SizeY, g.SizeZ));
        Assert.Equal(0.4882812, g.SpacingX, 9);
        Assert.Equal(0.4882812, g.SpacingY, 9);
        Assert.Equal(new Vector3D(1, 0, 0), g.RowDirection);
        Assert.Equal(0.9483237, g.ColumnDirection.Y, 5);
        Assert.Equal(-0.3173047, g.ColumnDirection.Z, 5);
        Assert.Equal(new Vector3D(-125.0, -123.5404569, 5.8360586), g.SlicePositions[0]);
        Assert.Equal(new Vector3D(-125.0, -123.5404569, 157.7760586), g.SlicePositions[^1]);
        Assert.Equal(18.5, g.TiltDegrees, 0.1);
        Assert.Equal(18.5, series.TiltDegrees, 0.1);
        Assert.False(g.HasUniformSliceSpacing);
        Assert.Contains(series.Warnings, w => w.StartsWith("Non-uniform slice spacing", StringComparison.Ordinal));

        // The voxel (0,0,k) maps to each file's Image Position exactly.
        for (int k = 0; k < g.SizeZ; k++)
        {
            Assert.Equal(series.Slices[k].PositionLps!.Value, g.IndexToPatient(0, 0, k));
        }

        string[] expected = ExpectedRow("ge-head-tilt");
        Volume<short> volume = s_geReference.Value;
        Assert.Equal(ParseVector(expected[4]), g.SlicePositions[0]);
        Assert.Equal(ParseVector(expected[5]), g.SlicePositions[^1]);
        Assert.Equal(expected[6], Sha(volume.Voxels));
    }

    [SkippableTheory]
    [InlineData("jpeg-lossless")]
    [InlineData("rle")]
    [InlineData("jpeg-ls")]
    [InlineData("j2k-lossless")]
    [InlineData("deflate")]
    [InlineData("implicit-le")]
    [InlineData("big-endian")]
    public void TranscodedCopiesLoadToIdenticalHu(string syntax)
    {
        string folder = TestData.RequireDicom("transcoded/" + syntax);
        Skip.If(syntax == "jpeg-ls" && !CharLsCodec.IsAvailable, "libcharls2 is not installed");
        Skip.If(syntax == "j2k-lossless" && !OpenJpegCodec.IsAvailable, "libopenjp2-7 is not installed");
        DicomSeriesInfo series = Single(DicomDirectoryScanner.Scan(folder));
        Volume<short> volume = DicomSeriesLoader.LoadHu(series);
        Volume<short> reference = s_geReference.Value;
        int expectedSlices = syntax is "implicit-le" or "big-endian" ? 8 : 28;
        Assert.Equal(expectedSlices, volume.SizeZ);
        for (int k = 0; k < volume.SizeZ; k++)
        {
            // Match slices by position (the 8-slice copies hold files 01–08).
            Vector3D p = volume.Geometry.SlicePositions[k];
            int kr = Enumerable.Range(0, reference.SizeZ).Single(i => reference.Geometry.SlicePositions[i] == p);
            Assert.True(volume.Slice(k).SequenceEqual(reference.Slice(kr)), $"{syntax}: slice {k} differs");
        }

        Assert.Equal(reference.Geometry.RowDirection, volume.Geometry.RowDirection);
        Assert.Equal(reference.Geometry.ColumnDirection, volume.Geometry.ColumnDirection);
    }

    [SkippableFact]
    public void ShuffledFileOrderGivesTheIdenticalVolume()
    {
        string source = TestData.RequireDicom("transcoded/jpeg-lossless");
        string temp = Path.Combine(Path.GetTempPath(), "vm-shuffle-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(temp, "b"));
        try
        {
            var rng = new Random(1234);
            string[] files = Directory.GetFiles(source).OrderBy(_ => rng.Next()).ToArray();
            for (int i = 0; i < files.Length; i++)
            {
                // Names in shuffled order, half of them in a sub-folder.
                File.Copy(files[i], Path.Combine(temp, i % 2 == 0 ? "b" : string.Empty, $"img{i:D3}"));
            }

            Volume<short> shuffled = DicomSeriesLoader.LoadHu(Single(DicomDirectoryScanner.Scan(temp)));
            Volume<short> reference = s_geReference.Value;
            Assert.Equal(reference.Geometry.SlicePositions, shuffled.Geometry.SlicePositions);
            Assert.Equal(reference.Voxels, shuffled.Voxels);
        }
        finally
        {
            Directory.Delete(temp, true);
        }
    }

    [SkippableFact]
    public void RemovedSliceIsReportedMissing()
    {
        string source = TestData.RequireDicom("transcoded/jpeg-lossless");
        string temp = Path.Combine(Path.GetTempPath(), "vm-missing-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(temp);
        try
        {
            DicomSeriesInfo full = Single(DicomDirectoryScanner.Scan(source));
            Assert.DoesNotContain(full.Warnings, w => w.StartsWith("Missing", StringComparison.Ordinal));
            string removed = full.Slices[5].FilePath;
            foreach (string f in Directory.GetFiles(source).Where(f => f != removed))
            {
                File.Copy(f, Path.Combine(temp, Path.GetFileName(f)));
            }

            DicomSeriesInfo series = Single(DicomDirectoryScanner.Scan(temp));
            Assert.Equal(27, series.SliceCount);
            Assert.Contains(series.Warnings, w => w.StartsWith("Missing slice", StringComparison.Ordinal) && w.Contains("slices 4 and 5"));
        }
        finally
        {
            Directory.Delete(temp, true);
        }
    }

    [SkippableFact]
    public void PhilipsPhantomListsSeriesReportsDanglingReferencesAndLoadsBone()
    {
        string root = TestData.RequireDicom("philips-phantom");
        DicomScanResult scan = DicomDirectoryScanner.Scan(root);
        Assert.Contains(scan.DirectoryFiles, f => Path.GetFileName(f) == "DICOMDIR");
        foreach (string missing in new[] { "S21570/S2010/DIRFILE", "S21570/S2020/DIRFILE", "S21610/S3010/DIRFILE" })
        {
            Assert.Contains(scan.DanglingReferences, d => d.EndsWith(missing.Replace('/', Path.DirectorySeparatorChar), StringComparison.Ordinal));
        }

        DicomSeriesInfo bone = scan.DefaultSeries!;
        Assert.Equal("CT", bone.Modality);
        Assert.Equal(140, bone.SliceCount);
        Assert.Contains("BONE", bone.SeriesDescription, StringComparison.OrdinalIgnoreCase);
        Assert.True(bone.Slices.All(s => s.FilePath.Contains($"S2030{Path.DirectorySeparatorChar}", StringComparison.Ordinal)));
        Assert.Equal(1.0, bone.SliceSpacingMm, 3);
        Assert.Equal(0, bone.TiltDegrees, 2);
        DicomSeriesInfo stereo = scan.Series.Single(s => s.Slices[0].FilePath.Contains($"S21610{Path.DirectorySeparatorChar}S2010", StringComparison.Ordinal) && s.SliceCount > 1);
        int stereoFiles = Directory.GetFiles(Path.Combine(root, "S21610", "S2010")).Count(f => Path.GetFileName(f) != "DIRFILE");
        Assert.Equal(stereoFiles, stereo.SliceCount);
        Assert.Equal(2.5 * 0.9483237, stereo.SliceSpacingMm, 3); // 2.5 mm along z, measured along the tilted normal
        Assert.Equal(18.5, stereo.TiltDegrees, 0.1);

        string[] expected = ExpectedRow("philips-phantom/S21570/S2030");
        Volume<short> volume = DicomSeriesLoader.LoadHu(bone);
        Assert.Equal(expected[6], Sha(volume.Voxels));
        Assert.Equal(ParseVector(expected[4]), volume.Geometry.SlicePositions[0]);
        Assert.Equal(ParseVector(expected[5]), volume.Geometry.SlicePositions[^1]);
    }

    [SkippableFact]
    public void FloatLoadMatchesHuAndProgressAndCancellationWork()
    {
        string folder = TestData.RequireDicom("transcoded/rle");
        DicomSeriesInfo series = Single(DicomDirectoryScanner.Scan(folder));
        var reports = new List<double>();
        Volume<float> f = DicomSeriesLoader.LoadFloat(series, null, new SyncProgress(reports));
        Volume<short> reference = s_geReference.Value;
        for (int i = 0; i < f.Voxels.Length; i += 997)
        {
            Assert.Equal(reference.Voxels[i], f.Voxels[i]);
        }

        Assert.Equal(1.0, reports.Max());
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => DicomSeriesLoader.LoadHu(series, null, null, cts.Token));
    }

    private sealed class SyncProgress(List<double> values) : IProgress<double>
    {
        public void Report(double value)
        {
            lock (values)
            {
                values.Add(value);
            }
        }
    }
}
