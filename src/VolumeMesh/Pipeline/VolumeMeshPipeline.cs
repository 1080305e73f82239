using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using VolumeMesh.Components;
using VolumeMesh.Compute;
using VolumeMesh.Execution;
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
    internal const string PostProcessingReason = "mesh post-processing (cleaning, smoothing, decimation, the report) runs on the managed CPU; it has no device implementation";
    private const string SelectionReason = "choosing the kept labels from the component statistics and building their mask runs on the host";

    /// <summary>Meshes a volume and computes the report, writing nothing, on a context built from the options'
    /// <see cref="VolumeMeshPipelineOptions.Device"/> and <see cref="VolumeMeshPipelineOptions.MaxDegreeOfParallelism"/>.</summary>
    /// <param name="volume">The volume.</param>
    /// <param name="options">Options; <see cref="VolumeMeshPipelineOptions.Default"/> when null.</param>
    /// <param name="progress">Receives the stage and its fraction done.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The mesh and its report.</returns>
    /// <exception cref="ArgumentException">Both <see cref="VolumeMeshPipelineOptions.Range"/> and <see cref="VolumeMeshPipelineOptions.Iso"/> are set, or the iso value is not finite.</exception>
    /// <exception cref="ComputeDeviceException">An explicitly requested device is missing or failed.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public static VolumeMeshResult Mesh(
        PipelineVolume volume, VolumeMeshPipelineOptions? options = null, IProgress<PipelineProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        options ??= VolumeMeshPipelineOptions.Default;
        Validate(options);
        using ComputeContext context = ComputeContext.Create(options.Device, options.MaxDegreeOfParallelism, progress, cancellationToken);
        return Mesh(volume, options, context);
    }

    /// <summary>Meshes a volume and computes the report, writing nothing, with every stage on the context's backend and threads.</summary>
    /// <param name="volume">The volume.</param>
    /// <param name="options">Options; <see cref="VolumeMeshPipelineOptions.Default"/> when null. Its <see cref="VolumeMeshPipelineOptions.Device"/>
    /// and <see cref="VolumeMeshPipelineOptions.MaxDegreeOfParallelism"/> are ignored: the context's apply.</param>
    /// <param name="context">The device, threads, buffers, progress and cancellation of the run.</param>
    /// <returns>The mesh, its report and, per stage, the device that ran it and its time.</returns>
    /// <exception cref="ArgumentException">Both <see cref="VolumeMeshPipelineOptions.Range"/> and <see cref="VolumeMeshPipelineOptions.Iso"/> are set, or the iso value is not finite.</exception>
    /// <exception cref="ComputeDeviceException">The device failed.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public static VolumeMeshResult Mesh(PipelineVolume volume, VolumeMeshPipelineOptions? options, ComputeContext context)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(context);
        options ??= VolumeMeshPipelineOptions.Default;
        Validate(options);
        IProgress<PipelineProgress>? progress = context.Progress;
        var stages = new StageRecorder(context);
        HuRange range = options.Iso is double isoLevel ? new HuRange(isoLevel, double.PositiveInfinity) : options.Range ?? ThresholdPresets.Bone;
        string inside = options.Iso is double iso ? string.Create(CultureInfo.InvariantCulture, $"iso ≥ {iso}") : $"threshold {range}";

        // The memory-lean managed path (issue 10 item 4): a selection and/or hole filling on the managed CPU runs on runs and
        // packed bits, and a handed-over volume is released as soon as the mesh exists.
        if (PackedMaskPipeline.TryMesh(volume, range, inside, options, context, stages) is VolumeMeshResult packed)
        {
            return packed;
        }

        // Segmentation and meshing run in a method of their own: unoptimised code keeps a method's locals alive to its end, so
        // the masks would outlive the release below (into smoothing and decimation) if they were locals here.
        // The mesh comes out through a parameter so that the small record does not keep it alive after smoothing replaces it.
        SegmentedMesh segmented = SegmentAndMesh(volume, range, inside, options, context, stages, out Mesh mesh);
        PackedMaskPipeline.ReleaseVolume(volume, options); // a handed-over volume goes before the mesh stages
        var clock = Stopwatch.StartNew();
        int trianglesMeshed = mesh.TriangleCount;
        (mesh, int shellsRemoved, DecimationResult? decimation) = Process(mesh, options, context, stages);
        TimeSpan processTime = clock.Elapsed;
        clock.Restart(); // the stage reports its own start (StageRecorder)
        MeshReport report = stages.Run("report", ComputeDevices.ManagedCpu, PostProcessingReason, () => MeshReport.Compute(mesh));
        progress?.Report(new PipelineProgress("report", 1));
        return new VolumeMeshResult
        {
            Mesh = mesh,
            Report = report,
            Inside = segmented.Inside,
            Components = segmented.Components,
            KeptLabels = segmented.Kept,
            SegmentTime = segmented.SegmentTime,
            TrianglesMeshed = trianglesMeshed,
            ShellsRemoved = shellsRemoved,
            Decimation = decimation,
            ProcessTime = processTime,
            Device = segmented.MeshDevice,
            DeviceNote = segmented.DeviceNote,
            MeshTime = segmented.MeshTime,
            ReportTime = clock.Elapsed,
            Stages = stages.Stages,
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
        Validate(options);
        using ComputeContext context = ComputeContext.Create(options.Device, options.MaxDegreeOfParallelism, progress, cancellationToken);
        return Run(volume, outputPath, options, context);
    }

    /// <summary>Meshes a volume on a context, writes the mesh (format from the extension) and, when asked, the JSON report.</summary>
    /// <param name="volume">The volume.</param>
    /// <param name="outputPath">The mesh file; the format from its extension (<c>.stl .3mf .glb .gltf .ply .obj</c>).</param>
    /// <param name="options">Options; <see cref="VolumeMeshPipelineOptions.Default"/> when null (device and threads come from the context).</param>
    /// <param name="context">The device, threads, buffers, progress and cancellation of the run.</param>
    /// <returns>The mesh, its report and timings.</returns>
    /// <exception cref="NotSupportedException">The output extension names no supported format.</exception>
    /// <exception cref="IOException">A file cannot be written.</exception>
    public static VolumeMeshResult Run(PipelineVolume volume, string outputPath, VolumeMeshPipelineOptions? options, ComputeContext context)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        ArgumentNullException.ThrowIfNull(context);
        options ??= VolumeMeshPipelineOptions.Default;
        RequireSupportedOutput(outputPath);
        IProgress<PipelineProgress>? progress = context.Progress;
        CancellationToken cancellationToken = context.CancellationToken;
        VolumeMeshResult result = Mesh(volume, options, context);
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

    /// <summary>Small shells removed → windowed-sinc smoothing → quadric decimation, on the managed CPU with the options' threads.</summary>
    internal static (Mesh Mesh, int ShellsRemoved, DecimationResult? Decimation) Process(
        Mesh mesh, VolumeMeshPipelineOptions options, IProgress<PipelineProgress>? progress, CancellationToken cancellationToken)
    {
        using var context = new ComputeContext(ManagedComputeBackend.Instance, options.MaxDegreeOfParallelism, progress, cancellationToken);
        return Process(mesh, options, context, new StageRecorder(context));
    }

    internal static (Mesh Mesh, int ShellsRemoved, DecimationResult? Decimation) Process(
        Mesh mesh, VolumeMeshPipelineOptions options, ComputeContext context, StageRecorder stages)
    {
        int threads = context.MaxDegreeOfParallelism;
        ComputeDevice cpu = ComputeDevices.ManagedCpu;
        int shellsRemoved = 0;
        if (options.MinShellVolumeMm3 is double minVolume)
        {
            MeshCleanupResult cleaned = stages.Run("clean", cpu, PostProcessingReason, () => MeshCleanup.Clean(mesh, new MeshCleanupOptions { MinShellVolumeMm3 = minVolume }));
            mesh = cleaned.Mesh;
            shellsRemoved = cleaned.RemovedShells;
        }

        if (options.SmoothIterations > 0)
        {
            Mesh input = mesh;
            mesh = stages.Run("smooth", cpu, PostProcessingReason, () => MeshSmoother.WindowedSinc(
                input, new WindowedSincOptions { Iterations = options.SmoothIterations, MaxDegreeOfParallelism = threads }, context.StageProgress("smooth"), context.CancellationToken));
        }

        DecimationResult? decimation = null;
        if (options.DecimateRatio is not null || options.MaxErrorMm is not null)
        {
            var decimationOptions = new DecimationOptions
            {
                // With only an error bound, decimate as far as the bound allows.
                ReductionRatio = options.DecimateRatio ?? (options.MaxErrorMm is not null ? 0.999 : null),
                MaxErrorMm = options.MaxErrorMm,
                MaxDegreeOfParallelism = threads,
            };
            Mesh input = mesh;
            decimation = stages.Run("decimate", cpu, PostProcessingReason, () => MeshDecimator.Decimate(input, decimationOptions, context.StageProgress("decimate"), context.CancellationToken));
            mesh = decimation.Mesh;
        }

        return (mesh, shellsRemoved, decimation);
    }

    /// <summary>Threshold → … → marching cubes, on the device-resident run when the backend has one, else stage by stage.
    /// A method of its own so that no frame still running afterwards holds the volume's masks or labels: unoptimised (tier-0)
    /// code keeps every local and temporary alive to the end of its method.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static SegmentedMesh SegmentAndMesh(
        PipelineVolume volume, HuRange range, string inside, VolumeMeshPipelineOptions options, ComputeContext context, StageRecorder stages, out Mesh mesh)
    {
        IComputeBackend backend = context.Backend;
        CancellationToken cancellationToken = context.CancellationToken;
        MarchingCubesOptions mcOptions = context.MarchingCubesOptions("mesh");
        var clock = Stopwatch.StartNew();
        Segmentation? segmentation = null;
        string? deviceNote = context.DeviceNote;
        string meshDevice = backend.MarchingCubes.Device.Id;
        ResidentMeshingResult? resident = null;
        if (options.NeedsMask && volume.Int16 is not null && backend.Resident is IResidentMeshingStage residentStage)
        {
            // On a device: the volume goes up once and every stage runs there; only the mesh (and the table of the
            // component statistics, summed on the device) come back.
            var request = new ResidentMeshingRequest(range, options.OpenMm, options.CloseMm, options.Keep, options.Connectivity, options.FillHoles);
            resident = residentStage.TryRun(volume.Int16, request, context);
            if (resident is null)
            {
                deviceNote = $"{deviceNote}{(deviceNote is null ? string.Empty : " ")}The volume does not fit {residentStage.Device.Id} for the device-resident run; the stages ran one by one on it, each copying its input and result.".Trim();
            }
        }

        if (resident is not null)
        {
            stages.Add(resident.Stages);
            inside += Describe(options, resident.Components.Count, resident.Kept.Count);
            segmentation = new Segmentation(null, resident.Components, resident.Kept, string.Empty);
        }
        else if (options.NeedsMask)
        {
            segmentation = Segment(volume, range, options, context, stages);
            inside += segmentation.Description;
        }

        TimeSpan segmentTime = clock.Elapsed;
        TimeSpan? residentMeshTime = null;
        clock.Restart();
        if (resident is not null)
        {
            mesh = resident.Mesh;
            meshDevice = backend.Resident!.Device.Id;
            foreach (StageReport stage in resident.Stages)
            {
                residentMeshTime = stage.Stage == "mesh" ? stage.Time : residentMeshTime;
            }

            segmentTime -= residentMeshTime ?? TimeSpan.Zero;
        }
        else if (segmentation is not null)
        {
            // A device meshes a selected mask of int16 values; a float volume's runs managed, and the stage says why.
            string? why = volume.Int16 is null ? backend.ManagedReason("masked mesh float") : null;
            IMaskedMeshingStage masked = why is null ? backend.MaskedMeshing : ManagedStages.Instance;
            Mask selected = segmentation.Mask!;
            mesh = stages.Run("mesh", masked.Device, why, () => volume.Int16 is not null
                ? masked.FromMaskedRange(volume.Int16, selected, range.Low, range.High, context)
                : masked.FromMaskedRange(volume.Float!, selected, range.Low, range.High, context));
            meshDevice = masked.Device.Id;
            if (why is not null)
            {
                deviceNote = $"{deviceNote}{(deviceNote is null ? string.Empty : " ")}mesh: {why}.".Trim();
            }
        }
        else
        {
            IMarchingCubesEngine engine = backend.MarchingCubes;
            mesh = stages.Run("mesh", engine.Device, null, () => options.Iso is double isoValue
                ? (volume.Int16 is not null ? engine.FromIso(volume.Int16, isoValue, mcOptions, cancellationToken) : engine.FromIso(volume.Float!, isoValue, mcOptions, cancellationToken))
                : (volume.Int16 is not null ? engine.FromRange(volume.Int16, range.Low, range.High, mcOptions, cancellationToken) : engine.FromRange(volume.Float!, range.Low, range.High, mcOptions, cancellationToken)));
        }

        TimeSpan meshTime = residentMeshTime ?? clock.Elapsed;
        return new SegmentedMesh(segmentation?.Components ?? [], segmentation?.Kept ?? [], inside, deviceNote, meshDevice, segmentTime, meshTime);
    }

    /// <summary>Threshold mask → opening → closing → component selection → hole filling, each on the context's backend.</summary>
    private static Segmentation Segment(PipelineVolume volume, HuRange range, VolumeMeshPipelineOptions options, ComputeContext context, StageRecorder stages)
    {
        IComputeBackend backend = context.Backend;
        IThresholdStage threshold = backend.Threshold;
        Mask mask = stages.Run("threshold", threshold.Device, backend.ManagedReason("threshold"), () => volume.Int16 is not null
            ? threshold.Apply(volume.Int16, range, context)
            : threshold.Apply(volume.Float!, range, context));
        IMorphologyStage morphology = backend.Morphology;
        if (options.OpenMm is double open)
        {
            Mask input = mask;
            mask = stages.Run("open", morphology.Device, backend.ManagedReason("open"), () => morphology.Apply(input, MorphologyOperation.Open, open, context));
        }

        if (options.CloseMm is double close)
        {
            Mask input = mask;
            mask = stages.Run("close", morphology.Device, backend.ManagedReason("close"), () => morphology.Apply(input, MorphologyOperation.Close, close, context));
        }

        IReadOnlyList<ComponentStatistics> components = [];
        IReadOnlyList<int> kept = [];
        if (options.Keep is ComponentSelection keep)
        {
            IComponentsStage labelling = backend.Components;
            Mask input = mask;
            LabelVolume labels = stages.Run("label", labelling.Device, backend.ManagedReason("label"), () => labelling.Label(input, options.Connectivity, context));
            SelectedComponents selected = stages.Run("select", ComputeDevices.ManagedCpu, SelectionReason, () => ManagedStages.SelectFrom(labels, keep, context));
            components = selected.Components;
            kept = selected.Kept;
            mask = selected.Mask;
        }

        if (options.FillHoles)
        {
            IHoleFillingStage filling = backend.HoleFilling;
            Mask input = mask;
            mask = stages.Run("fill holes", filling.Device, backend.ManagedReason("fill holes"), () => filling.Fill(input, null, context));
        }

        return new Segmentation(mask, components, kept, Describe(options, components.Count, kept.Count));
    }

    /// <summary>What the segmentation did, as the result's <see cref="VolumeMeshResult.Inside"/> continues it.</summary>
    private static string Describe(VolumeMeshPipelineOptions options, int components, int kept)
    {
        var description = new System.Text.StringBuilder();
        if (options.OpenMm is double open)
        {
            description.Append(CultureInfo.InvariantCulture, $", opened {open} mm");
        }

        if (options.CloseMm is double close)
        {
            description.Append(CultureInfo.InvariantCulture, $", closed {close} mm");
        }

        if (options.Keep is not null)
        {
            description.Append(CultureInfo.InvariantCulture, $", kept {kept} of {components} components ({(int)options.Connectivity}-connected)");
        }

        if (options.FillHoles)
        {
            description.Append(", holes filled");
        }

        return description.ToString();
    }

    private static void Validate(VolumeMeshPipelineOptions options)
    {
        if (options.Range is not null && options.Iso is not null)
        {
            throw new ArgumentException("Give either a threshold range or an iso value, not both.", nameof(options));
        }

        if (options.Iso is double isoValue && !double.IsFinite(isoValue))
        {
            throw new ArgumentException($"The iso value {isoValue} is not finite.", nameof(options));
        }
    }

    private sealed record Segmentation(Mask? Mask, IReadOnlyList<ComponentStatistics> Components, IReadOnlyList<int> Kept, string Description);

    /// <summary>What <see cref="SegmentAndMesh"/> hands back besides the mesh: the small results, never a mask.</summary>
    private sealed record SegmentedMesh(
        IReadOnlyList<ComponentStatistics> Components, IReadOnlyList<int> Kept, string Inside, string? DeviceNote, string MeshDevice, TimeSpan SegmentTime, TimeSpan MeshTime);
}
