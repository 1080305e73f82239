using BenchmarkDotNet.Running;

namespace VolumeMesh.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release -- --filter *Labeling*</c> (BenchmarkDotNet switcher over every benchmark class), or <c>-- labeling-harness [CT.nrrd]</c>.</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args is ["labeling-harness", ..])
        {
            LabelingHarness.Run(args);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
