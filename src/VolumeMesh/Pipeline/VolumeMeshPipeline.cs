using System.Diagnostics;
using System.Globalization;
using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Segmentation;

namespace VolumeMesh.Pipeline;

/// <summary>The whole job in one call: volume → inside (threshold range or iso value) → marching cubes → report → mesh file.</summary>
/// <remarks>The CLI's <c>mesh</c> command is this type plus argument parsing; library users call it the same way. Each stage
/// is a public type of its own (<see cref="MarchingCubes"/>, <see cref="MeshReport"/>, <see cref="StlWriter"/>), so a
/// different composition needs nothing from here.</remarks>
public static class VolumeMeshPipeline
{
    /// <summary>Meshes a volume and computes the report, writing nothing.</summary>
    /// <param name="volume">The volume.</param>
    /// <param name="options">Options; <see cref="VolumeMeshPipelineOptions.Default"/> when null.</param>
    /// <param name="progress">Receives the stage and its fraction done.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The mesh and its report.</returns>
    /// <exception cref="ArgumentException">Both <see cref="VolumeMeshPipelineOptions.Range"/> and <see cref="VolumeMeshPipelineOptions.Iso"/> are set, or the iso value is not finite.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public static VolumeMeshResult Mesh(
        PipelineVolume volume, VolumeMeshPipelineOptions? options = null, IProgress<PipelineProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        options ??= VolumeMeshPipelineOptions.Default;
        if (options.Range is not null && options.Iso is not null)
        {
            throw new ArgumentException("Give either a threshold range or an iso value, not both.", nameof(options));
        }

        if (options.Iso is double isoValue && !double.IsFinite(isoValue))
        {
            throw new ArgumentException($"The iso value {isoValue} is not finite.", nameof(options));
        }

        var mcOptions = new MarchingCubesOptions
        {
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
            Progress = progress is null ? null : new StageProgress(progress, "mesh"),
        };

        var clock = Stopwatch.StartNew();
        Mesh mesh;
        string inside;
        if (options.Iso is double iso)
        {
            inside = string.Create(CultureInfo.InvariantCulture, $"iso ≥ {iso}");
            mesh = volume.Int16 is not null
                ? MarchingCubes.FromIso(volume.Int16, iso, mcOptions, cancellationToken)
                : MarchingCubes.FromIso(volume.Float!, iso, mcOptions, cancellationToken);
        }
        else
        {
            HuRange range = options.Range ?? ThresholdPresets.Bone;
            inside = $"threshold {range}";
            mesh = volume.Int16 is not null
                ? MarchingCubes.FromRange(volume.Int16, range.Low, range.High, mcOptions, cancellationToken)
                : MarchingCubes.FromRange(volume.Float!, range.Low, range.High, mcOptions, cancellationToken);
        }

        TimeSpan meshTime = clock.Elapsed;
        progress?.Report(new PipelineProgress("report", 0));
        clock.Restart();
        MeshReport report = MeshReport.Compute(mesh);
        progress?.Report(new PipelineProgress("report", 1));
        return new VolumeMeshResult { Mesh = mesh, Report = report, Inside = inside, MeshTime = meshTime, ReportTime = clock.Elapsed };
    }

    /// <summary>Meshes a volume, writes the mesh (format from the extension) and, when asked, the JSON report.</summary>
    /// <param name="volume">The volume.</param>
    /// <param name="outputPath">The mesh file; <c>.stl</c>.</param>
    /// <param name="options">Options; <see cref="VolumeMeshPipelineOptions.Default"/> when null.</param>
    /// <param name="progress">Receives the stage and its fraction done.</param>
    /// <param name="cancellationToken">Cancels the run; no partial file is left.</param>
    /// <returns>The mesh, its report and timings.</returns>
    /// <exception cref="NotSupportedException">The output extension names no supported format.</exception>
    /// <exception cref="IOException">A file cannot be written.</exception>
    public static VolumeMeshResult Run(
        PipelineVolume volume, string outputPath, VolumeMeshPipelineOptions? options = null, IProgress<PipelineProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        options ??= VolumeMeshPipelineOptions.Default;
        RequireSupportedOutput(outputPath);
        VolumeMeshResult result = Mesh(volume, options, progress, cancellationToken);
        var clock = Stopwatch.StartNew();
        progress?.Report(new PipelineProgress("write", 0));
        WriteMesh(result.Mesh, outputPath, options, cancellationToken);
        if (options.ReportPath is not null)
        {
            MeshReportJson.Write(result.Report, options.ReportPath);
        }

        progress?.Report(new PipelineProgress("write", 1));
        return result with { WriteTime = clock.Elapsed };
    }

    /// <summary>Writes a mesh in the format its file extension names (<c>.stl</c>; further formats join this switch).</summary>
    /// <param name="mesh">The mesh.</param>
    /// <param name="path">The file.</param>
    /// <param name="options">Encoding and coordinate-system options; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the write; the target is then left as it was.</param>
    /// <exception cref="NotSupportedException">The extension names no supported format.</exception>
    public static void WriteMesh(Mesh mesh, string path, VolumeMeshPipelineOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        options ??= VolumeMeshPipelineOptions.Default;
        switch (RequireSupportedOutput(path))
        {
            default:
                StlWriter.Write(mesh, path, new StlWriteOptions { Format = options.StlFormat, Space = options.Space }, cancellationToken);
                break;
        }
    }

    private static string RequireSupportedOutput(string path)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".stl" => extension,
            _ => throw new NotSupportedException(
                $"Output '{path}': the format '{(extension.Length == 0 ? "(no extension)" : extension)}' is not supported; use .stl."),
        };
    }

    private sealed class StageProgress(IProgress<PipelineProgress> target, string stage) : IProgress<double>
    {
        public void Report(double value) => target.Report(new PipelineProgress(stage, value));
    }
}
