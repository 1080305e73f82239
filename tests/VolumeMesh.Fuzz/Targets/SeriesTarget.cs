using VolumeMesh.Dicom;

namespace VolumeMesh.Fuzz.Targets;

/// <summary>A few files (the input split at <see cref="Separator"/>) scanned as a folder, assembled into series and loaded in HU.</summary>
internal sealed class SeriesTarget : FuzzTarget
{
    /// <summary>Separates the files in one input.</summary>
    public static ReadOnlySpan<byte> Separator => "@@VMFUZZ@@"u8;

    private const int MaxFiles = 4;
    private const int MaxSeries = 2;

    /// <inheritdoc />
    public override string Name => "series";

    /// <inheritdoc />
    public override string Dictionary => "dicom";

    /// <inheritdoc />
    public override string Description => "series assembly: up to 4 files split at @@VMFUZZ@@, scanned, sorted and loaded in HU";

    /// <inheritdoc />
    public override void Run(byte[] input)
    {
        string folder = Scratch.Fresh(Name);
        ReadOnlySpan<byte> rest = input;
        for (int i = 0; i < MaxFiles && !rest.IsEmpty; i++)
        {
            int cut = i == MaxFiles - 1 ? -1 : rest.IndexOf(Separator);
            ReadOnlySpan<byte> part = cut < 0 ? rest : rest[..cut];
            rest = cut < 0 ? ReadOnlySpan<byte>.Empty : rest[(cut + Separator.Length)..];
            File.WriteAllBytes(Path.Combine(folder, $"{i}.dcm"), part.ToArray());
        }

        DicomScanResult scan = DicomDirectoryScanner.Scan(folder, new DicomScanOptions { MaxDegreeOfParallelism = 1 });
        var load = new DicomLoadOptions { MaxDegreeOfParallelism = 1 };
        for (int s = 0; s < Math.Min(scan.Series.Count, MaxSeries); s++)
        {
            DicomSeriesLoader.LoadHu(scan.Series[s], load);
        }
    }

    /// <inheritdoc />
    /// <remarks>The loader also documents <see cref="InvalidOperationException"/> for a series without geometry.</remarks>
    public override bool IsDocumented(Exception exception) =>
        base.IsDocumented(exception) || exception.GetType() == typeof(InvalidOperationException);
}
