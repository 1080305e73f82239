using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using VolumeMesh.Components;
using VolumeMesh.Compute;
using VolumeMesh.Execution;
using VolumeMesh.Meshing;
using VolumeMesh.Segmentation;
using VolumeMesh.Volumes;

namespace VolumeMesh.Pipeline;

/// <summary>
/// The memory-lean form of <see cref="VolumeMeshPipeline.Mesh(PipelineVolume, VolumeMeshPipelineOptions?, ComputeContext)"/> for a selection and/or hole filling on the managed CPU
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
    /// <param name="options">The run's options.</param>
    /// <param name="context">The run's context.</param>
    /// <returns>True when <see cref="TryMesh"/> runs the job.</returns>
    public static bool Applies(VolumeMeshPipelineOptions options, ComputeContext context) =>
        options.NeedsMask && options.OpenMm is null && options.CloseMm is null && !context.Device.IsIlgpu;

    /// <summary>Runs the whole job on the lean path; null when it does not apply (the caller then runs the byte-mask path).</summary>
    /// <param name="volume">The volume; released once the mesh exists when <see cref="VolumeMeshPipelineOptions.ReleaseVolume"/> is set.</param>
    /// <param name="range">The inside range.</param>
    /// <param name="inside">The description of the inside so far.</param>
    /// <param name="options">The run's options.</param>
    /// <param name="context">The run's context (threads, progress, cancellation).</param>
    /// <param name="stages">Records each stage's device and time.</param>
    /// <returns>The result, or null.</returns>
    public static VolumeMeshResult? TryMesh(
        PipelineVolume volume, HuRange range, string inside, VolumeMeshPipelineOptions options, ComputeContext context, StageRecorder stages)
    {
        if (!Applies(options, context))
        {
            return null;
        }

        var clock = Stopwatch.StartNew();

        // Segmentation and meshing run in a method of their own: unoptimised code keeps a method's locals alive to its end,
        // so the masks would outlive the release below if they were locals here.
        (Mesh mesh, IReadOnlyList<ComponentStatistics> components, IReadOnlyList<int> kept, string description, TimeSpan segmentTime) =
            SegmentAndMesh(volume, range, options, context, stages);
        TimeSpan meshTime = clock.Elapsed - segmentTime;
        ReleaseVolume(volume, options);
        clock.Restart();
        int trianglesMeshed = mesh.TriangleCount;
        (mesh, int shellsRemoved, Processing.DecimationResult? decimation) = VolumeMeshPipeline.Process(mesh, options, context, stages);
        TimeSpan processTime = clock.Elapsed;
        clock.Restart(); // the stage reports its own start (StageRecorder)
        Mesh final = mesh;
        MeshReport report = stages.Run("report", ComputeDevices.ManagedCpu, VolumeMeshPipeline.PostProcessingReason, () => MeshReport.Compute(final));
        context.Progress?.Report(new PipelineProgress("report", 1));
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
            Device = context.Device.Id,
            DeviceNote = context.DeviceNote,
            MeshTime = meshTime,
            ReportTime = clock.Elapsed,
            Stages = stages.Stages,
        };
    }

    /// <summary>Released volumes of at least this many bytes of voxels are handed back to the system (see <see cref="ReleaseVolume"/>).</summary>
    private const long ReturnedVolumeBytes = 256L << 20;

    /// <summary>With <see cref="VolumeMeshPipelineOptions.ReleaseVolume"/>, empties the input and collects the voxels now, before
    /// the mesh stages allocate; otherwise does nothing.</summary>
    public static void ReleaseVolume(PipelineVolume volume, VolumeMeshPipelineOptions options)
    {
        if (!options.ReleaseVolume || volume.IsReleased)
        {
            return;
        }

        long voxelBytes = volume.Int16 is { } int16 ? int16.Geometry.VoxelCount * sizeof(short)
            : volume.Float is { } float32 ? float32.Geometry.VoxelCount * sizeof(float) : 0;
        volume.Release();

        // One induced blocking collection: the volume and the masks are garbage now, and waiting for the next natural gen-2
        // collection would let decimation's allocations stack on top of them. A large volume's memory goes back to the system
        // (the aggressive mode), so that the peak stays that of marching cubes; a smaller one's is kept for decimation to
        // reuse, which would otherwise fault fresh pages in again (the 73 MB Philips series: 30,000 fewer page faults, 0.1 s
        // less system time, the same peak; the 524 MB phantom kept that way peaked at 745 MB instead of 675 MB).
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GCCollectionMode mode = voxelBytes >= ReturnedVolumeBytes ? GCCollectionMode.Aggressive : GCCollectionMode.Forced;
        GC.Collect(GC.MaxGeneration, mode, blocking: true, compacting: true);
    }

    /// <summary>Segments and meshes. A method of its own so that no frame still running afterwards holds the volume or the
    /// mask: unoptimised (tier-0) code keeps every local and temporary alive to the end of its method.</summary>
    private static (Mesh Mesh, IReadOnlyList<ComponentStatistics> Components, IReadOnlyList<int> Kept, string Description, TimeSpan SegmentTime) SegmentAndMesh(
        PipelineVolume volume, HuRange range, VolumeMeshPipelineOptions options, ComputeContext context, StageRecorder stages)
    {
        var clock = Stopwatch.StartNew();
        (BitMask mask, IReadOnlyList<ComponentStatistics> components, IReadOnlyList<int> kept, string description) =
            Segment(volume, range, options, context, stages);
        TimeSpan segmentTime = clock.Elapsed;
        MarchingCubesOptions mcOptions = context.MarchingCubesOptions("mesh");
        Mesh mesh = stages.Run("mesh", context.Device, null, () => volume.Int16 is not null
            ? PackedMaskMarchingCubes.FromMaskedRange(volume.Int16, mask, range.Low, range.High, mcOptions, context.CancellationToken)
            : PackedMaskMarchingCubes.FromMaskedRange(volume.Float!, mask, range.Low, range.High, mcOptions, context.CancellationToken));
        return (mesh, components, kept, description, segmentTime);
    }

    internal static (BitMask Mask, IReadOnlyList<ComponentStatistics> Components, IReadOnlyList<int> Kept, string Description) Segment(
        PipelineVolume volume, HuRange range, VolumeMeshPipelineOptions options, ComputeContext context, StageRecorder stages)
    {
        int threads = context.MaxDegreeOfParallelism;
        CancellationToken cancellationToken = context.CancellationToken;
        ComputeDevice cpu = context.Device;
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
                Progress = context.StageProgress("label"),
            };

            // The threshold is part of labelling here: runs come straight from the volume's rows.
            RunComponents runs = stages.Run("label", cpu, null, () => volume.Int16 is not null
                ? RunComponents.FromThreshold(volume.Int16, range, labelOptions, cancellationToken)
                : RunComponents.FromThreshold(volume.Float!, range, labelOptions, cancellationToken));
            components = runs.Statistics;
            (kept, mask) = stages.Run("select", cpu, null, () =>
            {
                IReadOnlyList<int> selected = runs.Select(keep);
                return (selected, runs.CreateBitMask(selected, threads, cancellationToken));
            });
            description.Append(CultureInfo.InvariantCulture, $", kept {kept.Count} of {components.Count} components ({(int)options.Connectivity}-connected)");
        }
        else
        {
            mask = stages.Run("threshold", cpu, null, () => volume.Int16 is not null
                ? PackedThreshold.Apply(volume.Int16, range, threads, cancellationToken)
                : PackedThreshold.Apply(volume.Float!, range, threads, cancellationToken));
        }

        if (options.FillHoles)
        {
            BitMask filled = mask;
            stages.Run("fill holes", cpu, null, () =>
            {
                PackedHoleFilling.FillInPlace(filled, new HoleFillingOptions { MaxDegreeOfParallelism = threads, Progress = context.StageProgress("fill holes") }, cancellationToken);
                return true;
            });
            description.Append(", holes filled");
        }

        return (mask, components, kept, description.ToString());
    }
}
