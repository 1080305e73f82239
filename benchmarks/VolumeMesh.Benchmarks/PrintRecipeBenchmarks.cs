using BenchmarkDotNet.Attributes;
using VolumeMesh.Components;
using VolumeMesh.Meshing;
using VolumeMesh.Pipeline;
using VolumeMesh.Segmentation;
using VolumeMesh.Volumes;

namespace VolumeMesh.Benchmarks;

/// <summary>
/// The print recipe (<c>--keep largest --fill-holes --decimate 0.9</c>, bone 226..3071 HU) on the int16 CT phantom (issue 10,
/// item 4): the pipeline, which labels into runs and works on packed bits, against the same job composed of the byte-mask
/// stages (threshold mask, int32 label volume, kept byte mask, filled byte mask). The memory diagnoser's allocated bytes
/// per run are the point; the whole process's peak resident memory is measured by <c>benchmarks/memory/peak_rss.sh</c>.
/// </summary>
/// <remarks><see cref="Shape"/> "64x64x48" is the tiny case; the CI dry run (<see cref="BenchmarkVolumes.Tiny"/>) runs only it.</remarks>
[MemoryDiagnoser]
public class PrintRecipeBenchmarks
{
    private static readonly VolumeMeshPipelineOptions s_recipe = new()
    {
        Range = ThresholdPresets.Bone,
        Keep = ComponentSelection.LargestOnly,
        FillHoles = true,
        DecimateRatio = 0.9,
        Device = "cpu",
    };

    private Volume<short>? _ct;

    /// <summary>The shapes: both, or only the tiny one in the CI dry run.</summary>
    /// <returns>The shapes.</returns>
    public static IEnumerable<string> Shapes() => BenchmarkVolumes.Tiny ? ["64x64x48"] : ["64x64x48", "512x512x1000"];

    /// <summary>Matrix × matrix × slices of the CT phantom.</summary>
    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = "64x64x48";

    [GlobalSetup]
    public void Setup()
    {
        string[] parts = Shape.Split('x');
        _ct = Phantoms.CtPhantom(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture), seed: 1);
    }

    /// <summary>The byte-mask stages, one after the other, as the pipeline ran them before issue 10.</summary>
    [Benchmark(Baseline = true)]
    public int ByteMaskStages()
    {
        HuRange bone = ThresholdPresets.Bone;
        Mask mask = Threshold.Apply(_ct!, bone);
        LabelVolume labels = ConnectedComponents.Label(mask, new ConnectedComponentsOptions { Connectivity = Connectivity.Six });
        mask = ComponentSelector.Select(labels, ComponentSelection.LargestOnly);
        mask = HoleFilling.Fill(mask);
        Mesh mesh = MarchingCubes.FromMaskedRange(_ct!, mask, bone.Low, bone.High);
        return MeshReport.Compute(VolumeMeshPipeline.Process(mesh, s_recipe, progress: null, cancellationToken: default).Mesh).Triangles;
    }

    /// <summary>The pipeline (<c>VolumeMeshPipeline.Mesh</c>): runs and packed bits.</summary>
    [Benchmark]
    public int Pipeline() => VolumeMeshPipeline.Mesh(PipelineVolume.FromInt16(_ct!, "ct"), s_recipe).Mesh.TriangleCount;
}
