using System.Numerics;
using System.Runtime.CompilerServices;
using VolumeMesh.Components;
using VolumeMesh.Compute;
using VolumeMesh.Execution;
using VolumeMesh.Meshing;
using VolumeMesh.Pipeline;
using VolumeMesh.Segmentation;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Pipeline;

/// <summary>
/// <see cref="VolumeMeshPipelineOptions.ReleaseVolume"/> on the byte-mask path (opening or closing): the HU volume, every
/// mask and the int32 labels are garbage by the time the mesh stages run, and the mesh is the one a run without release gives.
/// </summary>
public sealed class ReleaseVolumeTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheByteMaskPathReleasesTheVolumeTheMasksAndTheLabelsBeforeTheMeshStages(bool open)
    {
        var options = new VolumeMeshPipelineOptions
        {
            Range = ThresholdPresets.Bone,
            OpenMm = open ? 0.7 : null,
            CloseMm = 1,
            Keep = ComponentSelection.LargestOnly,
            FillHoles = true,
            SmoothIterations = 2,
        };
        var backend = new RecordingBackend();
        VolumeMeshResult expected;
        using (var plain = new ComputeContext(ManagedComputeBackend.Instance, 2))
        {
            Assert.False(PackedMaskPipeline.Applies(options, plain)); // the byte-mask path, not the packed one
            expected = VolumeMeshPipeline.Mesh(PipelineVolume.FromInt16(Phantom(), "phantom"), options, plain);
        }

        (PipelineVolume volume, WeakReference voxels) = HandOver();
        string? stillAlive = "smoothing never reported progress";
        var progress = new InlineProgress(p =>
        {
            if (p.Stage == "smooth" && stillAlive == "smoothing never reported progress")
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                stillAlive = voxels.IsAlive ? "the HU voxels" : backend.FirstAlive();
            }
        });
        using var context = new ComputeContext(backend, 2, progress);
        VolumeMeshResult result = VolumeMeshPipeline.Mesh(volume, options with { ReleaseVolume = true }, context);

        Assert.True(volume.IsReleased);
        Assert.Null(volume.Int16);
        Assert.True(backend.Recorded >= (open ? 6 : 5), $"{backend.Recorded} arrays recorded");
        Assert.True(stillAlive is null, $"{stillAlive} outlived the release into smoothing");
        Assert.Equal(expected.Mesh.Indices, result.Mesh.Indices);
        Assert.Equal(expected.Mesh.Vertices, result.Mesh.Vertices);
        Assert.Equal(expected.Components, result.Components);
    }

    private static Volume<short> Phantom() => Phantoms.CtPhantom(48, 20, seed: 3);

    /// <summary>A volume only the pipeline's input holds (a frame of its own, so that no local of the test keeps it).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (PipelineVolume Volume, WeakReference Voxels) HandOver()
    {
        Volume<short> hu = Phantom();
        return (PipelineVolume.FromInt16(hu, "phantom"), new WeakReference(hu.Voxels));
    }

    private sealed class InlineProgress(Action<PipelineProgress> report) : IProgress<PipelineProgress>
    {
        public void Report(PipelineProgress value) => report(value);
    }

    /// <summary>The managed backend, holding a weak reference to every mask and label array its stages take or return.</summary>
    private sealed class RecordingBackend : IComputeBackend, IThresholdStage, IMorphologyStage, IComponentsStage, IHoleFillingStage
    {
        private readonly List<(string What, WeakReference Array)> _arrays = [];

        public int Recorded
        {
            get
            {
                lock (_arrays)
                {
                    return _arrays.Count;
                }
            }
        }

        public ComputeDevice Device => ComputeDevices.ManagedCpu;

        public IThresholdStage Threshold => this;

        public IComponentsStage Components => this;

        public IHoleFillingStage HoleFilling => this;

        public IMorphologyStage Morphology => this;

        public IMarchingCubesEngine MarchingCubes => ManagedComputeBackend.Instance.MarchingCubes;

        public IMaskedMeshingStage MaskedMeshing => ManagedComputeBackend.Instance.MaskedMeshing;

        public IResidentMeshingStage? Resident => null;

        public string? ManagedReason(string stage) => null;

        public void ReleaseBuffers() => ManagedComputeBackend.Instance.ReleaseBuffers();

        public string? FirstAlive()
        {
            lock (_arrays)
            {
                foreach ((string what, WeakReference array) in _arrays)
                {
                    if (array.IsAlive)
                    {
                        return what;
                    }
                }
            }

            return null;
        }

        public Mask Apply<T>(Volume<T> volume, HuRange range, ComputeContext context)
            where T : unmanaged, INumber<T> => Record("the threshold mask", ManagedComputeBackend.Instance.Threshold.Apply(volume, range, context));

        public Mask Apply(Mask mask, MorphologyOperation operation, double radiusMm, ComputeContext context) =>
            Record($"the {operation} mask", ManagedComputeBackend.Instance.Morphology.Apply(mask, operation, radiusMm, context));

        public LabelVolume Label(Mask mask, Connectivity connectivity, ComputeContext context)
        {
            LabelVolume labels = ManagedComputeBackend.Instance.Components.Label(mask, connectivity, context);
            Add("the int32 labels", labels.Labels);
            return labels;
        }

        public SelectedComponents Select(Mask mask, ComponentSelection selection, Connectivity connectivity, ComputeContext context)
        {
            SelectedComponents selected = ManagedComputeBackend.Instance.Components.Select(mask, selection, connectivity, context);
            Record("the selected mask", selected.Mask);
            return selected;
        }

        public Mask Fill(Mask mask, HoleFillingOptions? options, ComputeContext context)
        {
            Record("the selected mask", mask);
            return Record("the filled mask", ManagedComputeBackend.Instance.HoleFilling.Fill(mask, options, context));
        }

        private Mask Record(string what, Mask mask)
        {
            Add(what, mask.Voxels);
            return mask;
        }

        private void Add(string what, Array array)
        {
            lock (_arrays)
            {
                _arrays.Add((what, new WeakReference(array)));
            }
        }
    }
}
