using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using VolumeMesh.Components;
using VolumeMesh.Dicom;
using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Pipeline;
using VolumeMesh.Processing;
using VolumeMesh.Segmentation;
using VolumeMesh.Volumes;

namespace VolumeMesh.Benchmarks;

/// <summary>
/// One stage timed the way the peer scripts in <c>../shared/peers</c> and <c>benchmarks/peers</c> time theirs (warm-up
/// runs, then the median of <c>--repeat</c> runs of the stage alone, input loading excluded), printing one JSON line with
/// the same keys, so <c>benchmarks/peers/run_peers.py</c> can put ours and theirs side by side. The peers run compiled
/// native code from the first call; .NET compiles a method again, optimised with what its first calls measured, only after
/// it ran a while (tiered compilation), so the warm-up runs go on until the code has settled (see <see cref="WarmUp"/>):
/// the steady state that BenchmarkDotNet measures. Whole-process rows of the runner include all of it.
/// <list type="bullet">
/// <item><c>stage mc VOL (--iso V | --threshold LO:HI) [--repeat N] [--out mesh.stl] [--hash 1]</c> (<c>--hash</c> adds the SHA-256 of the vertex and index arrays)</item>
/// <item><c>stage label VOL --threshold LO:HI [--connectivity 6|18|26] [--repeat N]</c></item>
/// <item><c>stage decimate IN.stl --reduction R [--max-error MM] [--repeat N] [--out OUT.stl]</c></item>
/// <item><c>stage smooth IN.stl [--iterations N] [--repeat N]</c> (windowed-sinc smoothing)</item>
/// <item><c>stage adjacency IN.stl [--repeat N]</c> (the vertex adjacency smoothing builds first)</item>
/// <item><c>stage report IN.stl [--repeat N]</c> (the mesh report: closed, manifold, shells, volume; the pipeline's last stage)</item>
/// <item><c>stage clean IN.stl [--min-shell MM3] [--repeat N]</c> (weld, degenerate and duplicate triangles, small shells)</item>
/// <item><c>stage dicomload FOLDER [--repeat N]</c></item>
/// </list>
/// <c>VOL</c> is a NRRD file or a DICOM folder (its default series).
/// </summary>
internal static class StageHarness
{
    // The fastest of the last timed runs (the median is the figure the peers report; the minimum is steadier on a busy machine).
    private static double _lastMinSeconds;

    // The median CPU time (all threads) of the last timed runs: what a run costs, less sensitive to other processes than wall time.
    private static double _lastCpuSeconds;

    // The warm-up runs before the last timed runs (see WarmUp).
    private static int _lastWarmups;

    /// <summary>The code has settled once the warm-up runs since the JIT last compiled anything took this long together.</summary>
    private static readonly TimeSpan SettledFor = TimeSpan.FromSeconds(0.5);

    /// <summary>Warm-up ends after this long even if the JIT still compiles now and then.</summary>
    private static readonly TimeSpan MaxWarmUp = TimeSpan.FromSeconds(30);

    public static int Run(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: stage mc|label|decimate|smooth|adjacency|clean|dicomload INPUT [options]");
            return 2;
        }

        string stage = args[1];
        string input = args[2];
        var options = ParseOptions(args.AsSpan(3));
        int repeat = int.Parse(options.GetValueOrDefault("--repeat", "5"), CultureInfo.InvariantCulture);
        if (repeat < 1)
        {
            Console.Error.WriteLine($"stage: --repeat must be at least 1 (got {repeat})");
            return 2;
        }

