using System.Diagnostics;
using System.Globalization;
using VolumeMesh.Components;
using VolumeMesh.Compute;
using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Processing;
using VolumeMesh.Segmentation;
using VolumeMesh.Volumes;

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
        HuRange range = options.Iso is double isoLevel ? new HuRange(isoLevel, double.PositiveInfinity) : options.Range ?? ThresholdPresets.Bone;
        string inside = options.Iso is double iso ? string.Create(CultureInfo.InvariantCulture, $"iso ≥ {iso}") : $"threshold {range}";
        Mesh mesh;
        Segmentation? segmentation = null;
        IMarchingCubesEngine engine = MarchingCubesEngines.Create(options.Device, out string? deviceNote);

        // Issue 10 item 4 (memory, branch mem): selection / hole filling on the managed CPU run on runs and packed bits.
        if (PackedMaskPipeline.TryMesh(volume, range, inside, options, engine.Device, deviceNote, mcOptions, progress, cancellationToken) is VolumeMeshResult packed)
        {
            return packed;
        }

        if (options.NeedsMask)
        {
            segmentation = Segment(volume, range, options, engine.Device, progress, cancellationToken);
            inside += segmentation.Description;
        }

        TimeSpan segmentTime = clock.Elapsed;
        clock.Restart();
        if (segmentation is not null)
        {
            // Field interpolation inside a selected mask runs on the managed engine only.
            if (engine.Device.IsIlgpu)
            {
                deviceNote = $"{deviceNote}{(deviceNote is null ? string.Empty : " ")}Meshing a selected mask on the field runs on the managed CPU path.".Trim();
                engine = ManagedMarchingCubesEngine.Instance;
            }

            mesh = volume.Int16 is not null
                ? MarchingCubes.FromMaskedRange(volume.Int16, segmentation.Mask, range.Low, range.High, mcOptions, cancellationToken)
                : MarchingCubes.FromMaskedRange(volume.Float!, segmentation.Mask, range.Low, range.High, mcOptions, cancellationToken);
        }
        else if (options.Iso is double isoValue2)
        {
            mesh = volume.Int16 is not null
                ? engine.FromIso(volume.Int16, isoValue2, mcOptions, cancellationToken)
                : engine.FromIso(volume.Float!, isoValue2, mcOptions, cancellationToken);
        }
        else
        {
            mesh = volume.Int16 is not null
                ? engine.FromRange(volume.Int16, range.Low, range.High, mcOptions, cancellationToken)
                : engine.FromRange(volume.Float!, range.Low, range.High, mcOptions, cancellationToken);
        }

        TimeSpan meshTime = clock.Elapsed;
        PackedMaskPipeline.ReleaseVolume(volume, options); // issue 10 item 4: a handed-over volume goes before the mesh stages
        clock.Restart();
        int trianglesMeshed = mesh.TriangleCount;
        (mesh, int shellsRemoved, DecimationResult? decimation) = Process(mesh, options, progress, cancellationToken);
        TimeSpan processTime = clock.Elapsed;
        progress?.Report(new PipelineProgress("report", 0));
        clock.Restart();
        MeshReport report = MeshReport.Compute(mesh);
        progress?.Report(new PipelineProgress("report", 1));
        return new VolumeMeshResult
        {
            Mesh = mesh,
            Report = report,
            Inside = inside,
            Components = segmentation?.Components ?? [],
            KeptLabels = segmentation?.Kept ?? [],
            SegmentTime = segmentTime,
            TrianglesMeshed = trianglesMeshed,
            ShellsRemoved = shellsRemoved,
            Decimation = decimation,
            ProcessTime = processTime,
            Device = engine.Device.Id,
            DeviceNote = deviceNote,
            MeshTime = meshTime,
            ReportTime = clock.Elapsed,
        };
    }

    /// <summary>Meshes a volume, writes the mesh (format from the extension) and, when asked, the JSON report.</summary>
    /// <param name="volume">The volume.</param>
    /// <param name="outputPath">The mesh file; the format from its extension (<c>.stl .3mf .glb .gltf .ply .obj</c>).</param>
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
            PipelineReportJson.Write(result, options.ReportPath);
        }

        progress?.Report(new PipelineProgress("write", 1));
        return result with { WriteTime = clock.Elapsed };
    }

    /// <summary>Writes a mesh in the format its file extension names (<c>.stl .3mf .glb .gltf .ply .obj</c>) through
    /// <see cref="MeshFileWriter"/>, as one part named after the file.</summary>
    /// <param name="mesh">The mesh.</param>
    /// <param name="path">The file.</param>
    /// <param name="options">Encoding and coordinate-system options; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the write; the target is then left as it was.</param>
    /// <exception cref="NotSupportedException">The extension names no supported format.</exception>
    public static void WriteMesh(Mesh mesh, string path, VolumeMeshPipelineOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        options ??= VolumeMeshPipelineOptions.Default;
        RequireSupportedOutput(path);
        string name = Path.GetFileNameWithoutExtension(path) is { Length: > 0 } stem && !string.IsNullOrWhiteSpace(stem) ? stem : "mesh";
        var writeOptions = new MeshWriteOptions { Ascii = options.StlFormat == StlFormat.Ascii, Space = options.Space, ObjNormals = options.ObjNormals };
        MeshFileWriter.Write([new MeshPart(name, mesh)], path, writeOptions, cancellationToken);
    }

    private static void RequireSupportedOutput(string path)
    {
        if (!MeshFileWriter.IsSupported(path))
        {
            string extension = Path.GetExtension(path);
            throw new NotSupportedException(
                $"Output '{path}': the format '{(extension.Length == 0 ? "(no extension)" : extension)}' is not supported; use {string.Join(", ", MeshFileWriter.Extensions)}.");
        }
    }

    /// <summary>Small shells removed → windowed-sinc smoothing → quadric decimation.</summary>
    internal static (Mesh Mesh, int ShellsRemoved, DecimationResult? Decimation) Process(
        Mesh mesh, VolumeMeshPipelineOptions options, IProgress<PipelineProgress>? progress, CancellationToken cancellationToken)
    {
        int shellsRemoved = 0;
        if (options.MinShellVolumeMm3 is double minVolume)
        {
            MeshCleanupResult cleaned = MeshCleanup.Clean(mesh, new MeshCleanupOptions { MinShellVolumeMm3 = minVolume });
            mesh = cleaned.Mesh;
            shellsRemoved = cleaned.RemovedShells;
        }

        if (options.SmoothIterations > 0)
        {
            mesh = MeshSmoother.WindowedSinc(
                mesh, new WindowedSincOptions { Iterations = options.SmoothIterations }, Stage(progress, "smooth"), cancellationToken);
        }

        DecimationResult? decimation = null;
        if (options.DecimateRatio is not null || options.MaxErrorMm is not null)
        {
            var decimationOptions = new DecimationOptions
            {
                // With only an error bound, decimate as far as the bound allows.
                ReductionRatio = options.DecimateRatio ?? (options.MaxErrorMm is not null ? 0.999 : null),
                MaxErrorMm = options.MaxErrorMm,
            };
            decimation = MeshDecimator.Decimate(mesh, decimationOptions, Stage(progress, "decimate"), cancellationToken);
            mesh = decimation.Mesh;
        }

        return (mesh, shellsRemoved, decimation);
    }

    /// <summary>Threshold mask → opening → closing → component selection → hole filling.</summary>
    private static Segmentation Segment(
        PipelineVolume volume, HuRange range, VolumeMeshPipelineOptions options, ComputeDevice device, IProgress<PipelineProgress>? progress, CancellationToken cancellationToken)
    {
        int threads = options.MaxDegreeOfParallelism;
        var description = new System.Text.StringBuilder();
        Mask mask = volume.Int16 is not null
            ? Threshold.Apply(volume.Int16, range, new ThresholdOptions { MaxDegreeOfParallelism = threads }, cancellationToken)
            : Threshold.Apply(volume.Float!, range, new ThresholdOptions { MaxDegreeOfParallelism = threads }, cancellationToken);
        if (options.OpenMm is double open)
        {
            mask = Morphology.Open(mask, open, new MorphologyOptions { MaxDegreeOfParallelism = threads, Progress = Stage(progress, "open") }, cancellationToken);
            description.Append(CultureInfo.InvariantCulture, $", opened {open} mm");
        }

        if (options.CloseMm is double close)
        {
            mask = Morphology.Close(mask, close, new MorphologyOptions { MaxDegreeOfParallelism = threads, Progress = Stage(progress, "close") }, cancellationToken);
            description.Append(CultureInfo.InvariantCulture, $", closed {close} mm");
        }

        IReadOnlyList<ComponentStatistics> components = [];
        IReadOnlyList<int> kept = [];
        if (options.Keep is ComponentSelection keep)
        {
            var labelOptions = new ConnectedComponentsOptions
            {
                Connectivity = options.Connectivity,
                MaxDegreeOfParallelism = threads,
                Progress = Stage(progress, "label"),
            };
            LabelVolume labels = device.IsIlgpu
                ? LabelOnDevice(device, mask, labelOptions, cancellationToken)
                : ConnectedComponents.Label(mask, labelOptions, cancellationToken);
            components = labels.Statistics;
            kept = ComponentSelector.SelectLabels(labels, keep);
            mask = labels.CreateMask(kept);
            description.Append(CultureInfo.InvariantCulture, $", kept {kept.Count} of {components.Count} components ({(int)options.Connectivity}-connected)");
        }

        if (options.FillHoles)
        {
            mask = HoleFilling.Fill(mask, new HoleFillingOptions { MaxDegreeOfParallelism = threads, Progress = Stage(progress, "fill holes") }, cancellationToken);
            description.Append(", holes filled");
        }

        return new Segmentation(mask, components, kept, description.ToString());
    }

    /// <summary>Labels on an ILGPU device; the labels equal the managed path's, label for label.</summary>
    private static LabelVolume LabelOnDevice(ComputeDevice device, Mask mask, ConnectedComponentsOptions options, CancellationToken cancellationToken)
    {
        IlgpuBackend backend = IlgpuBackend.For(device);
        lock (backend.Gate)
        {
            using var binding = backend.Bind();
            return backend.Guard("label components", () =>
                new Compute.Kernels.ComponentsGpuLabeler(backend.Accelerator, backend.LaunchThreads).Label(mask, options, cancellationToken));
        }
    }

    private static StageProgress? Stage(IProgress<PipelineProgress>? progress, string stage) => progress is null ? null : new StageProgress(progress, stage);

    private sealed record Segmentation(Mask Mask, IReadOnlyList<ComponentStatistics> Components, IReadOnlyList<int> Kept, string Description);

    private sealed class StageProgress(IProgress<PipelineProgress> target, string stage) : IProgress<double>
    {
        public void Report(double value) => target.Report(new PipelineProgress(stage, value));
    }
}
