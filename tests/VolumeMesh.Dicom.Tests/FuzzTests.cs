using System.Diagnostics;

namespace VolumeMesh.Dicom.Tests;

/// <summary>
/// Mutates real files (fixed seeds: bytes flipped, length fields rewritten, bytes inserted or removed, truncation) and
/// asserts that reading, describing and decoding them either works or raises <see cref="DicomFormatException"/> or
/// <see cref="NotSupportedException"/> — never another exception type, a hang or a crash — within a per-case time bound.
/// </summary>
public sealed class FuzzTests
{
    private static readonly TimeSpan s_caseLimit = TimeSpan.FromSeconds(5);

    [SkippableTheory]
    [InlineData("single/CT_small.dcm", 500)]
    [InlineData("single/MR_small_implicit.dcm", 400)]
    [InlineData("single/MR_small_bigendian.dcm", 300)]
    [InlineData("single/MR_small_RLE.dcm", 400)]
    [InlineData("single/rtdose_rle.dcm", 200)]
    [InlineData("single/image_dfl.dcm", 150)]
    [InlineData("single/rtplan.dcm", 300)]
    [InlineData("single/nested_priv_SQ.dcm", 200)]
    [InlineData("single/JPGExtended.dcm", 100)]
    [InlineData("single/MR_small_jpeg_ls_lossless.dcm", 200)]
    [InlineData("single/MR_small_jp2klossless.dcm", 150)]
    [InlineData("single/dicomdirtests/DICOMDIR", 200)]
    [InlineData("transcoded/jpeg-lossless/01.dcm", 60)]
    public void MutatedFilesFailOnlyWithDocumentedExceptions(string relative, int cases)
    {
        string path = TestData.RequireDicom(relative);
        byte[] original = File.ReadAllBytes(path);
        var clock = Stopwatch.StartNew();
        for (int c = 0; c < cases; c++)
        {
            int seed = StableSeed(relative, c);
            byte[] mutated = Mutate(original, new Random(seed));
            var task = Task.Run(() => Exercise(mutated));
            if (!task.Wait(s_caseLimit))
            {
                Assert.Fail($"{relative} case {c} (seed {seed}) ran longer than {s_caseLimit.TotalSeconds} s.");
            }

            Exception? unexpected = task.Result;
            Assert.True(unexpected is null, $"{relative} case {c} (seed {seed}): {unexpected}");
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{cases} cases took {clock.Elapsed}");
    }

    private static int StableSeed(string name, int c)
    {
        int h = 17;
        foreach (char ch in name)
        {
            h = (h * 31) + ch;
        }

        return h ^ (c * 7919);
    }

    private static Exception? Exercise(byte[] bytes)
    {
        try
        {
            DicomFile header = DicomFile.Parse(bytes, "fuzz.dcm", headerOnly: true);
            _ = DicomDirectoryScanner.ReadSlices(header);
            DicomFile file = DicomFile.Parse(bytes, "fuzz.dcm");
            _ = DicomDirectoryScanner.ReadSlices(file);
            if (file.HasPixelData)
            {
                DicomPixelData pixels = file.GetPixelData();
                for (int f = 0; f < Math.Min(pixels.NumberOfFrames, 3); f++)
                {
                    _ = pixels.DecodeFrameValues(f);
                }
            }

            return null;
        }
        catch (DicomFormatException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    private static byte[] Mutate(byte[] original, Random rng)
    {
        byte[] b = (byte[])original.Clone();
        switch (rng.Next(6))
        {
            case 0:
                // Flip a few random bytes, biased to the header where the structure is.
                for (int i = rng.Next(1, 9); i > 0; i--)
                {
                    int at = rng.Next(2) == 0 ? rng.Next(Math.Min(b.Length, 2048)) : rng.Next(b.Length);
                    b[at] ^= (byte)rng.Next(1, 256);
                }

                return b;
            case 1:
                // Rewrite a 16- or 32-bit length-like field with an extreme value.
                {
                    int at = rng.Next(Math.Max(1, Math.Min(b.Length, 4096) - 4));
                    uint[] values = { 0, 1, 0xFFFF, 0xFFFFFFFF, 0x7FFFFFFF, (uint)b.Length, (uint)rng.Next() };
                    uint v = values[rng.Next(values.Length)];
                    if (rng.Next(2) == 0)
                    {
                        BitConverter.TryWriteBytes(b.AsSpan(at, 2), (ushort)v);
                    }
                    else
                    {
                        BitConverter.TryWriteBytes(b.AsSpan(at, 4), v);
                    }

                    return b;
                }

            case 2:
                return b.AsSpan(0, rng.Next(b.Length)).ToArray();
            case 3:
                {
                    // Insert random bytes.
                    int at = rng.Next(b.Length);
                    byte[] extra = new byte[rng.Next(1, 16)];
                    rng.NextBytes(extra);
                    return b.Take(at).Concat(extra).Concat(b.Skip(at)).ToArray();
                }

            case 4:
                {
                    // Remove a run of bytes.
                    int at = rng.Next(b.Length);
                    int n = Math.Min(rng.Next(1, 64), b.Length - at);
                    return b.Take(at).Concat(b.Skip(at + n)).ToArray();
                }

            default:
                {
                    // Scramble a block in the pixel data / tail.
                    int start = rng.Next(b.Length / 2, b.Length);
                    int n = Math.Min(rng.Next(1, 256), b.Length - start);
                    rng.NextBytes(b.AsSpan(start, n));
                    return b;
                }
        }
    }
}