        return stage switch
        {
            "mc" => MarchingCubesStage(input, options, repeat),
            "label" => LabelStage(input, options, repeat),
            "decimate" => DecimateStage(input, options, repeat),
            "smooth" => SmoothStage(input, options, repeat),
            "clean" => CleanStage(input, options, repeat),
            "adjacency" => AdjacencyStage(input, repeat),
            "report" => ReportStage(input, repeat),
            "dicomload" => DicomLoadStage(input, repeat),
            _ => throw new ArgumentException($"unknown stage '{stage}'"),
        };
    }

    private static int MarchingCubesStage(string input, Dictionary<string, string> options, int repeat)
    {
        PipelineVolume volume = LoadVolume(input);
        Func<Mesh> run;
        if (options.TryGetValue("--iso", out string? isoText))
        {
            double iso = double.Parse(isoText, CultureInfo.InvariantCulture);
            run = volume.Int16 is not null ? () => MarchingCubes.FromIso(volume.Int16, iso) : () => MarchingCubes.FromIso(volume.Float!, iso);
        }
        else
        {
            HuRange range = ParseRange(options["--threshold"]);
            run = volume.Int16 is not null
                ? () => MarchingCubes.FromRange(volume.Int16, range.Low, range.High)
                : () => MarchingCubes.FromRange(volume.Float!, range.Low, range.High);
        }

        (Mesh mesh, double seconds) = Timed(run, repeat);
        if (options.TryGetValue("--out", out string? outPath))
        {
            StlWriter.Write(mesh, outPath);
        }

        long voxels = volume.Geometry.VoxelCount;
        var values = new Dictionary<string, object>
        {
            ["peer"] = "volumemesh-mc",
            ["voxels"] = voxels,
            ["seconds"] = seconds,
            ["min_seconds"] = _lastMinSeconds,
            ["cpu_seconds"] = _lastCpuSeconds,
            ["mvoxel_per_s"] = voxels / seconds / 1e6,
            ["triangles"] = mesh.TriangleCount,
        };
        if (options.ContainsKey("--hash"))
        {
            // The exact output (vertex bits and triangle order), to check that an engine change leaves the mesh unchanged.
            values["mesh_sha256"] = MeshHash(mesh);
        }

        Report(values);
        return 0;
    }

    private static string MeshHash(Mesh mesh)
    {
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(mesh.Vertices.AsSpan()));
        sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(mesh.Indices.AsSpan()));
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    private static int LabelStage(string input, Dictionary<string, string> options, int repeat)
    {
        PipelineVolume volume = LoadVolume(input);
        HuRange range = ParseRange(options["--threshold"]);
        Mask mask = volume.Int16 is not null ? Threshold.Apply(volume.Int16, range) : Threshold.Apply(volume.Float!, range);
        int connectivity = int.Parse(options.GetValueOrDefault("--connectivity", "26"), CultureInfo.InvariantCulture);
        var labelOptions = new ConnectedComponentsOptions { Connectivity = (Connectivity)connectivity };
        var destination = new int[mask.Voxels.Length];
        (LabelVolume labels, double seconds) = Timed(() => ConnectedComponents.Label(mask, destination, labelOptions), repeat);
        long largest = 0;
        foreach (ComponentStatistics c in labels.Statistics)
        {
            largest = Math.Max(largest, c.VoxelCount);
        }

        long voxels = volume.Geometry.VoxelCount;
        Report(new()
        {
            ["peer"] = $"volumemesh-label-{connectivity}",
            ["voxels"] = voxels,
            ["seconds"] = seconds,
            ["mvoxel_per_s"] = voxels / seconds / 1e6,
            ["components"] = labels.ComponentCount,
            ["largest"] = largest,
        });
        return 0;
    }

    private static int DecimateStage(string input, Dictionary<string, string> options, int repeat)
    {
        Mesh mesh = StlReader.Read(input).Mesh;
        var decimation = new DecimationOptions
        {
            ReductionRatio = double.Parse(options.GetValueOrDefault("--reduction", "0.9"), CultureInfo.InvariantCulture),
            MaxErrorMm = options.TryGetValue("--max-error", out string? maxError) ? double.Parse(maxError, CultureInfo.InvariantCulture) : null,
            MaxDegreeOfParallelism = int.Parse(options.GetValueOrDefault("--threads", "-1"), CultureInfo.InvariantCulture),
        };
        (DecimationResult result, double seconds) = Timed(() => MeshDecimator.Decimate(mesh, decimation), repeat);
        if (options.TryGetValue("--out", out string? outPath))
        {
            StlWriter.Write(result.Mesh, outPath);
        }

        Report(new()
        {
            ["peer"] = decimation.MaxErrorMm is null ? "volumemesh-decimate" : "volumemesh-decimate-bounded",
            ["triangles_in"] = mesh.TriangleCount,
            ["triangles_out"] = result.Mesh.TriangleCount,
            ["seconds"] = seconds,
            ["min_seconds"] = _lastMinSeconds,
            ["cpu_seconds"] = _lastCpuSeconds,
        });
        return 0;
    }

    private static int SmoothStage(string input, Dictionary<string, string> options, int repeat)
    {
        Mesh mesh = StlReader.Read(input).Mesh;
        var smoothing = new WindowedSincOptions { Iterations = int.Parse(options.GetValueOrDefault("--iterations", "20"), CultureInfo.InvariantCulture) };
        (Mesh result, double seconds) = Timed(() => MeshSmoother.WindowedSinc(mesh, smoothing), repeat);
        Report(new()
        {
            ["peer"] = "volumemesh-smooth",
            ["triangles_in"] = mesh.TriangleCount,
            ["iterations"] = smoothing.Iterations,
            ["checksum"] = Checksum(result),
            ["seconds"] = seconds,
        });
        return 0;
    }

    private static int ReportStage(string input, int repeat)
    {
        Mesh mesh = StlReader.Read(input).Mesh;
        (MeshReport report, double seconds) = Timed(() => MeshReport.Compute(mesh), repeat);
        Report(new()
        {
            ["peer"] = "volumemesh-report",
            ["triangles_in"] = mesh.TriangleCount,
            ["shells"] = report.Shells,
            ["seconds"] = seconds,
        });
        return 0;
    }

    private static int AdjacencyStage(string input, int repeat)
    {
        Mesh mesh = StlReader.Read(input).Mesh;
        (VertexAdjacency adjacency, double seconds) = Timed(() => VertexAdjacency.Build(mesh), repeat);
        Report(new()
        {
            ["peer"] = "volumemesh-adjacency",
            ["triangles_in"] = mesh.TriangleCount,
            ["neighbours"] = adjacency.Neighbours.Length,
            ["seconds"] = seconds,
        });
        return 0;
    }

    private static int CleanStage(string input, Dictionary<string, string> options, int repeat)
    {
        Mesh mesh = StlReader.Read(input).Mesh;
        var cleanup = new MeshCleanupOptions { MinShellVolumeMm3 = double.Parse(options.GetValueOrDefault("--min-shell", "1"), CultureInfo.InvariantCulture) };
        (MeshCleanupResult result, double seconds) = Timed(() => MeshCleanup.Clean(mesh, cleanup), repeat);
        Report(new()
        {
            ["peer"] = "volumemesh-clean",
            ["triangles_in"] = mesh.TriangleCount,
            ["triangles_out"] = result.Mesh.TriangleCount,
            ["removed_shells"] = result.RemovedShells,
            ["checksum"] = Checksum(result.Mesh),
            ["seconds"] = seconds,
        });
        return 0;
    }

    /// <summary>A hash of the mesh's exact bits, so runs of two builds can be compared for identical output.</summary>
    private static string Checksum(Mesh mesh)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(mesh.Vertices.AsSpan()));
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(mesh.Indices.AsSpan()));
        return Convert.ToHexString(hash.GetHashAndReset(), 0, 8);
    }

    private static int DicomLoadStage(string folder, int repeat)
    {
        long bytes = 0;
        foreach (string file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            bytes += new FileInfo(file).Length;
        }

        (Volume<short> volume, double seconds) = Timed(() => DicomSeriesLoader.LoadHu(DicomDirectoryScanner.Scan(folder).DefaultSeries!), repeat);
        Report(new()
        {
            ["peer"] = "volumemesh-dicom",
            ["slices"] = volume.Geometry.SizeZ,
            ["seconds"] = seconds,
            ["mb_per_s"] = bytes / seconds / 1e6,
            ["slices_per_s"] = volume.Geometry.SizeZ / seconds,
        });
        return 0;
    }

    private static PipelineVolume LoadVolume(string input)
    {
        if (Directory.Exists(input))
        {
            return PipelineVolume.FromInt16(DicomSeriesLoader.LoadHu(DicomDirectoryScanner.Scan(input).DefaultSeries!), input);
        }

        return PipelineVolume.FromNrrd(NrrdReader.Read(input));
    }

    private static HuRange ParseRange(string text) =>
        HuRange.TryParse(text, out HuRange range) ? range : throw new ArgumentException($"'{text}' is not a range LO:HI");

    private static (T Result, double Seconds) Timed<T>(Func<T> run, int repeat)
    {
        T result = WarmUp(run);
        var seconds = new double[repeat];
        var cpu = new double[repeat];
        using var process = Process.GetCurrentProcess();
        for (int r = 0; r < repeat; r++)
        {
            process.Refresh();
            TimeSpan cpuStart = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            result = run();
            seconds[r] = watch.Elapsed.TotalSeconds;
            process.Refresh();
            cpu[r] = (process.TotalProcessorTime - cpuStart).TotalSeconds;
        }

        Array.Sort(seconds);
        Array.Sort(cpu);
        _lastMinSeconds = seconds[0];
        _lastCpuSeconds = cpu[repeat / 2];
        return (result, seconds[repeat / 2]);
    }

    /// <summary>
    /// Runs the stage until the code has settled: at least two runs, and runs totalling <see cref="SettledFor"/> since the
    /// JIT last compiled a method (on any thread: the optimised versions are compiled in the background, a little after
    /// the calls that asked for them), or <see cref="MaxWarmUp"/>. A marching-cubes run on the 256³ gyroid took 0.15–0.2 s
    /// in its first four or five runs after a single warm-up run and 0.035 s once settled.
    /// </summary>
    private static T WarmUp<T>(Func<T> run)
    {
        var total = Stopwatch.StartNew();
        var quiet = TimeSpan.Zero;
        int runs = 0;
        T result;
        do
        {
            long compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            var watch = Stopwatch.StartNew();
            result = run();
            runs++;
            quiet = System.Runtime.JitInfo.GetCompiledMethodCount() == compiled ? quiet + watch.Elapsed : TimeSpan.Zero;
        }
        while ((runs < 2 || quiet < SettledFor) && total.Elapsed < MaxWarmUp);

        _lastWarmups = runs;
        return result;
    }

    private static Dictionary<string, string> ParseOptions(ReadOnlySpan<string> args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i]] = args[i + 1];
        }

        return options;
    }

    private static void Report(Dictionary<string, object> values)
    {
        values["warmup_runs"] = _lastWarmups;
        Console.WriteLine(JsonSerializer.Serialize(values));
    }
}
