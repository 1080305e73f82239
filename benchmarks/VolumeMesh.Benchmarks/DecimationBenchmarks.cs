using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using BenchmarkDotNet.Attributes;
using VolumeMesh.Meshing;
using VolumeMesh.Processing;
using VolumeMesh.Segmentation;

namespace VolumeMesh.Benchmarks;

/// <summary>
/// Quadric decimation and smoothing of the CT phantom's bone mesh (compare with VTK's vtkQuadricDecimation via
/// ../shared/peers/decimate.py on the STL that <see cref="DecimationHarness"/> writes).
/// </summary>
[MemoryDiagnoser]
public class DecimationBenchmarks
{
    private Mesh _bone = Mesh.Empty;

    [GlobalSetup]
    public void Setup() => _bone = DecimationHarness.BoneMesh();

    /// <summary>Removes 90% of the triangles; returns the count left so the work cannot be elided.</summary>
    [Benchmark]
    public int Decimate90() => MeshDecimator.Decimate(_bone, new DecimationOptions { ReductionRatio = 0.9 }).TrianglesAfter;

    /// <summary>Windowed-sinc smoothing with the defaults.</summary>
    [Benchmark]
    public int WindowedSinc() => MeshSmoother.WindowedSinc(_bone).VertexCount;
}

/// <summary>
/// Stopwatch harness for the peer comparison: <c>decimation-harness OUT_DIR [repeats] [max-error-mm]</c> writes the bone mesh of the
/// 512×512×400 CT phantom (bone range) as <c>bone.stl</c>, decimates it by 90% and writes <c>bone-decimated.stl</c>,
/// and prints the median time. Measure the peer and both Hausdorff distances on those files with VTK.
/// </summary>
public static class DecimationHarness
{
    public static Mesh BoneMesh() =>
        MarchingCubes.FromRange(BenchmarkVolumes.Ct(), ThresholdPresets.Bone.Low, ThresholdPresets.Bone.High);

    public static void Run(string[] args)
    {
        string dir = args.Length > 1 ? args[1] : ".";
        int repeats = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        Directory.CreateDirectory(dir);
        var sw = Stopwatch.StartNew();
        Mesh bone = BoneMesh();
        Console.WriteLine(FormattableString.Invariant($"bone mesh: {bone.TriangleCount} triangles, {bone.VertexCount} vertices ({sw.Elapsed.TotalSeconds:F2} s with phantom)"));
        WriteBinaryStl(Path.Combine(dir, "bone.stl"), bone);

        // Warm-up, then the median of the timed runs.
        DecimationResult result = MeshDecimator.Decimate(bone, new DecimationOptions { ReductionRatio = 0.9 });
        var times = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            sw.Restart();
            result = MeshDecimator.Decimate(bone, new DecimationOptions { ReductionRatio = 0.9 });
            times.Add(sw.Elapsed.TotalSeconds);
        }

        times.Sort();
        WriteBinaryStl(Path.Combine(dir, "bone-decimated.stl"), result.Mesh);
        Console.WriteLine(FormattableString.Invariant(
            $"decimate 0.9: {result.TrianglesBefore} -> {result.TrianglesAfter} triangles, median {times[times.Count / 2]:F3} s of {repeats}, quadric error {result.MaxQuadricErrorMm:F3} mm, report {MeshReport.Compute(result.Mesh)}"));

        if (args.Length > 3)
        {
            // Optional: the same reduction under an error bound, timed once.
            double maxError = double.Parse(args[3], CultureInfo.InvariantCulture);
            sw.Restart();
            DecimationResult bounded = MeshDecimator.Decimate(bone, new DecimationOptions { ReductionRatio = 0.9, MaxErrorMm = maxError });
            Console.WriteLine(FormattableString.Invariant(
                $"decimate 0.9, max error {maxError} mm: {bounded.TrianglesAfter} triangles ({bounded.StopReason}), {sw.Elapsed.TotalSeconds:F3} s, measured {bounded.MeasuredErrorMm:F3} mm"));
            WriteBinaryStl(Path.Combine(dir, "bone-decimated-bounded.stl"), bounded.Mesh);
        }

        sw.Restart();
        Mesh smooth = MeshSmoother.WindowedSinc(bone);
        Console.WriteLine(FormattableString.Invariant($"windowed sinc (defaults): {sw.Elapsed.TotalSeconds:F3} s, {smooth.VertexCount} vertices"));
    }

    /// <summary>A minimal binary STL writer (80-byte header, count, 50 bytes per triangle), private to the benchmark.</summary>
    private static void WriteBinaryStl(string path, Mesh mesh)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var writer = new BinaryWriter(stream);
        writer.Write(new byte[80]);
        writer.Write((uint)mesh.TriangleCount);
        for (int t = 0; t < mesh.TriangleCount; t++)
        {
            var (a, b, c) = mesh.Triangle(t);
            Vector3 pa = mesh.Vertices[a], pb = mesh.Vertices[b], pc = mesh.Vertices[c];
            Vector3 n = Vector3.Cross(pb - pa, pc - pa);
            float len = n.Length();
            n = len > 0 ? n / len : Vector3.Zero;
            foreach (Vector3 v in new[] { n, pa, pb, pc })
            {
                writer.Write(v.X);
                writer.Write(v.Y);
                writer.Write(v.Z);
            }

            writer.Write((ushort)0);
        }
    }
}
