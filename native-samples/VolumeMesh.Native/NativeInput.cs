using VolumeMesh.Dicom;
using VolumeMesh.IO;
using VolumeMesh.Pipeline;

namespace VolumeMesh.Native;

/// <summary>Loads what <see cref="Exports.MeshFile"/> is given: a DICOM folder (its default CT series, the one with the
/// most slices) or a NRRD file (<c>.nrrd</c>, <c>.nhdr</c>).</summary>
public static class NativeInput
{
    /// <summary>Loads the volume.</summary>
    /// <param name="path">The folder or file.</param>
    /// <param name="maxDegreeOfParallelism">Threads scanning and decoding DICOM (the <c>Parallelism</c> convention: a positive count, or −1 for every core).</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>The volume.</returns>
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    /// <exception cref="NotSupportedException">The file is neither NRRD nor a folder.</exception>
    /// <exception cref="NothingToMeshException">The folder holds no image series.</exception>
    public static PipelineVolume Load(string path, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default)
    {
        if (Directory.Exists(path))
        {
            DicomScanResult scan = DicomDirectoryScanner.Scan(path, new DicomScanOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, null, cancellationToken);
            DicomSeriesInfo series = scan.DefaultSeries ?? throw new NothingToMeshException($"'{path}' holds no DICOM image series.");
            var load = new DicomLoadOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
            return PipelineVolume.FromInt16(DicomSeriesLoader.LoadHu(series, load, null, cancellationToken), path);
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"'{path}' does not exist (give a DICOM folder or a NRRD file).", path);
        }

        string extension = Path.GetExtension(path).ToLowerInvariant();
        return extension is ".nrrd" or ".nhdr"
            ? PipelineVolume.FromNrrd(NrrdReader.Read(path, cancellationToken))
            : throw new NotSupportedException($"'{path}': give a DICOM folder or a NRRD file (.nrrd, .nhdr).");
    }
}
