using VolumeMesh.Dicom;

namespace VolumeMesh.Fuzz.Targets;

/// <summary>A DICOM SEG file read onto a fixed small CT series (the tilted, unevenly spaced six-slice series of the SEG tests).</summary>
internal sealed class SegTarget : FuzzTarget
{
    private static readonly Lazy<DicomSeriesInfo> s_series = new(LoadSeries);

    /// <inheritdoc />
    public override string Name => "seg";

    /// <inheritdoc />
    public override string Dictionary => "dicom";

    /// <inheritdoc />
    public override string Description => "DICOM SEG reader (segments, functional groups, frame placement, bit-packed and fractional frames) onto a fixed series";

    /// <inheritdoc />
    public override void Run(byte[] input)
    {
        DicomSeriesInfo series = s_series.Value;
        string path = Path.Combine(Scratch.Fresh(Name), "seg.dcm");
        File.WriteAllBytes(path, input);
        DicomSegmentationReader.Read(path, series);
    }

    private static DicomSeriesInfo LoadSeries()
    {
        // The series ships with the tests. fuzz/run.sh names the repository in VM_FUZZ_REPO, since VM_FUZZ_WORK may put the
        // published harness outside it (the 04:50 seg campaign aborted on that: every seed "crashed"); else search upward
        // from the harness and from the working folder.
        var roots = new List<string>();
        if (Environment.GetEnvironmentVariable("VM_FUZZ_REPO") is { Length: > 0 } named)
        {
            roots.Add(named);
        }

        foreach (string start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (DirectoryInfo? folder = new(start); folder is not null; folder = folder.Parent)
            {
                roots.Add(folder.FullName);
            }
        }

        foreach (string root in roots)
        {
            string candidate = Path.Combine(root, "tests", "VolumeMesh.Dicom.Tests", "Data", "Seg", "small-ct");
            if (File.Exists(Path.Combine(root, "VolumeMesh.sln")) && Directory.Exists(candidate))
            {
                DicomScanResult scan = DicomDirectoryScanner.Scan(candidate);
                return scan.DefaultSeries ?? throw new InvalidOperationException($"{candidate} holds no series.");
            }
        }

        throw new InvalidOperationException(
            "The SEG target's series (tests/VolumeMesh.Dicom.Tests/Data/Seg/small-ct) was not found in VM_FUZZ_REPO nor above "
            + AppContext.BaseDirectory + " or " + Environment.CurrentDirectory);
    }
}
