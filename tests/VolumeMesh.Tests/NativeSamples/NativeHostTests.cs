using VolumeMesh.Components;
using VolumeMesh.Dicom;
using VolumeMesh.IO;
using VolumeMesh.Pipeline;
using VolumeMesh.Segmentation;
using VolumeMesh.Tests.Support;

namespace VolumeMesh.Tests.NativeSamples;

/// <summary>
/// Builds native-samples/c with the system C compiler and runs it: C → hostfxr → [UnmanagedCallersOnly] → VolumeMesh.
/// The C program checks every edge of what it gets back (two uses, opposite directions); this test also checks that it
/// got the library's own triangle count for the same input and options, and that bad input comes back as a code and a
/// message.
/// </summary>
public sealed class NativeHostTests
{
    [SkippableFact]
    public void CProgramMeshesTheSampleAndAnInMemorySphereThroughTheExports()
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
        string source = Path.Combine(root, "native-samples", "c");
        (int built, string buildLog) = RepoPaths.Run(compiler!, "-std=c11", "-Wall", "-Wextra", "-Werror", "-O2", "-o", exe,
            Path.Combine(source, "main.c"), "-I" + source, "-I" + nethost, Path.Combine(nethost!, "libnethost.a"), "-lstdc++", "-ldl", "-lm");
        Assert.True(built == 0, buildLog);

        // (b) A sphere the C program holds in memory; it writes the same voxels as NRRD for the library to mesh here.
        string nrrd = folder.File("sphere.nrrd");
        (int code, string output) = RepoPaths.Run(exe, library, "sphere", "40", "12", nrrd);
        Assert.True(code == 0, output);
        Assert.Contains("api 2", output, StringComparison.Ordinal);
        Assert.Contains("closed yes", output, StringComparison.Ordinal);
        VolumeMeshResult sphere = VolumeMeshPipeline.Mesh(
            PipelineVolume.FromNrrd(NrrdReader.Read(nrrd)), new VolumeMeshPipelineOptions { Iso = 0, Device = "cpu" });
        Assert.True(sphere.Report.IsWatertight, sphere.Report.ToString());
        Assert.Equal(sphere.Report.Triangles, Value(output, "triangles"));
        Assert.Equal(sphere.Report.Vertices, Value(output, "vertices"));
        Assert.InRange(sphere.Report.VolumeMm3, 0.98 * 4 / 3.0 * Math.PI * 12 * 12 * 12, 1.02 * 4 / 3.0 * Math.PI * 12 * 12 * 12);

        // (a) The shipped series to a file, options as JSON; the C program reads the STL back and checks its edges.
        string stl = folder.File("skull.stl");
        string sample = Path.Combine(root, "samples", "ge-head-tilt-jpegll");
        (code, output) = RepoPaths.Run(exe, library, "file", sample, stl, "{\"preset\":\"bone\",\"keep\":\"largest\",\"device\":\"cpu\"}");
        Assert.True(code == 0, output);
        Assert.Contains("closed yes", output, StringComparison.Ordinal);
        VolumeMeshResult skull = VolumeMeshPipeline.Mesh(
            PipelineVolume.FromInt16(DicomSeriesLoader.LoadDefaultHu(sample).Volume),
            new VolumeMeshPipelineOptions { Range = ThresholdPresets.Bone, Keep = ComponentSelection.Largest(1), Device = "cpu" });
        Assert.Equal(skull.Report.Triangles, Value(output, "stl_triangles"));
        Assert.Equal(skull.Report.Triangles, StlReader.Read(stl).Mesh.TriangleCount);

        // Errors come back as a code (the CLI's numbers) and a message, not a crash.
        (code, output) = RepoPaths.Run(exe, library, "file", folder.File("absent.nrrd"), folder.File("x.stl"));
        Assert.Equal(3, code);
        Assert.Contains("absent.nrrd", output, StringComparison.Ordinal);
        (code, output) = RepoPaths.Run(exe, library, "file", nrrd, folder.File("x.stl"), "{\"keep\":\"several\"}");
        Assert.Equal(2, code);
        Assert.Contains("keep", output, StringComparison.Ordinal);
        (code, output) = RepoPaths.Run(exe, library, "file", nrrd, folder.File("x.stl"), "{\"threshold\":\"30000:32000\"}");
        Assert.Equal(4, code);
        Assert.False(File.Exists(folder.File("x.stl")));
        (code, output) = RepoPaths.Run(exe, library, "bad-volume");
        Assert.Equal(2, code);
        Assert.Contains("1×0×1", output, StringComparison.Ordinal);
    }

    private static int Value(string output, string key)
    {
        foreach (string line in output.Split('\n'))
        {
            if (line.StartsWith(key + " ", StringComparison.Ordinal))
            {
                return int.Parse(line.AsSpan(key.Length + 1), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new Xunit.Sdk.XunitException($"no '{key}' line in: {output}");
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
