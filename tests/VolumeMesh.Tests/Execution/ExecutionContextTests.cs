using VolumeMesh.Components;
using VolumeMesh.Compute;
using VolumeMesh.Dicom;
using VolumeMesh.Execution;
using VolumeMesh.Geometry;
using VolumeMesh.Meshing;
using VolumeMesh.Pipeline;
using VolumeMesh.Segmentation;
using VolumeMesh.Tests.Compute;
using VolumeMesh.Tests.Support;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Execution;

/// <summary>
/// The execution context through the whole pipeline: the ILGPU backend (CPU accelerator) equals the managed one stage by
/// stage and reports each stage's device; the thread count changes nothing, DICOM load included; kernels compile once.
/// </summary>
public sealed class ExecutionContextTests
{
    private static readonly string[] s_deviceStages = ["threshold", "close", "label", "fill holes", "mesh"];

    /// <summary>The print recipe of the issue: bone, close 1 mm, keep the largest piece, fill holes.</summary>
    private static VolumeMeshPipelineOptions Recipe => new()
    {
        Range = ThresholdPresets.Bone,
        CloseMm = 1,
        Keep = ComponentSelection.LargestOnly,
        FillHoles = true,
    };

    [Fact]
    public void IlgpuPipelineOnThePhantomEqualsTheManagedPipelineWithEveryDeviceStageOnIlgpuCpu()
    {
        // 64×64×32 at 0.7×0.7×1 mm: both bones, the marrow cavity (filled), the table and the one-voxel bridge.
        var volume = PipelineVolume.FromInt16(Phantoms.CtPhantom(64, 32, seed: 5), "phantom");
        AssertIlgpuEqualsManaged(volume, Recipe);
    }

    [SkippableFact]
    public void IlgpuPipelineOnTheShippedSeriesEqualsTheManagedPipeline()
    {
        string? root = RepoPaths.Root;
        Skip.If(root is null, "The repository root (samples/) was not found.");
        string folder = Path.Combine(root!, "samples", "ge-head-tilt-jpegll");

        // Every 4th voxel in-plane (slices and their tilted positions kept) so ILGPU's CPU accelerator runs it in seconds.
        Volume<short> hu = TestVolumes.Subsample(DicomSeriesLoader.LoadDefaultHu(folder).Volume, 4);
        AssertIlgpuEqualsManaged(PipelineVolume.FromInt16(hu, "ge-head-tilt-jpegll"), Recipe);
    }

    [SkippableFact]
    public void TheWholePipelineGivesTheSameMeshForOneTwoAndEightThreadsDicomLoadIncluded()
    {
        string? root = RepoPaths.Root;
        Skip.If(root is null, "The repository root (samples/) was not found.");
        string folder = Path.Combine(root!, "samples", "ge-head-tilt-jpegll");
        VolumeMeshPipelineOptions options = Recipe with { SmoothIterations = 5, DecimateRatio = 0.5, MinShellVolumeMm3 = 1 };
        Mesh? reference = null;
        short[]? referenceVoxels = null;
        IReadOnlyList<ComponentStatistics>? referenceComponents = null;
        IReadOnlyList<int>? referenceKept = null;
        foreach (int threads in new[] { 1, 2, 8 })
        {
            (_, Volume<short> hu) = DicomSeriesLoader.LoadDefaultHu(folder, new DicomLoadOptions { MaxDegreeOfParallelism = threads });
            using var context = new ComputeContext(ManagedComputeBackend.Instance, threads);
            VolumeMeshResult result = VolumeMeshPipeline.Mesh(PipelineVolume.FromInt16(hu, "series"), options, context);
            Assert.True(result.Report.IsClosed, $"{threads} threads: {result.Report}");
            Assert.Contains(result.Stages, s => s.Stage == "decimate");
            if (reference is null)
            {
                reference = result.Mesh;
                referenceVoxels = hu.Voxels;
                referenceComponents = result.Components;
                referenceKept = result.KeptLabels;
                continue;
            }

            Assert.Equal(referenceVoxels, hu.Voxels);
            Assert.Equal(reference.Indices, result.Mesh.Indices);
            Assert.Equal(reference.Vertices, result.Mesh.Vertices);
            Assert.Equal(referenceComponents, result.Components);
            Assert.Equal(referenceKept, result.KeptLabels);
        }
    }

