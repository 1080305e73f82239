using BenchmarkDotNet.Attributes;
using VolumeMesh.Dicom;
using VolumeMesh.Volumes;

namespace VolumeMesh.Benchmarks;

/// <summary>
/// Loads a whole DICOM series (scan headers, decode every slice in parallel, rescale to HU) from a folder.
/// Default: the Philips bone series (140 × 512², native) from ../shared/data and a JPEG-lossless copy of it
/// made with dcmtk's <c>dcmcjpeg +e1</c> into /tmp/s2030-jpegll (skipped when absent). MB/s = file bytes / time.
/// Peers: <c>python3 /work/shared/peers/dicomload.py FOLDER</c> (pydicom) and GDCM, see benchmarks/results/dicom.md.
/// </summary>
[MemoryDiagnoser]
public class DicomLoadBenchmarks
{
    private DicomSeriesInfo? _series;

    /// <summary>The series folder.</summary>
    [ParamsSource(nameof(Folders))]
    public string Folder { get; set; } = string.Empty;

    /// <summary>The Philips series and its JPEG-lossless copy; the shipped sample series when <see cref="BenchmarkVolumes.Tiny"/>.</summary>
    /// <returns>The folders.</returns>
    public static IEnumerable<string> Folders() => BenchmarkVolumes.Tiny
        ? ["samples/ge-head-tilt-jpegll"]
        : ["../shared/data/dicom/philips-phantom/S21570/S2030", "/tmp/s2030-jpegll"];

    /// <summary>Scans once, to benchmark decoding separately.</summary>
    [GlobalSetup]
    public void Setup()
    {
        string folder = Resolve(Folder);
        _series = Directory.Exists(folder) ? DicomDirectoryScanner.Scan(folder).DefaultSeries : null;
    }

    /// <summary>Header scan only (what <c>volumemesh info</c> does).</summary>
    /// <returns>The number of series.</returns>
    [Benchmark]
    public int Scan() => Directory.Exists(Resolve(Folder)) ? DicomDirectoryScanner.Scan(Resolve(Folder)).Count : 0;

    /// <summary>Scan and load the default series as HU.</summary>
    /// <returns>The volume.</returns>
    [Benchmark]
    public Volume<short>? ScanAndLoadHu() => _series is null ? null : DicomSeriesLoader.LoadDefaultHu(Resolve(Folder)).Volume;

    /// <summary>Decode and rescale only (series already scanned).</summary>
    /// <returns>The volume.</returns>
    [Benchmark]
    public Volume<short>? LoadHu() => _series is null ? null : DicomSeriesLoader.LoadHu(_series);

    private static string Resolve(string folder)
    {
        if (Path.IsPathRooted(folder))
        {
            return folder;
        }

        // BenchmarkDotNet runs from bin/…; find the repository root (VolumeMesh.sln) first.
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "VolumeMesh.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return Path.GetFullPath(Path.Combine(dir ?? ".", folder));
    }
}
