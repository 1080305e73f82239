using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text;
using VolumeMesh.Components;
using VolumeMesh.Compute;
using VolumeMesh.Execution;
using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Planning;
using VolumeMesh.Segmentation;
using VolumeMesh.Volumes;

namespace VolumeMesh.Pipeline;

/// <summary>Planning models: the bone model of <see cref="VolumeMeshPipeline"/> cut to a region of interest, split into
/// one part per bone, with the implant as its own part, and the planning geometry (trajectories, landmarks) as further
/// parts of the same output.</summary>
/// <remarks>
/// <para>Segmentation order: threshold (the range or iso value of <see cref="VolumeMeshPipelineOptions"/>) → crop
/// (<see cref="CropBox"/>) → implant removal (<see cref="ImplantSegmentation"/>) → opening, closing → component selection →
/// hole filling → separation (<see cref="BoneSeparation"/>). Each bone part is meshed on the field inside its own mask
/// (<see cref="MarchingCubes.FromMaskedRange{T}"/>), so parts are closed where the crop cuts them and where they touch each
/// other, and touching parts share their mid-edge vertices without crossing. Shell removal, smoothing and decimation then
/// run per part as in <see cref="VolumeMeshPipeline"/>; smoothing and decimation move vertices, so two touching parts may
/// then overlap by up to the smoothing's or the error bound's distance.</para>
/// <para>Parts are written through <see cref="MeshFileWriter"/>: with STL one file per part (<c>&lt;stem&gt;_&lt;name&gt;.stl</c>),
/// a single part to the path itself.</para>
/// </remarks>
public static class PlanningPipeline
{
    /// <summary>Colour of the trajectory cylinders.</summary>
    public static PartColor TrajectoryColor { get; } = new(214, 48, 49);

    /// <summary>Colour of the landmark spheres.</summary>
    public static PartColor LandmarkColor { get; } = new(41, 98, 255);

    /// <summary>Makes the parts, writing nothing.</summary>
    /// <param name="volume">The CT volume.</param>
    /// <param name="options">The bone model's options (range, morphology, selection, processing); defaults when null.</param>
    /// <param name="planning">The planning options.</param>
    /// <param name="progress">Receives the stage and its fraction done.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The parts and measurements.</returns>
    /// <exception cref="ArgumentException">Options conflict, or a seed lies on no bone.</exception>
    /// <exception cref="InvalidOperationException">An implant is asked for but the volume holds no metal.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static PlanningResult Mesh(
        PipelineVolume volume, VolumeMeshPipelineOptions? options, PlanningOptions planning, IProgress<PipelineProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(planning);
        options ??= VolumeMeshPipelineOptions.Default;
        if (options.Range is not null && options.Iso is not null)
        {
            throw new ArgumentException("Give either a threshold range or an iso value, not both.", nameof(options));
        }

