using System.Diagnostics;
using VolumeMesh.Fuzz;

namespace VolumeMesh.Dicom.Tests;

/// <summary>
/// Replays every input the fuzzer found (FuzzRegressions/TARGET/*, see tests/VolumeMesh.Fuzz/RESULTS.md) through the same
/// target the campaign ran: each must be read or rejected with the target's documented exception, in under a second.
/// </summary>
public sealed class FuzzRegressionTests
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(1);

    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        string root = Path.Combine(TestData.RepoRoot, "tests", "VolumeMesh.Dicom.Tests", "FuzzRegressions");
        foreach (string folder in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            foreach (string file in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(folder), Path.GetFileName(file));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void FoundInputIsReadOrRejectedWithDocumentedExceptionInUnderASecond(string target, string file)
    {
        FuzzTarget? fuzzTarget = FuzzTargets.Find(target);
        Assert.NotNull(fuzzTarget);
        byte[] input = File.ReadAllBytes(Path.Combine(TestData.RepoRoot, "tests", "VolumeMesh.Dicom.Tests", "FuzzRegressions", target, file));

        // The first run pays for JIT compilation; the bound applies to the best of the next two (the machine is shared).
        Exception? first = RunBounded(fuzzTarget, input, TimeSpan.FromSeconds(30), out _);
        TimeSpan best = TimeSpan.MaxValue;
        for (int i = 0; i < 2; i++)
        {
            Exception? again = RunBounded(fuzzTarget, input, TimeSpan.FromSeconds(30), out TimeSpan elapsed);
            Assert.Equal(first?.GetType(), again?.GetType());
            best = elapsed < best ? elapsed : best;
        }

        Assert.True(best < s_limit, $"{target}/{file} took {best.TotalMilliseconds:F0} ms (limit {s_limit.TotalMilliseconds} ms).");
        if (first is not null)
        {
            Assert.True(fuzzTarget.IsDocumented(first), $"{first.GetType().Name} is not documented for {target}");
        }
    }

    [Fact]
    public void Jpeg2000DeclaringHugeImageIsRejectedFromItsSizSegmentBeforeOpenJpeg()
    {
        // The found input: 104 bytes whose SIZ declares 16711936×1024; OpenJPEG spent most of a second building its tiles.
        byte[] input = File.ReadAllBytes(Path.Combine(TestData.RepoRoot, "tests", "VolumeMesh.Dicom.Tests", "FuzzRegressions", "j2k", "siz-huge-image-slow-header.bin"));
        Exception? thrown = FuzzOutcome.Run(FuzzTargets.Find("j2k")!, input);
        var format = Assert.IsType<DicomFormatException>(thrown);
        Assert.Contains("SIZ declares a 16711936×1024 image", format.Message, StringComparison.Ordinal);
    }

    private static Exception? RunBounded(FuzzTarget target, byte[] input, TimeSpan timeout, out TimeSpan elapsed)
    {
        var clock = Stopwatch.StartNew();
        // FuzzOutcome.Run rethrows an undocumented exception, which fails the test with its stack trace.
        Task<Exception?> run = Task.Run(() => FuzzOutcome.Run(target, input));
        Assert.True(run.Wait(timeout), $"{target.Name} did not finish within {timeout.TotalSeconds} s");
        elapsed = clock.Elapsed;
        return run.Result;
    }
}
