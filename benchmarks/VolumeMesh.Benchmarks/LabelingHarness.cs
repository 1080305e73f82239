using System.Diagnostics;
using VolumeMesh.Components;
using VolumeMesh.Segmentation;
using VolumeMesh.Volumes;

namespace VolumeMesh.Benchmarks;

/// <summary>
/// Stopwatch harness for the labelling numbers in benchmarks/results/components.md:
/// <c>dotnet run -c Release -- labeling-harness [CT.nrrd] [repeats]</c>. Prints the median wall time and the median
/// process CPU time of each operation (CPU time stays meaningful when other work shares the machine).
/// </summary>
internal static class LabelingHarness
{
    public static void Run(string[] args)
    {
        if (args.Length > 1)
        {
            Environment.SetEnvironmentVariable("VOLUMEMESH_CT_NRRD", args[1]);
        }

        int repeats = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 7;
        Mask ct = LabelingBenchmarks.LoadCtBoneMask();
        Mask noise = LabelingBenchmarks.NoiseMask(256, 0.5);
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores; load average {LoadAverage()}");
        Console.WriteLine($"ct bone mask: {ct.Voxels.Length} voxels, {ct.CountInside()} inside");
        var reused = new int[ct.Voxels.Length];
        foreach (Connectivity c in new[] { Connectivity.TwentySix, Connectivity.Six })
        {
            var options = new ConnectedComponentsOptions { Connectivity = c };
            Measure($"ct label {(int)c} new array", ct.Voxels.Length, repeats, () => ConnectedComponents.Label(ct, options).ComponentCount);
            Measure($"ct label {(int)c} reused array", ct.Voxels.Length, repeats, () => ConnectedComponents.Label(ct, reused, options).ComponentCount);
            Measure($"ct label {(int)c} new array, 1 thread", ct.Voxels.Length, repeats, () => ConnectedComponents.Label(ct, options with { MaxDegreeOfParallelism = 1 }).ComponentCount);
            Measure($"noise-256 label {(int)c}", noise.Voxels.Length, repeats, () => ConnectedComponents.Label(noise, options).ComponentCount);
        }

        Measure("ct keep largest (label + select)", ct.Voxels.Length, repeats, () => ConnectedComponents.Keep(ct, ComponentSelection.LargestOnly).CountInside());
        Measure("ct fill holes", ct.Voxels.Length, repeats, () => HoleFilling.Fill(ct).CountInside());
        Measure("ct dilate 2 mm", ct.Voxels.Length, Math.Min(repeats, 5), () => Morphology.Dilate(ct, 2).CountInside());
        Measure("ct close 2 mm", ct.Voxels.Length, Math.Min(repeats, 5), () => Morphology.Close(ct, 2).CountInside());
        Measure("ct open 2 mm", ct.Voxels.Length, Math.Min(repeats, 5), () => Morphology.Open(ct, 2).CountInside());
        Measure("ct dilate 10 mm", ct.Voxels.Length, Math.Min(repeats, 5), () => Morphology.Dilate(ct, 10).CountInside());
        Console.WriteLine($"load average {LoadAverage()}");
    }

    private static void Measure(string name, long voxels, int repeats, Func<long> run)
    {
        long result = run(); // warm-up
        var wall = new double[repeats];
        var cpu = new double[repeats];
        using Process self = Process.GetCurrentProcess();
        for (int r = 0; r < repeats; r++)
        {
            self.Refresh();
            TimeSpan cpu0 = self.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            result = run();
            wall[r] = watch.Elapsed.TotalMilliseconds;
            self.Refresh();
            cpu[r] = (self.TotalProcessorTime - cpu0).TotalMilliseconds;
        }

        Array.Sort(wall);
        Array.Sort(cpu);
        double medianWall = wall[repeats / 2];
        Console.WriteLine(FormattableString.Invariant(
            $"{name,-40} wall median {medianWall,8:F1} ms (min {wall[0],8:F1}) = {voxels / medianWall / 1000,7:F0} Mvoxel/s; CPU median {cpu[repeats / 2],8:F1} ms; result {result}"));
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
}
