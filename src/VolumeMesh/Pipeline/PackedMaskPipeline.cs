using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using VolumeMesh.Components;
using VolumeMesh.Compute;
using VolumeMesh.Meshing;
using VolumeMesh.Segmentation;
using VolumeMesh.Volumes;

namespace VolumeMesh.Pipeline;

/// <summary>
/// The memory-lean form of <see cref="VolumeMeshPipeline.Mesh"/> for a selection and/or hole filling on the managed CPU
/// (issue 10, item 4): components are labelled straight from the volume into runs (no byte mask, no int32 label per voxel),
/// the kept components become a packed bit mask, holes are filled on the bits, and marching cubes reads the bits. The mesh,
/// component statistics and kept labels equal the byte-mask path's.
/// </summary>
/// <remarks>Peak working memory beside the volume: the runs (three integers per run of foreground), one bit per voxel for the
/// mask and one for marching cubes' classification, and the mesh. With <see cref="VolumeMeshPipelineOptions.ReleaseVolume"/> the
/// volume is dropped, and collected, as soon as the mesh exists.</remarks>
internal static class PackedMaskPipeline
{
    /// <summary>Whether the lean path runs these options: a selection or hole filling, no morphology, the managed CPU.</summary>
    public static bool Applies(VolumeMeshPipelineOptions options, ComputeDevice device) =>
        options.NeedsMask && options.OpenMm is null && options.CloseMm is null && !device.IsIlgpu;

    /// <summary>Runs the whole job on the lean path; null when it does not apply (the caller then runs the byte-mask path).</summary>
    public static VolumeMeshResult? TryMesh(
        PipelineVolume volume,
        HuRange range,
        string inside,
        VolumeMeshPipelineOptions options,
        ComputeDevice device,
        string? deviceNote,
        MarchingCubesOptions mcOptions,
        IProgress<PipelineProgress>? progress,
        CancellationToken cancellationToken)
    {
        if (!Applies(options, device))
        {
            return null;
        }

        var clock = Stopwatch.StartNew();
        (Mesh mesh, IReadOnlyList<ComponentStatistics> components, IReadOnlyList<int> kept, string description, TimeSpan segmentTime) =
            SegmentAndMesh(volume, range, options, mcOptions, progress, cancellationToken);
        TimeSpan meshTime = clock.Elapsed - segmentTime;
        ReleaseVolume(volume, options);
        clock.Restart();
        int trianglesMeshed = mesh.TriangleCount;
        (mesh, int shellsRemoved, Processing.DecimationResult? decimation) = VolumeMeshPipeline.Process(mesh, options, progress, cancellationToken);
        TimeSpan processTime = clock.Elapsed;
        progress?.Report(new PipelineProgress("report", 0));
        clock.Restart();
        MeshReport report = MeshReport.Compute(mesh);
        progress?.Report(new PipelineProgress("report", 1));
        return new VolumeMeshResult
        {
            Mesh = mesh,
            Report = report,
            Inside = inside + description,
            Components = components,
            KeptLabels = kept,
            SegmentTime = segmentTime,
            TrianglesMeshed = trianglesMeshed,
            ShellsRemoved = shellsRemoved,
            Decimation = decimation,
            ProcessTime = processTime,
            Device = device.Id,
            DeviceNote = deviceNote,
            MeshTime = meshTime,
            ReportTime = clock.Elapsed,
        };
    }

    /// <summary>With <see cref="VolumeMeshPipelineOptions.ReleaseVolume"/>, empties the input and collects the voxels now, before
    /// the mesh stages allocate; otherwise does nothing.</summary>
    public static void ReleaseVolume(PipelineVolume volume, VolumeMeshPipelineOptions options)
    {
        if (!options.ReleaseVolume || volume.IsReleased)
        {
            return;
        }

        volume.Release();

        // One induced blocking collection: the volume (hundreds of MB on the large object heap) and the masks are garbage now,
        // and waiting for the next natural gen-2 collection would let decimation's allocations stack on top of them.
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    /// <summary>Segments and meshes. A method of its own so that no frame still running afterwards holds the volume or the
    /// mask: unoptimised (tier-0) code keeps every local and temporary alive to the end of its method.</summary>
    private static (Mesh Mesh, IReadOnlyList<ComponentStatistics> Components, IReadOnlyList<int> Kept, string Description, TimeSpan SegmentTime) SegmentAndMesh(
        PipelineVolume volume, HuRange range, VolumeMeshPipelineOptions options, MarchingCubesOptions mcOptions, IProgress<PipelineProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        (BitMask mask, IReadOnlyList<ComponentStatistics> components, IReadOnlyList<int> kept, string description) =
            Segment(volume, range, options, progress, cancellationToken);
        TimeSpan segmentTime = clock.Elapsed;
        Mesh mesh = volume.Int16 is not null
            ? PackedMaskMarchingCubes.FromMaskedRange(volume.Int16, mask, range.Low, range.High, mcOptions, cancellationToken)
            : PackedMaskMarchingCubes.FromMaskedRange(volume.Float!, mask, range.Low, range.High, mcOptions, cancellationToken);
        return (mesh, components, kept, description, segmentTime);
    }

    /// <summary>Threshold → selection on runs → packed kept mask → hole filling on the bits.</summary>
    internal static (BitMask Mask, IReadOnlyList<ComponentStatistics> Components, IReadOnlyList<int> Kept, string Description) Segment(
        PipelineVolume volume, HuRange range, VolumeMeshPipelineOptions options, IProgress<PipelineProgress>? progress, CancellationToken cancellationToken)
    {
        int threads = options.MaxDegreeOfParallelism;
        var description = new System.Text.StringBuilder();
        IReadOnlyList<ComponentStatistics> components = [];
        IReadOnlyList<int> kept = [];
        BitMask mask;
        if (options.Keep is ComponentSelection keep)
        {
            var labelOptions = new ConnectedComponentsOptions
            {
                Connectivity = options.Connectivity,
                MaxDegreeOfParallelism = threads,
                Progress = Stage(progress, "label"),
            };
            RunComponents runs = volume.Int16 is not null
                ? RunComponents.FromThreshold(volume.Int16, range, labelOptions, cancellationToken)
                : RunComponents.FromThreshold(volume.Float!, range, labelOptions, cancellationToken);
            components = runs.Statistics;
            kept = runs.Select(keep);
            mask = runs.CreateBitMask(kept, threads, cancellationToken);
            description.Append(CultureInfo.InvariantCulture, $", kept {kept.Count} of {components.Count} components ({(int)options.Connectivity}-connected)");
        }
        else
        {
            mask = volume.Int16 is not null
                ? PackedThreshold.Apply(volume.Int16, range, threads, cancellationToken)
                : PackedThreshold.Apply(volume.Float!, range, threads, cancellationToken);
        }

        if (options.FillHoles)
        {
            PackedHoleFilling.FillInPlace(mask, new HoleFillingOptions { MaxDegreeOfParallelism = threads, Progress = Stage(progress, "fill holes") }, cancellationToken);
            description.Append(", holes filled");
        }

        return (mask, components, kept, description.ToString());
    }

    private static IProgress<double>? Stage(IProgress<PipelineProgress>? progress, string stage) =>
        progress is null ? null : new Progress(progress, stage);

    private sealed class Progress(IProgress<PipelineProgress> target, string stage) : IProgress<double>
    {
        public void Report(double value) => target.Report(new PipelineProgress(stage, value));
    }
}