    [Fact]
    public void EachIlgpuStageAloneEqualsTheManagedStage()
    {
        // The stage-by-stage path (float volumes, volumes too large for the device-resident run, library callers).
        Volume<short> hu = Phantoms.CtPhantom(64, 32, seed: 4);
        using var managed = new ComputeContext(ManagedComputeBackend.Instance, 2);
        using ComputeContext ilgpu = ComputeContext.Create("ilgpu-cpu", 2);
        IComputeBackend m = managed.Backend, g = ilgpu.Backend;
        Assert.Equal("ilgpu-cpu", g.Threshold.Device.Id);

        Mask threshold = m.Threshold.Apply(hu, ThresholdPresets.Bone, managed);
        Assert.Equal(threshold.Voxels, g.Threshold.Apply(hu, ThresholdPresets.Bone, ilgpu).Voxels);
        Mask closed = m.Morphology.Apply(threshold, MorphologyOperation.Close, 1, managed);
        Assert.Equal(closed.Voxels, g.Morphology.Apply(threshold, MorphologyOperation.Close, 1, ilgpu).Voxels);
        Assert.Equal(
            m.Morphology.Apply(threshold, MorphologyOperation.Open, 0.8, managed).Voxels, g.Morphology.Apply(threshold, MorphologyOperation.Open, 0.8, ilgpu).Voxels);
        SelectedComponents selected = m.Components.Select(closed, ComponentSelection.LargestOnly, Connectivity.Six, managed);
        SelectedComponents onDevice = g.Components.Select(closed, ComponentSelection.LargestOnly, Connectivity.Six, ilgpu);
        Assert.Equal(selected.Kept, onDevice.Kept);
        Assert.Equal(selected.Mask.Voxels, onDevice.Mask.Voxels);
        Mask filled = m.HoleFilling.Fill(selected.Mask, null, managed);
        Assert.NotEqual(selected.Mask.Voxels, filled.Voxels); // the marrow cavity is filled
        Assert.Equal(filled.Voxels, g.HoleFilling.Fill(selected.Mask, null, ilgpu).Voxels);
        GpuTestSupport.AssertSameMesh(
            m.MaskedMeshing.FromMaskedRange(hu, filled, 226, 3071, managed), g.MaskedMeshing.FromMaskedRange(hu, filled, 226, 3071, ilgpu), "masked mesh");

        // A float volume's selected mask is meshed on the managed CPU, and the backend says why.
        Assert.NotNull(g.ManagedReason("masked mesh float"));
        Assert.Throws<NotSupportedException>(() => g.MaskedMeshing.FromMaskedRange(new Volume<float>(hu.Geometry), filled, 226, 3071, ilgpu));
    }

    [Fact]
    public void KernelsAreCompiledOncePerAcceleratorAcrossTwoPipelineRuns()
    {
        var volume = PipelineVolume.FromInt16(Phantoms.CtPhantom(32, 16, seed: 9), "phantom");
        VolumeMeshPipelineOptions options = Recipe;
        for (int run = 0; run < 2; run++)
        {
            using ComputeContext context = ComputeContext.Create("ilgpu-cpu", 2);
            VolumeMeshPipeline.Mesh(volume, options, context);
        }

        IReadOnlyDictionary<string, int> compilations = IlgpuBackend.For(GpuTestSupport.IlgpuCpu).Compilations();

        // Every stage's kernels are in the accelerator's cache (labelling and morphology included) and none compiled twice.
        foreach (string kernel in new[] { "threshold<Int16>", "cc-init<Void>", "cc-label-all<Void>", "morph-x<Void>", "morph-z<Void>", "resident-bounds<Void>", "resident-component-sums<Void>", "resident-slice-counts<Void>", "resident-keep<Void>", "resident-fill<Void>", "resident-pack<Void>" })
        {
            Assert.True(compilations.ContainsKey(kernel), $"{kernel} was not compiled through the cache: {string.Join(", ", compilations.Keys)}");
        }

        Assert.Contains(compilations.Keys, k => k.EndsWith("<Int32>", StringComparison.Ordinal)); // the masked mesh's packed volume
        Assert.All(compilations, pair => Assert.True(pair.Value == 1, $"{pair.Key} was compiled {pair.Value} times"));
    }

    [Fact]
    public void DisposingTheContextReleasesTheDeviceWorkBuffers()
    {
        var volume = PipelineVolume.FromInt16(Phantoms.CtPhantom(24, 10, seed: 2), "phantom");
        IlgpuBackend backend = IlgpuBackend.For(GpuTestSupport.IlgpuCpu);
        lock (backend.Gate)
        {
            // Holding the gate keeps other tests from using (and refilling) the accelerator in between.
            var context = ComputeContext.Create("ilgpu-cpu");
            VolumeMeshPipeline.Mesh(volume, Recipe, context);
            Assert.True(backend.BufferedBytes() > 0);
            context.Dispose();
            Assert.Equal(0, backend.BufferedBytes());
        }
    }

    [Fact]
    public void AnExplicitlyNamedDeviceThatIsMissingThrowsAndNeverFallsBack()
    {
        var ex = Assert.Throws<ComputeDeviceException>(() => ComputeContext.Create("cuda:7"));
        Assert.Contains("cuda:7", ex.Message, StringComparison.Ordinal);
        using ComputeContext cpu = ComputeContext.Create("cpu");
        Assert.Equal("cpu", cpu.Device.Id);
        Assert.Null(cpu.DeviceNote);
        using ComputeContext ilgpu = ComputeContext.Create("ilgpu-cpu");
        Assert.Equal("ilgpu-cpu", ilgpu.Device.Id);
        Assert.Equal(ilgpu.Device.Id, ilgpu.Backend.Components.Device.Id);
    }

