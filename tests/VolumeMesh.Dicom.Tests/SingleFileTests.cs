using System.Security.Cryptography;
using VolumeMesh.Dicom.Codecs;

namespace VolumeMesh.Dicom.Tests;

/// <summary>
/// Parses and decodes every file of ../shared/data/dicom/single (pydicom's test files).
/// The oracle, Expected/single-pixels.tsv, was generated once by tools/make_expected.py with Debian's
/// python3-pydicom 2.3.1 and dcmtk 3.6.7 (dcmdjpeg/dcmdjpls/dcmdrle decompress first; JPEG 2000 through
/// pydicom + Pillow/OpenJPEG): a SHA-256 of every stored value (masked to Bits Stored, sign-extended,
/// int64 little endian) for lossless files, a 16×16 grid of frame-0 values for lossy ones.
/// </summary>
public sealed class SingleFileTests
{
    // Truncated files, and no_meta.dcm, which starts with a stray byte (dcmdump rejects it too): a format error is the right answer.
    private static readonly string[] s_truncated = { "MR_truncated.dcm", "rtplan_truncated.dcm", "no_meta.dcm" };

    public static IEnumerable<object[]> ExpectedRows()
    {
        foreach (string line in File.ReadLines(TestData.Expected("single-pixels.tsv")).Skip(1))
        {
            string[] f = line.Split('\t');
            yield return new object[] { f[0], int.Parse(f[1]), int.Parse(f[2]), int.Parse(f[3]), int.Parse(f[4]), f[5], f[6] };
        }
    }

    [SkippableFact]
    public void EveryFileParsesItsHeader()
    {
        string folder = TestData.RequireDicom("single");
        int parsed = 0;
        foreach (string path in Directory.EnumerateFiles(folder, "*.dcm"))
        {
            string name = Path.GetFileName(path);
            DicomFile header;
            try
            {
                header = DicomFile.ReadHeader(path);
            }
            catch (DicomFormatException) when (s_truncated.Contains(name))
            {
                continue;
            }

            Assert.True(header.Dataset.Elements.Count > 0, name);
            if (!s_truncated.Contains(name))
            {
                // A full read agrees with the header read on everything before the pixel data.
                DicomFile full = DicomFile.Open(path);
                Assert.Equal(header.TransferSyntax.Uid, full.TransferSyntax.Uid);
                Assert.Equal(header.Dataset.GetString(DicomTags.SopInstanceUid), full.Dataset.GetString(DicomTags.SopInstanceUid));
                Assert.Equal(header.Dataset.GetString(DicomTags.Modality), full.Dataset.GetString(DicomTags.Modality));
            }

            parsed++;
        }

        Assert.True(parsed >= 60, $"only {parsed} files parsed");
    }

    [SkippableFact]
    public void HeaderFieldsMatchDcmdump()
    {
        // Values read with dcmdump (dcmtk 3.6.7) from CT_small.dcm.
        DicomFile f = DicomFile.ReadHeader(TestData.RequireDicom("single/CT_small.dcm"));
        Assert.True(f.IsHeaderOnly);
        Assert.Equal("1.2.840.10008.1.2.1", f.TransferSyntax.Uid);
        Assert.Equal("CT", f.Dataset.GetString(DicomTags.Modality));
        Assert.Equal(128, f.Dataset.GetInt32(DicomTags.Rows));
        Assert.Equal(new[] { -158.135803, -179.035797, -75.699997 }, f.Dataset.GetDoubles(DicomTags.ImagePositionPatient));
        Assert.Equal(new[] { 0.661468, 0.661468 }, f.Dataset.GetDoubles(DicomTags.PixelSpacing));
    }

