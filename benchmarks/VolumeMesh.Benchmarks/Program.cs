using BenchmarkDotNet.Running;

namespace VolumeMesh.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run -c Release -- --filter *Labeling*</c> (BenchmarkDotNet switcher over every benchmark class), or
/// <c>dotnet run -c Release -- gpu-check [options]</c> for the GPU equality checks and timings (see <see cref="GpuCheck"/>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "gpu-check")
        {
            return GpuCheck.Run(args[1..]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
