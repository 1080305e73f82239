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
/// and is the same for 1, 2 and 8 threads; whether the successive mapping alone proves the bound, or the exact checks
/// take over where it is too loose (with input triangles split, or the surface near them locked, where no single fan
/// covers them).
/// </summary>
public sealed class BoundedDecimationTests
{
    [Fact]
    public void CtPhantomBoneStaysWithinTheBoundForAnyThreadCount()
    {
        AssertBoundedParallel(PhantomBone(), 0.5, slabVertices: 1024);
    }

    [Fact]
    public void TheMappingAloneReachesTheTargetAtALooseBound()
    {
        DecimationResult result = AssertBoundedParallel(PhantomBone(), 2.0, slabVertices: 1024);
        Assert.Equal(DecimationStopReason.TargetReached, result.StopReason);
        Assert.Null(result.ExactFromTriangles);
    }

    [Fact]
    public void TheExactChecksTakeOverWhereTheMappingStops()
    {
        // At 0.2 mm the mapping's bound (it adds displacements up) stops first; the exact checks measure the distance
        // itself and go on. Some input triangles span more than one fan of the surface reached and are split to attach.
        DecimationResult result = AssertBoundedParallel(PhantomBone(), 0.2, slabVertices: 1024);
        Assert.NotNull(result.ExactFromTriangles);
        Assert.True(result.TrianglesAfter < result.ExactFromTriangles, $"the exact checks removed nothing from {result.ExactFromTriangles}");
        Assert.True(result.AttachedPieces > 0, "no input triangle was split");
        Assert.Equal(0, result.LockedVertices);
    }

    [Fact]
    public void InputTrianglesNoFanCoversLockTheSurfaceNearThem()
    {
        // Without splitting, the input triangles no single fan covers are left to the mapping: the surface within the
        // bound of them is locked (kept as it is), and the result still lies within the bound.
        DecimationResult result = AssertBoundedParallel(PhantomBone(), 0.2, slabVertices: 1024, splitLevels: 0);
        Assert.NotNull(result.ExactFromTriangles);
        Assert.Equal(0, result.AttachedPieces);
        Assert.True(result.LockedVertices > 0, "nothing was locked");
    }

    /// <summary>A small CT phantom (96² × 32 slices), bone range, as the benchmark meshes the full one.</summary>
    private static Mesh PhantomBone()
    {
        Volume<short> phantom = Phantoms.CtPhantom(96, 32, seed: 1);
        return MarchingCubes.FromRange(phantom, ThresholdPresets.Bone.Low, ThresholdPresets.Bone.High);
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

    private static DecimationResult AssertBoundedParallel(Mesh input, double maxError, int slabVertices, int? splitLevels = null)
    {
        // Closed and consistently oriented (marching cubes may leave a few zero-area triangles: the decimator keeps what it cannot fix).
        MeshReport before = MeshReport.Compute(input);
        Assert.True(before.IsClosed && before.InconsistentlyOrientedEdges == 0, before.ToString());
        Assert.True(input.VertexCount >= 4 * slabVertices, $"{input.VertexCount} vertices: too few for parallel slabs of {slabVertices}");

        var decimation = new DecimationOptions { ReductionRatio = 0.9, MaxErrorMm = maxError };
        DecimationResult one = MeshDecimator.DecimateInOrder(input, decimation, null, default, usePasses: true, maxThreads: 1, slabVertices: slabVertices, splitLevels: splitLevels);
        DecimationResult two = MeshDecimator.DecimateInOrder(input, decimation, null, default, usePasses: true, maxThreads: 2, slabVertices: slabVertices, splitLevels: splitLevels);
        DecimationResult eight = MeshDecimator.DecimateInOrder(input, decimation, null, default, usePasses: true, maxThreads: 8, slabVertices: slabVertices, splitLevels: splitLevels);
        Assert.Equal(one.Mesh.Indices, two.Mesh.Indices);
        Assert.Equal(one.Mesh.Vertices, two.Mesh.Vertices);
        Assert.Equal(one.Mesh.Indices, eight.Mesh.Indices);
        Assert.Equal(one.Mesh.Vertices, eight.Mesh.Vertices);
        Assert.Equal(one.MeasuredErrorMm, eight.MeasuredErrorMm);
        Assert.Equal(one.StopReason, eight.StopReason);
        Assert.Equal(one.ExactFromTriangles, eight.ExactFromTriangles);
        Assert.Equal(one.AttachedPieces, eight.AttachedPieces);
        Assert.Equal(one.LockedVertices, eight.LockedVertices);

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
        return one;
    }
}