        using ComputeContext context = ComputeContext.Create(options.Device, options.MaxDegreeOfParallelism, progress, cancellationToken);
        return Mesh(volume, options, planning, context);
    }

    /// <summary>Makes the parts on a context (its device runs the threshold, morphology, labelling, hole filling and
    /// int16 meshing; its threads every stage), writing nothing.</summary>
    /// <param name="volume">The CT volume.</param>
    /// <param name="options">The bone model's options; defaults when null (device and threads come from the context).</param>
    /// <param name="planning">The planning options.</param>
    /// <param name="context">The device, threads, progress and cancellation of the run.</param>
    /// <returns>The parts and measurements.</returns>
    /// <exception cref="ArgumentException">Options conflict, or a seed lies on no bone.</exception>
    /// <exception cref="InvalidOperationException">An implant is asked for but the volume holds no metal.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static PlanningResult Mesh(PipelineVolume volume, VolumeMeshPipelineOptions? options, PlanningOptions planning, ComputeContext context)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(planning);
        ArgumentNullException.ThrowIfNull(context);
        options ??= VolumeMeshPipelineOptions.Default;
        if (options.Range is not null && options.Iso is not null)
        {
            throw new ArgumentException("Give either a threshold range or an iso value, not both.", nameof(options));
        }

        return volume.Int16 is not null
            ? Run(volume.Int16, options, planning, context)
            : Run(volume.Float!, options, planning, context);
    }

    /// <summary>Makes the parts and writes them (format from the extension) and, when asked, the JSON report.</summary>
    /// <param name="volume">The CT volume.</param>
    /// <param name="outputPath">The mesh file; several parts go to one file each beside it with STL.</param>
    /// <param name="options">The bone model's options; defaults when null. <see cref="VolumeMeshPipelineOptions.ReportPath"/>
    /// receives the planning report (<see cref="PlanningReportJson"/>).</param>
    /// <param name="planning">The planning options.</param>
    /// <param name="progress">Receives the stage and its fraction done.</param>
    /// <param name="cancellationToken">Cancels the run; no partial file is left.</param>
    /// <returns>The parts, measurements and files written.</returns>
    /// <exception cref="ArgumentException">Options conflict, a seed lies on no bone, or the extension names no format.</exception>
    /// <exception cref="InvalidOperationException">An implant is asked for but the volume holds no metal.</exception>
    /// <exception cref="IOException">A file cannot be written.</exception>
    public static PlanningResult Run(
        PipelineVolume volume, string outputPath, VolumeMeshPipelineOptions? options, PlanningOptions planning, IProgress<PipelineProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        options ??= VolumeMeshPipelineOptions.Default;
        if (!MeshFileWriter.IsSupported(outputPath))
        {
            throw new ArgumentException($"'{outputPath}': the format is chosen by the extension; supported: {string.Join(' ', MeshFileWriter.Extensions)}.", nameof(outputPath));
        }

        PlanningResult result = Mesh(volume, options, planning, progress, cancellationToken);
        var clock = Stopwatch.StartNew();
        progress?.Report(new PipelineProgress("write", 0));
        var parts = new List<MeshPart>(result.Parts.Count);
        foreach (PlanningPart part in result.Parts)
        {
            parts.Add(part.Part);
        }

        IReadOnlyList<string> files = MeshFileWriter.Write(parts, outputPath, new StlWriteOptions { Format = options.StlFormat, Space = options.Space }, cancellationToken);
        result = result with { Files = files };
        if (options.ReportPath is not null)
        {
            PlanningReportJson.Write(result, options.ReportPath);
        }

        progress?.Report(new PipelineProgress("write", 1));
        return result with { WriteTime = clock.Elapsed };
    }

    private static PlanningResult Run<T>(Volume<T> hu, VolumeMeshPipelineOptions options, PlanningOptions planning, ComputeContext context)
        where T : unmanaged, INumber<T>
    {
        var clock = Stopwatch.StartNew();
        IProgress<PipelineProgress>? progress = context.Progress;
        CancellationToken cancellationToken = context.CancellationToken;
        IComputeBackend backend = context.Backend;
        int threads = context.MaxDegreeOfParallelism;
        options = options with { MaxDegreeOfParallelism = threads };
        HuRange range = options.Iso is double iso ? new HuRange(iso, double.PositiveInfinity) : options.Range ?? ThresholdPresets.Bone;
        var inside = new StringBuilder(options.Iso is double isoText ? string.Create(CultureInfo.InvariantCulture, $"iso ≥ {isoText}") : $"threshold {range}");
        progress?.Report(new PipelineProgress("segment", 0));
        Mask mask = backend.Threshold.Apply(hu, range, context);
        if (planning.Crop is CropBox crop)
        {
            mask = crop.Apply(mask, cancellationToken);
            inside.Append(CultureInfo.InvariantCulture, $", cropped to {crop}");
        }

        ImplantSegmentationResult? implant = null;
        if (planning.Implant is ImplantOptions implantOptions)
        {
            implant = ImplantSegmentation.Segment(hu, mask, implantOptions with { MaxDegreeOfParallelism = threads }, cancellationToken);
            mask = implant.Bone;
            if (planning.Crop is CropBox implantCrop)
            {
                implant = implant with { Implant = implantCrop.Apply(implant.Implant, cancellationToken) };
            }

            inside.Append(CultureInfo.InvariantCulture, $", implant removed with a {implantOptions.MarginMm} mm margin");
        }

        if (options.OpenMm is double open)
        {
            mask = backend.Morphology.Apply(mask, MorphologyOperation.Open, open, context);
            inside.Append(CultureInfo.InvariantCulture, $", opened {open} mm");
        }

        if (options.CloseMm is double close)
        {
            mask = backend.Morphology.Apply(mask, MorphologyOperation.Close, close, context);
            inside.Append(CultureInfo.InvariantCulture, $", closed {close} mm");
        }

        if (options.Keep is ComponentSelection keep)
        {
            LabelVolume labels = backend.Components.Label(mask, options.Connectivity, context);
            IReadOnlyList<int> kept = ComponentSelector.SelectLabels(labels, keep);
            mask = labels.CreateMask(kept, threads);
            inside.Append(CultureInfo.InvariantCulture, $", kept {kept.Count} of {labels.ComponentCount} components");
        }

        if (options.FillHoles)
        {
            mask = backend.HoleFilling.Fill(mask, null, context);
            inside.Append(", holes filled");
        }

        var boneMasks = new List<Mask>();
        if (planning.SeparationSeedsLps.Count > 0)
        {
            LabelVolume regions = BoneSeparation.Separate(mask, planning.SeparationSeedsLps, planning.Separation with { MaxDegreeOfParallelism = threads }, cancellationToken);
            for (int label = 1; label <= regions.ComponentCount; label++)
            {
                boneMasks.Add(regions.CreateMask([label]));
            }

            inside.Append(CultureInfo.InvariantCulture, $", separated into {regions.ComponentCount} bones (seeded watershed on the distance transform)");
        }
        else
        {
            boneMasks.Add(mask);
        }

        TimeSpan segmentTime = clock.Elapsed;
        clock.Restart();
        var parts = new List<PlanningPart>();
        Volume<T> boneField = implant is null ? hu : MarginInRange(hu, implant.Removed, range);
        for (int b = 0; b < boneMasks.Count; b++)
        {
            progress?.Report(new PipelineProgress("mesh", (double)b / boneMasks.Count));
            Mesh mesh = MaskedMesh(backend, boneField, boneMasks[b], range.Low, range.High, context);
            (mesh, _, _) = VolumeMeshPipeline.Process(mesh, options, progress, cancellationToken);
            string name = boneMasks.Count == 1 ? "bone" : string.Create(CultureInfo.InvariantCulture, $"bone-{b + 1}");
            parts.Add(Part(new MeshPart(name, mesh, BoneColor(b)), "bone"));
        }

        if (implant is not null)
        {
            Mesh mesh = MaskedMesh(backend, hu, implant.Implant, implant.SurfaceHu, double.PositiveInfinity, context);
            (mesh, _, _) = VolumeMeshPipeline.Process(mesh, options with { SmoothIterations = 0 }, null, cancellationToken);
            parts.Add(Part(new MeshPart("implant", mesh, PartColor.Metal), "implant"));
        }

        for (int t = 0; t < planning.Trajectories.Count; t++)
        {
            string name = planning.Trajectories.Count == 1 ? "trajectory" : string.Create(CultureInfo.InvariantCulture, $"trajectory-{t + 1}");
            parts.Add(Part(new MeshPart(name, planning.Trajectories[t].CreateMesh(), TrajectoryColor), "trajectory"));
        }

        foreach (Landmark landmark in planning.Landmarks)
        {
            parts.Add(Part(new MeshPart($"landmark-{landmark.Name}", landmark.CreateMesh(), LandmarkColor), "landmark"));
        }

        progress?.Report(new PipelineProgress("mesh", 1));
        return new PlanningResult
        {
            Parts = parts,
            Inside = inside.ToString(),
            Planning = planning,
            Implant = implant,
            SegmentTime = segmentTime,
            MeshTime = clock.Elapsed,
        };
    }

    /// <summary>A copy of the volume with the margin's voxels set inside the range, so the bone surface where the margin
    /// cut it lies midway between the kept and the removed voxels (a flat cut, as at the crop) rather than on the field
    /// of the removed voxels, which could bring it up to a voxel closer to the metal.</summary>
    private static Volume<T> MarginInRange<T>(Volume<T> hu, Mask removed, HuRange range)
        where T : unmanaged, INumber<T>
    {
        var copy = new Volume<T>(hu.Geometry, (T[])hu.Voxels.Clone());
        T inside = T.CreateSaturating(Math.Ceiling(range.Low));
        T[] voxels = copy.Voxels;
        byte[] cut = removed.Voxels;
        for (int v = 0; v < voxels.Length; v++)
        {
            if (cut[v] != 0)
            {
                voxels[v] = inside;
            }
        }

        return copy;
    }

    private static PlanningPart Part(MeshPart part, string kind) => new(part, kind, MeshReport.Compute(part.Mesh));

    /// <summary>Bone white for the first bone, then lighter and darker tints so neighbouring bones tell apart.</summary>
    private static PartColor BoneColor(int index)
    {
        ReadOnlySpan<PartColor> palette = [PartColor.Bone, new(222, 184, 135), new(250, 235, 200), new(205, 170, 110), new(236, 200, 160)];
        return palette[index % palette.Length];
    }

    /// <summary>Meshes a selected mask on the backend's device for int16 volumes, else on the managed CPU (the device packs int16 values only).</summary>
    private static Mesh MaskedMesh<T>(IComputeBackend backend, Volume<T> field, Mask mask, double low, double high, ComputeContext context)
        where T : unmanaged, INumber<T> =>
        typeof(T) == typeof(short)
            ? backend.MaskedMeshing.FromMaskedRange(field, mask, low, high, context)
            : ManagedStages.Instance.FromMaskedRange(field, mask, low, high, context);
}
