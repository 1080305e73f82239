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

    /// <summary>Checks, before any work, that an output file can be written: it is not a folder, its folder exists (it is
    /// created) and accepts a new file. The probe file is deleted at once.</summary>
    /// <param name="path">The output file.</param>
    /// <exception cref="OutputWriteException">The path is a folder, or its folder cannot be created or written; the
    /// message names <paramref name="path"/>, never a temporary file.</exception>
    public static void RequireWritable(string path)
    {
        if (Directory.Exists(path))
        {
            throw new OutputWriteException("it is a folder; give a file name such as model.stl.", path, null);
        }

        string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        try
        {
            Directory.CreateDirectory(folder);
            using var probe = new FileStream(
                Path.Combine(folder, $".volumemesh-probe-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string why = e is UnauthorizedAccessException ? "permission denied" : "the folder cannot be created or written";
            throw new OutputWriteException($"{why} in '{folder}'.", path, e);
        }
    }
}
