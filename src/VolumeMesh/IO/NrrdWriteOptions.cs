namespace VolumeMesh.IO;

/// <summary>Options of <see cref="NrrdWriter"/>.</summary>
public sealed record NrrdWriteOptions
{
    /// <summary>The default options: gzip (fastest level), attached data for <c>.nrrd</c>, detached for <c>.nhdr</c>.</summary>
    public static NrrdWriteOptions Default { get; } = new();

    /// <summary>The data encoding; gzip by default.</summary>
    public NrrdEncoding Encoding { get; init; } = NrrdEncoding.Gzip;

    /// <summary>The gzip level when <see cref="Encoding"/> is gzip; fastest by default (as the peers' NRRD writer uses level 1).</summary>
    public System.IO.Compression.CompressionLevel CompressionLevel { get; init; } = System.IO.Compression.CompressionLevel.Fastest;
}
