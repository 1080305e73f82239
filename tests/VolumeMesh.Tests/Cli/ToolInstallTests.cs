using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Tests.Support;

namespace VolumeMesh.Tests.Cli;

/// <summary>Issue 11: the CLI packs as the dotnet tool <c>volumemesh</c>, installs from a local folder feed into a clean
/// folder, and runs README's main job (slow: a dotnet pack and install, about a minute).</summary>
[Collection(VolumeMesh.Tests.Packaging.PackingCollection.Name)]
public sealed class ToolInstallTests
{
    [SkippableFact]
    [Trait("Category", "Slow")]
    public void TheToolInstallsFromALocalFeedAndRunsTheReadmeMainJob()
    {
        string root = RepoPaths.Root!;
        using var folder = new TempFolder();
        string feed = folder.File("feed");
        string tools = folder.File("tools");
        (int packed, string packOutput) = RepoPaths.Run(
            "dotnet", "pack", Path.Combine(root, "src", "VolumeMesh.Cli", "VolumeMesh.Cli.csproj"), "-c", "Release", "-o", feed, "-v", "q", "-nologo");
        Skip.If(packOutput.Contains("command could not be loaded", StringComparison.Ordinal), "no .NET SDK on PATH: " + packOutput);
        Assert.True(packed == 0, packOutput);
        (int installed, string installOutput) = RepoPaths.Run("dotnet", "tool", "install", "VolumeMesh.Cli", "--tool-path", tools, "--add-source", feed);
        Assert.True(installed == 0, installOutput);

        string tool = Path.Combine(tools, OperatingSystem.IsWindows() ? "volumemesh.exe" : "volumemesh");
        Assert.True(File.Exists(tool), $"no {tool} after install: {installOutput}");
        string model = folder.File("model.stl");
        (int code, string output) = RepoPaths.Run(tool, "mesh", Path.Combine(root, "samples", "ge-head-tilt-jpegll"), "-o", model, "--preset", "bone", "--device", "cpu");
        Assert.True(code == 0, output);
        MeshReport report = MeshReport.Compute(StlReader.Read(model).Mesh);
        Assert.True(report.IsWatertight, report.ToString());
        Assert.Contains("stage mesh:", output, StringComparison.Ordinal);
    }
}
