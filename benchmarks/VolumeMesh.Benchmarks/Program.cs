using BenchmarkDotNet.Running;

namespace VolumeMesh.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release -- --filter *Labeling*</c> (BenchmarkDotNet switcher over every benchmark class).</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