    [SkippableFact]
    public void FilesWithoutPreambleOrMetaAndGzipAreRead()
    {
        TestData.RequireDicom("single");
        DicomFile noPreamble = DicomFile.Open(TestData.Dicom("single/rtstruct.dcm"));
        Assert.False(noPreamble.HasPreamble);
        Assert.Equal("RTSTRUCT", noPreamble.Dataset.GetString(DicomTags.Modality));
        DicomFile be = DicomFile.Open(TestData.Dicom("single/ExplVR_BigEndNoMeta.dcm"));
        Assert.True(be.TransferSyntax.IsBigEndian);
        Assert.Equal("RTPLAN", be.Dataset.GetString(DicomTags.Modality));
        DicomFile le = DicomFile.Open(TestData.Dicom("single/ExplVR_LitEndNoMeta.dcm"));
        Assert.Equal(be.Dataset.GetString(DicomTags.SopInstanceUid), le.Dataset.GetString(DicomTags.SopInstanceUid));
        DicomFile gz = DicomFile.Open(TestData.Dicom("single/zipMR.gz"));
        Assert.Equal("MR", gz.Dataset.GetString(DicomTags.Modality));
        DicomFile nested = DicomFile.Open(TestData.Dicom("single/nested_priv_SQ.dcm"));
        Assert.Contains(nested.Dataset.Elements, e => e.Tag.IsPrivate && e.Items is { Count: > 0 });
    }

    [SkippableFact]
    public void TruncatedPixelDataRaisesFormatException()
    {
        DicomFile header = DicomFile.ReadHeader(TestData.RequireDicom("single/MR_truncated.dcm"));
        Assert.Equal("MR", header.Dataset.GetString(DicomTags.Modality));
        Assert.Throws<DicomFormatException>(() => DicomFile.Open(TestData.Dicom("single/MR_truncated.dcm")).GetPixelData().DecodeFrame(0));
    }

    [SkippableTheory]
    [MemberData(nameof(ExpectedRows))]
    public void DecodesLikeAnIndependentDecoder(string name, int frames, int rows, int columns, int samples, string kind, string expected)
    {
        string path = TestData.RequireDicom("single/" + name);
        DicomFile file = DicomFile.Open(path);
        DicomTransferSyntax ts = file.TransferSyntax;
        Skip.If(ts.PixelEncoding == DicomPixelEncoding.JpegLs && !CharLsCodec.IsAvailable, "libcharls2 is not installed");
        Skip.If(ts.PixelEncoding == DicomPixelEncoding.Jpeg2000 && !OpenJpegCodec.IsAvailable, "libopenjp2-7 is not installed");
        DicomPixelData pixels = file.GetPixelData();
        Assert.Equal((frames, rows, columns, samples), (pixels.NumberOfFrames, pixels.Rows, pixels.Columns, pixels.SamplesPerPixel));
        if (kind == "sha256")
        {
            using var sha = SHA256.Create();
            for (int f = 0; f < frames; f++)
            {
                long[] values = pixels.DecodeFrameValues(f);
                byte[] bytes = new byte[values.Length * 8];
                Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
                sha.TransformBlock(bytes, 0, bytes.Length, null, 0);
            }

            sha.TransformFinalBlock(Array.Empty<byte>(), 0, 0);
            Assert.Equal(expected, Convert.ToHexString(sha.Hash!).ToLowerInvariant());
        }
        else
        {
            long[] values = pixels.DecodeFrameValues(0);
            long[] grid = expected.Split(',').Select(long.Parse).ToArray();
            long range = Math.Max(1, grid.Max() - grid.Min());
            int n = 0;
            double sumAbs = 0;
            for (int gy = 0; gy < 16; gy++)
            {
                int y = (int)((rows - 1) * (gy / 15.0));
                for (int gx = 0; gx < 16; gx++)
                {
                    int x = (int)((columns - 1) * (gx / 15.0));
                    long actual = values[((y * columns) + x) * samples];
                    long diff = Math.Abs(actual - grid[n++]);
                    sumAbs += diff;
                    Assert.True(diff <= Math.Max(4, range / 50), $"{name}: ({x},{y}) decoded {actual}, expected {grid[n - 1]}");
                }
            }

            Assert.True(sumAbs / 256 <= Math.Max(1.5, range / 200.0), $"{name}: mean difference {sumAbs / 256}");
        }
    }
}
