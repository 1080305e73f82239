using System.Diagnostics;

namespace VolumeMesh.Tests.Support;

internal static class RepoPaths
{
    private static readonly Lazy<string?> s_root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VolumeMesh.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    });

    private static readonly Lazy<string?> s_python = new(FindPythonWithNumpy);

    public static string? Root => s_root.Value;

    /// <summary>../shared/peers from the repository root, or null.</summary>
    public static string? Peers => Root is null ? null : Path.GetFullPath(Path.Combine(Root, "..", "shared", "peers"));

    /// <summary>A python3 that can import numpy, or null.</summary>
    public static string? PythonWithNumpy => s_python.Value;

    public static (int ExitCode, string Output) Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill();
            return (-1, "timed out");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string? FindPythonWithNumpy()
    {
        foreach (string candidate in new[] { "/usr/bin/python3", "python3" })
        {
            try
            {
                if (Run(candidate, "-c", "import numpy").ExitCode == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
            }
        }

        return null;
    }
}
