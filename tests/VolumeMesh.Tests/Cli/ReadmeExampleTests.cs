using System.Text.RegularExpressions;
using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Tests.Support;

namespace VolumeMesh.Tests.Cli;

/// <summary>Issue 11: README's library example compiles as written and runs on the shipped sample (slow: a dotnet build).</summary>
[Collection(VolumeMesh.Tests.Packaging.PackingCollection.Name)]
public sealed class ReadmeExampleTests
{
    [SkippableFact]
    [Trait("Category", "Slow")]
    public void TheLibraryExampleCompilesAsWrittenAndMeshesTheSample()
    {
        string root = RepoPaths.Root!;
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        int section = readme.IndexOf("## The library", StringComparison.Ordinal);
        Assert.True(section >= 0, "README has no library section");
        Match block = Regex.Match(readme[section..], "```csharp\n(using .*?)```", RegexOptions.Singleline);
        Assert.True(block.Success, "the library section has no whole-program block starting with using lines");
        string code = block.Groups[1].Value;

        using var folder = new TempFolder();
        string sample = Path.Combine(root, "samples", "ge-head-tilt-jpegll");
        string stl = folder.File("bone.stl");
        // The example's placeholders become the shipped sample and a temporary output; nothing else is changed.
        Assert.Contains("\"ct-folder\"", code, StringComparison.Ordinal);
        Assert.Contains("\"bone.stl\"", code, StringComparison.Ordinal);
        File.WriteAllText(folder.File("Program.cs"), code.Replace("\"ct-folder\"", Literal(sample)).Replace("\"bone.stl\"", Literal(stl)));
        File.WriteAllText(folder.File("Readme.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{Path.Combine(root, "src", "VolumeMesh", "VolumeMesh.csproj")}" />
                <ProjectReference Include="{Path.Combine(root, "src", "VolumeMesh.Dicom", "VolumeMesh.Dicom.csproj")}" />
              </ItemGroup>
            </Project>
            """);

        (int code2, string built) = RepoPaths.Run("dotnet", "build", folder.File("Readme.csproj"), "-c", "Release", "-o", folder.File("bin"), "-v", "q", "-nologo");
        Skip.If(built.Contains("command could not be loaded", StringComparison.Ordinal), "no .NET SDK on PATH: " + built);
        Assert.True(code2 == 0, "README's library example does not compile:\n" + built);
        (int ran, string output) = RepoPaths.Run("dotnet", folder.File(Path.Combine("bin", "Readme.dll")));
        Assert.True(ran == 0, output);

        MeshReport report = MeshReport.Compute(StlReader.Read(stl).Mesh);
        Assert.True(report.IsWatertight, report.ToString());
        Assert.Equal(1, report.Shells);
    }

    private static string Literal(string path) => "@\"" + path.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
