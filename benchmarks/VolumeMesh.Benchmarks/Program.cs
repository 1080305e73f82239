using BenchmarkDotNet.Running;

namespace VolumeMesh.Benchmarks;

/// <summary>Runs the benchmarks chosen on the command line, e.g. <c>-- --filter '*MarchingCubes*'</c> (add <c>--job short</c> for a quick run),
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

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
