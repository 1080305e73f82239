using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Tests.Support;

namespace VolumeMesh.Tests.NativeSamples;

/// <summary>Builds native-samples/c-host with the system C compiler and runs it: C → hostfxr → [UnmanagedCallersOnly] → VolumeMesh.</summary>
public sealed class NativeHostTests
{
    [SkippableFact]
    public void CProgramMeshesTheSampleThroughTheExports()
    {
        string root = RepoPaths.Root!;
        string? compiler = FindOnPath("cc") ?? FindOnPath("gcc");
        Skip.If(compiler is null, "no C compiler (cc/gcc) on PATH");
        string? nethost = FindNethost();
        Skip.If(nethost is null, "nethost.h not found in the .NET SDK's app host pack");

        // The test assembly lives in bin/<Configuration>/net10.0; the native library is built with the same configuration.
        string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        string library = Path.Combine(root, "native-samples", "VolumeMesh.Native", "bin", configuration, "net10.0");
        Assert.True(File.Exists(Path.Combine(library, "VolumeMesh.Native.runtimeconfig.json")), $"VolumeMesh.Native is not built in {library}");

        using var folder = new TempFolder();
        string exe = folder.File("volumemesh-c");
        (int built, string buildLog) = RepoPaths.Run(compiler!, "-std=c11", "-Wall", "-Wextra", "-Werror", "-O2", "-o", exe,
            Path.Combine(root, "native-samples", "c-host", "main.c"), "-I" + nethost, Path.Combine(nethost!, "libnethost.a"), "-lstdc++", "-ldl");
        Assert.True(built == 0, buildLog);

        string stl = folder.File("skull.stl");
        (int code, string output) = RepoPaths.Run(exe, library, Path.Combine(root, "samples", "ge-head-tilt-jpegll"), stl, "226", "3071");
        Assert.True(code == 0, output);
        Assert.Contains("API version 1", output, StringComparison.Ordinal);
        MeshReport report = MeshReport.Compute(StlReader.Read(stl).Mesh);
        Assert.True(report.IsWatertight, report.ToString());
        Assert.Equal(1, report.Shells);

        // Errors come back as a code and a message, not a crash.
        (code, output) = RepoPaths.Run(exe, library, folder.File("absent.nrrd"), folder.File("x.stl"));
        Assert.Equal(2, code);
        Assert.Contains("absent.nrrd", output, StringComparison.Ordinal);
    }

    private static string? FindOnPath(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string? FindNethost()
    {
        string dotnetRoot = Path.GetDirectoryName(Path.GetDirectoryName(typeof(object).Assembly.Location)!)!;
        string packs = Path.GetFullPath(Path.Combine(dotnetRoot, "..", "..", "packs", "Microsoft.NETCore.App.Host.linux-x64"));
        if (!Directory.Exists(packs))
        {
            return null;
        }

        string[] versions = Directory.GetDirectories(packs);
        Array.Sort(versions, StringComparer.Ordinal);
        for (int i = versions.Length - 1; i >= 0; i--)
        {
            string native = Path.Combine(versions[i], "runtimes", "linux-x64", "native");
            if (File.Exists(Path.Combine(native, "nethost.h")))
            {
                return native;
            }
        }

        return null;
    }
}
