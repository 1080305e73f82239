using VolumeMesh.Components;
using VolumeMesh.Compute;
using VolumeMesh.Execution;
using VolumeMesh.Pipeline;
using VolumeMesh.Segmentation;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Compute;

/// <summary>
/// The device-resident run's selection: the component statistics are summed on the device and only their table comes back
/// (never the int32 label volume); statistics, kept labels and mesh equal the managed labeller's, for every selection mode.
/// </summary>
public sealed class ResidentSelectionTests
{
    public static TheoryData<string> Selections() => new() { "largest", "largest 3", "all", "above", "seed" };

    [Theory]
    [MemberData(nameof(Selections))]
    public void TheStatisticsAreSummedOnTheDeviceAndEqualTheManagedLabellersWithOnlyTheirTableCopiedBack(string mode)
    {
        // 64×64×24 at 0.7×0.7×1 mm, bone range without closing: both bones, the table and the noise specks, so there are ties.
        Volume<short> hu = Phantoms.CtPhantom(64, 24, seed: 11);

        // Bone-valued specks in the air at the top corners: single voxels and two equal 2×2×2 blocks tie in size.
        foreach ((int i, int j, int k, int size) in new[] { (1, 1, 2, 2), (60, 1, 20, 2), (5, 1, 10, 1), (57, 1, 5, 1), (30, 1, 0, 1), (30, 1, 23, 1) })
        {
            for (int z = k; z < k + size; z++)
            {
                for (int y = j; y < j + size; y++)
                {
                    for (int x = i; x < i + size; x++)
                    {
                        hu[x, y, z] = 700;
                    }
                }
            }
        }

        Mask threshold = Threshold.Apply(hu, ThresholdPresets.Bone);
        LabelVolume labelled = ConnectedComponents.Label(threshold);

        // The oracle's statistics come from a scan of the int32 labels (not from the labeller's runs).
        var oracle = new LabelVolume(hu.Geometry, labelled.Labels, labelled.ComponentCount);
        Assert.True(oracle.ComponentCount >= 8, $"{oracle.ComponentCount} components");
        ComponentStatistics largest = oracle.Statistics.MaxBy(c => c.VoxelCount)!;
        VoxelIndex first = largest.FirstVoxel;
        ComponentSelection selection = mode switch
        {
            "largest" => ComponentSelection.LargestOnly,
            "largest 3" => ComponentSelection.Largest(3),
            "all" => ComponentSelection.All,
            "above" => ComponentSelection.AboveVolume(largest.VolumeMm3 / 50),
            _ => ComponentSelection.AtSeed(new VoxelIndex(Math.Max(0, first.I - 2), first.J, first.K), 3),
        };

        var options = new VolumeMeshPipelineOptions { Range = ThresholdPresets.Bone, Keep = selection };
        var volume = PipelineVolume.FromInt16(hu, "phantom");
        using var managedContext = new ComputeContext(ManagedComputeBackend.Instance, 2);
        VolumeMeshResult managed = VolumeMeshPipeline.Mesh(volume, options, managedContext);

        using ComputeContext context = ComputeContext.Create("ilgpu-cpu", 2);
        var resident = Assert.IsType<IlgpuResidentMeshing>(context.Backend.Resident);
        IlgpuBackend backend = IlgpuBackend.For(GpuTestSupport.IlgpuCpu);
        VolumeMeshResult ilgpu;
        long downloaded;
        lock (backend.Gate)
        {
            // Holding the gate keeps another test's resident run from resetting the counter in between.
            ilgpu = VolumeMeshPipeline.Mesh(volume, options, context);
            downloaded = resident.SelectionBytesDownloaded;
        }

        Assert.Equal(oracle.Statistics, ilgpu.Components);
        Assert.Equal(managed.Components, ilgpu.Components);
        Assert.Equal(ComponentSelector.SelectLabels(oracle, selection), ilgpu.KeptLabels);
        Assert.Equal(managed.KeptLabels, ilgpu.KeptLabels);
        GpuTestSupport.AssertSameMesh(managed.Mesh, ilgpu.Mesh, $"{mode}: ilgpu-cpu pipeline");

        // What came back: the table (and a seed's rows), far below one byte per voxel; the labels would be four.
        Assert.True(downloaded > 0, "nothing was counted");
        Assert.True(downloaded < hu.Voxels.Length / 4, $"{downloaded} bytes came back for {hu.Voxels.Length} voxels");
        StageReport select = Assert.Single(ilgpu.Stages, s => s.Stage == "select");
        Assert.Equal("ilgpu-cpu", select.Device);
        Assert.Contains("summed on the device", select.Note, StringComparison.Ordinal);
    }
}