    [Fact]
    public void OneThreadConventionForEveryStage()
    {
        Assert.Equal(Environment.ProcessorCount, Parallelism.ThreadCount(-1));
        Assert.Equal(Environment.ProcessorCount, Parallelism.ThreadCount(0));
        Assert.Equal(3, Parallelism.ThreadCount(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.Validate(-2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ComputeContext(maxDegreeOfParallelism: -2));

        // 0 means every core in every stage (threshold used to throw for it), and −2 is refused by every stage.
        Volume<short> hu = Phantoms.CtPhantom(16, 4, seed: 1);
        Mask all = Threshold.Apply(hu, ThresholdPresets.Bone, new ThresholdOptions { MaxDegreeOfParallelism = 0 });
        Assert.Equal(Threshold.Apply(hu, ThresholdPresets.Bone, new ThresholdOptions { MaxDegreeOfParallelism = 1 }).Voxels, all.Voxels);
        Assert.Throws<ArgumentOutOfRangeException>(() => Threshold.Apply(hu, ThresholdPresets.Bone, new ThresholdOptions { MaxDegreeOfParallelism = -2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConnectedComponents.Label(all, new ConnectedComponentsOptions { MaxDegreeOfParallelism = -2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => MarchingCubes.FromMask(all, new MarchingCubesOptions { MaxDegreeOfParallelism = -2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Morphology.Close(all, 1, new MorphologyOptions { MaxDegreeOfParallelism = -2 }));
    }

    [Fact]
    public void TheContextPoolIsPrivateAndReleased()
    {
        using var context = new ComputeContext();
        int[] small = context.Buffers.Rent<int>(1000);
        Assert.True(small.Length >= 1000);
        int[] large = context.Buffers.Rent<int>(ComputeBufferPool.ExactSizeThreshold + 1);
        Assert.Equal(ComputeBufferPool.ExactSizeThreshold + 1, large.Length);
        Assert.Equal(2, context.Buffers.Outstanding);
        context.Buffers.Return(small);
        context.Buffers.Return(large);
        Assert.Equal(0, context.Buffers.Outstanding);
        Assert.Same(small, context.Buffers.Rent<int>(1000));
        context.Buffers.Release();
        Assert.NotSame(small, context.Buffers.Rent<int>(1000));
    }

    private static void AssertIlgpuEqualsManaged(PipelineVolume volume, VolumeMeshPipelineOptions options)
    {
        using var managedContext = new ComputeContext(ManagedComputeBackend.Instance, 2);
        VolumeMeshResult managed = VolumeMeshPipeline.Mesh(volume, options, managedContext);
        using ComputeContext ilgpuContext = ComputeContext.Create("ilgpu-cpu", 2);
        VolumeMeshResult ilgpu = VolumeMeshPipeline.Mesh(volume, options, ilgpuContext);

        Assert.True(managed.Mesh.TriangleCount > 0);
        Assert.True(managed.Report.IsClosed, managed.Report.ToString());
        GpuTestSupport.AssertSameMesh(managed.Mesh, ilgpu.Mesh, "ilgpu-cpu pipeline");
        Assert.Equal(managed.KeptLabels, ilgpu.KeptLabels);
        Assert.NotEmpty(managed.Components);

        // Every field of every component, the centroid to the last bit (the device sums what the managed builder sums).
        Assert.Equal(managed.Components, ilgpu.Components);

        // Every device stage ran on the accelerator with nothing to explain; the managed run ran everything on cpu.
        foreach (string stage in s_deviceStages)
        {
            StageReport report = Assert.Single(ilgpu.Stages, s => s.Stage == stage);
            Assert.Equal("ilgpu-cpu", report.Device);
            Assert.Null(report.Note);
            Assert.Equal("cpu", Assert.Single(managed.Stages, s => s.Stage == stage).Device);
        }

        Assert.Equal("ilgpu-cpu", ilgpu.Device);

        // The JSON report says the same: every segmentation and meshing stage on ilgpu-cpu, in pipeline order.
        using var json = System.Text.Json.JsonDocument.Parse(PipelineReportJson.Serialize(ilgpu));
        var reported = new List<string>();
        foreach (System.Text.Json.JsonElement stage in json.RootElement.GetProperty("stages").EnumerateArray())
        {
            string name = stage.GetProperty("name").GetString()!;
            if (name is "threshold" or "close" or "label" or "select" or "fill holes" or "mesh")
            {
                Assert.Equal("ilgpu-cpu", stage.GetProperty("device").GetString());
                reported.Add(name);
            }
        }

        Assert.Equal(["threshold", "close", "label", "select", "fill holes", "mesh"], reported);

        // The device-resident run: even the kept mask is built on the device (the stage-by-stage run builds it on the host).
        Assert.Equal("ilgpu-cpu", Assert.Single(ilgpu.Stages, s => s.Stage == "select").Device);
        Assert.Null(ilgpu.DeviceNote);
        Assert.All(managed.Stages, s => Assert.Null(s.Note));

        // The host steps of an ILGPU run (choosing the kept labels, the report) are named and explained, not hidden.
        Assert.All(ilgpu.Stages, s => Assert.True(s.Device == "ilgpu-cpu" || s.Note is not null, $"{s.Stage} ran on {s.Device} without a note"));
    }
}
