using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Validators;

namespace VolumeMesh.Benchmarks;

/// <summary>Runs the benchmarks chosen on the command line, e.g. <c>-- --filter '*MarchingCubes*'</c> (add <c>--job short</c> for a quick run;
/// <c>benchmarks/dry-run.sh</c> runs every benchmark once on tiny inputs, as CI does),
/// or the labelling stopwatch harness: <c>-- labeling-harness [CT.nrrd] [repeats]</c>,
/// or the decimation harness beside VTK: <c>-- decimation-harness OUT-FOLDER [repeats]</c>,
/// or one stage timed like the peer scripts (<see cref="StageHarness"/>): <c>-- stage mc|label|decimate|dicomload INPUT [options]</c>,
/// or <c>-- gpu-check [options]</c>: the GPU equality checks and timings of <see cref="GpuCheck"/>.</summary>
/// <remarks>To give a peer exactly the benchmarked volumes, write them with the CLI:
/// <c>volumemesh phantom --kind gyroid --size 256 -o gyroid.nrrd</c> and <c>volumemesh phantom --kind ct --size 400 -o ct.nrrd</c>.</remarks>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["labeling-harness", ..])
        {
            LabelingHarness.Run(args);
            return 0;
        }

        if (args is ["decimation-harness", ..])
        {
            DecimationHarness.Run(args);
            return 0;
        }

        if (args is ["stage", ..])
        {
            return StageHarness.Run(args);
        }

        if (args is ["gpu-check", ..])
        {
            return GpuCheck.Run(args[1..]);
        }

        IEnumerable<Summary> summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return Failures(summaries);
    }

    /// <summary>Counts what went wrong in a run, so a script (the CI dry run) fails when a benchmark cannot run.</summary>
    /// <param name="summaries">The summaries of the run.</param>
    /// <returns>0 when every benchmark ran; 1 otherwise, with each failure named on standard error.</returns>
    private static int Failures(IEnumerable<Summary> summaries)
    {
        int failures = 0;
        int ran = 0;
        foreach (Summary summary in summaries)
        {
            foreach (ValidationError error in summary.ValidationErrors)
            {
                if (error.IsCritical)
                {
                    Console.Error.WriteLine($"benchmark validation error: {error.Message}");
                    failures++;
                }
            }

            foreach (BenchmarkReport report in summary.Reports)
            {
                ran++;
                if (!report.Success || report.AllMeasurements.Count == 0)
                {
                    Console.Error.WriteLine($"benchmark failed: {report.BenchmarkCase.DisplayInfo}");
                    failures++;
                }
            }
        }

        Console.Error.WriteLine($"benchmarks: {ran} run, {failures} failed");
        return failures == 0 ? 0 : 1;
    }
}
