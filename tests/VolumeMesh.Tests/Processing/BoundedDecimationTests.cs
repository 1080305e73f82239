using VolumeMesh.Components;
using VolumeMesh.Dicom;
using VolumeMesh.Geometry;
using VolumeMesh.Meshing;
using VolumeMesh.Pipeline;
using VolumeMesh.Processing;
using VolumeMesh.Segmentation;
using VolumeMesh.Tests.Support;
using VolumeMesh.Volumes;

namespace VolumeMesh.Tests.Processing;

/// <summary>
/// Decimation with an error bound in parallel passes (issue 15, item 1): the output lies within the bound of the input
/// by the test's own sampled point-to-triangle measure (<see cref="SurfaceDistance"/>, both ways), keeps the topology,
/// and is the same for 1, 2 and 8 threads.
/// </summary>
public sealed class BoundedDecimationTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(0.2)]
    public void CtPhantomBoneStaysWithinTheBoundForAnyThreadCount(double maxError)
    {
        // A small CT phantom (96² × 32 slices), bone range, as the benchmark meshes the full one.
        Volume<short> phantom = Phantoms.CtPhantom(96, 32, seed: 1);
        Mesh input = MarchingCubes.FromRange(phantom, ThresholdPresets.Bone.Low, ThresholdPresets.Bone.High);
        AssertBoundedParallel(input, maxError, slabVertices: 1024);
    }

    [SkippableFact]
    public void RealSeriesStaysWithinTheBoundForAnyThreadCount()
    {
        string? root = RepoPaths.Root;
        Skip.If(root is null, "The repository root (samples/) was not found.");
        string folder = Path.Combine(root!, "samples", "ge-head-tilt-jpegll");
        Volume<short> hu = TestVolumes.Subsample(DicomSeriesLoader.LoadHu(DicomDirectoryScanner.Scan(folder).DefaultSeries!), 6);

        // The pipeline's stages up to decimation: bone range, largest component, marching cubes, smoothing.
        var options = new VolumeMeshPipelineOptions
        {
            Range = ThresholdPresets.Bone,
            Keep = ComponentSelection.LargestOnly,
            SmoothIterations = 20,
        };
        Mesh input = VolumeMeshPipeline.Mesh(PipelineVolume.FromInt16(hu, "ge-head-tilt-jpegll"), options).Mesh;
        AssertBoundedParallel(input, 0.3, slabVertices: 1024);
    }

    private static void AssertBoundedParallel(Mesh input, double maxError, int slabVertices)
    {
        // Closed and consistently oriented (marching cubes may leave a few zero-area triangles: the decimator keeps what it cannot fix).
        MeshReport before = MeshReport.Compute(input);
        Assert.True(before.IsClosed && before.InconsistentlyOrientedEdges == 0, before.ToString());
        Assert.True(input.VertexCount >= 4 * slabVertices, $"{input.VertexCount} vertices: too few for parallel slabs of {slabVertices}");

        var decimation = new DecimationOptions { ReductionRatio = 0.9, MaxErrorMm = maxError };
        DecimationResult one = MeshDecimator.DecimateInOrder(input, decimation, null, default, usePasses: true, maxThreads: 1, slabVertices: slabVertices);
        DecimationResult two = MeshDecimator.DecimateInOrder(input, decimation, null, default, usePasses: true, maxThreads: 2, slabVertices: slabVertices);
        DecimationResult eight = MeshDecimator.DecimateInOrder(input, decimation, null, default, usePasses: true, maxThreads: 8, slabVertices: slabVertices);
        Assert.Equal(one.Mesh.Indices, two.Mesh.Indices);
        Assert.Equal(one.Mesh.Vertices, two.Mesh.Vertices);
        Assert.Equal(one.Mesh.Indices, eight.Mesh.Indices);
        Assert.Equal(one.Mesh.Vertices, eight.Mesh.Vertices);
        Assert.Equal(one.MeasuredErrorMm, eight.MeasuredErrorMm);
        Assert.Equal(one.StopReason, eight.StopReason);

        // It decimated (a bound this loose against 1 mm voxels allows much), and says whether it reached the target.
        int target = (int)Math.Ceiling(input.TriangleCount * (1 - 0.9));
        Assert.True(one.TrianglesAfter < input.TriangleCount / 2, $"{one.TrianglesAfter} of {input.TriangleCount} triangles left");
        Assert.Equal(one.TrianglesAfter <= target ? DecimationStopReason.TargetReached : DecimationStopReason.NoValidCollapse, one.StopReason);
        Assert.Equal(one.Mesh.TriangleCount, one.TrianglesAfter);
        Assert.True(one.MeasuredErrorMm <= maxError, $"measured {one.MeasuredErrorMm} mm > {maxError} mm");

        // Topology kept: closed, manifold, the same shells with the same Euler characteristics.
        MeshReport after = MeshReport.Compute(one.Mesh);
        Assert.True(after.IsClosed && after.InconsistentlyOrientedEdges == 0, after.ToString());
        Assert.True(after.DegenerateTriangles <= before.DegenerateTriangles, after.ToString());
        Assert.Equal(before.Shells, after.Shells);
        Assert.Equal(before.ShellEulerCharacteristics, after.ShellEulerCharacteristics);

        // The independent measure, both ways, 4 samples per edge (15 points per triangle); float32 output positions.
        double inputToOutput = new SurfaceDistance(one.Mesh).MaxDistanceFrom(input, 4);
        double outputToInput = new SurfaceDistance(input).MaxDistanceFrom(one.Mesh, 4);
        Assert.True(inputToOutput <= maxError * 1.0001, $"input → output {inputToOutput} mm > {maxError} mm");
        Assert.True(outputToInput <= maxError * 1.0001, $"output → input {outputToInput} mm > {maxError} mm");
    }
}
