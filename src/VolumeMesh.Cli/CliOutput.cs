namespace VolumeMesh.Cli;

/// <summary>Small helpers shared by the commands.</summary>
internal static class CliOutput
{
    /// <summary>Creates the folder of an output file when it does not exist yet.</summary>
    /// <param name="path">The output file.</param>
    public static void EnsureFolder(string path)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
    }

    /// <summary>Seconds with three decimals, invariant culture.</summary>
    /// <param name="time">The time.</param>
    /// <returns>E.g. <c>0.123 s</c>.</returns>
    public static string Seconds(TimeSpan time) => FormattableString.Invariant($"{time.TotalSeconds:F3} s");
}
