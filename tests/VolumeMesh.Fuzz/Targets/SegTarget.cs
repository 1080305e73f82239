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
        // The six CT slices of the SEG tests are copied beside the harness (VolumeMesh.Fuzz.csproj), so the target does
        // not depend on where the harness was published.
        string folder = Path.Combine(AppContext.BaseDirectory, "seg-series");
        if (!Directory.Exists(folder))
        {
            throw new InvalidOperationException($"The SEG target's series is missing: {folder} (copied there by VolumeMesh.Fuzz.csproj).");
        }

        DicomScanResult scan = DicomDirectoryScanner.Scan(folder);
        return scan.DefaultSeries ?? throw new InvalidOperationException($"{folder} holds no series.");
    }
}
