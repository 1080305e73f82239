namespace VolumeMesh.Cli;

/// <summary>Entry point of the <c>volumemesh</c> tool.</summary>
public static class Program
{
    /// <summary>Runs the tool.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <returns>The exit code.</returns>
    public static int Main(string[] args) => 2;
}
