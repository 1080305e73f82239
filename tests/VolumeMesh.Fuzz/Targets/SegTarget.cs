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
        // The series ships with the tests; find the repository from wherever the harness was published.
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, "tests", "VolumeMesh.Dicom.Tests", "Data", "Seg", "small-ct");
            if (File.Exists(Path.Combine(folder.FullName, "VolumeMesh.sln")) && Directory.Exists(candidate))
            {
                DicomScanResult scan = DicomDirectoryScanner.Scan(candidate);
                return scan.DefaultSeries ?? throw new InvalidOperationException($"{candidate} holds no series.");
            }
        }

        throw new InvalidOperationException("The SEG target's series (tests/VolumeMesh.Dicom.Tests/Data/Seg/small-ct) was not found above " + AppContext.BaseDirectory);
    }
}
