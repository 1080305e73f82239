namespace VolumeMesh.Cli;

/// <summary>The volumemesh entry point.</summary>
public static class Program
{
    /// <summary>Runs the tool.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <returns>The exit code.</returns>
    public static int Main(string[] args) => args.Length == 0 ? 0 : 2;
}
