using System.Text.Json;
using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Tests.Support;

namespace VolumeMesh.Tests.Cli;

/// <summary>Issue 11: <c>mesh --batch</c> over several studies, one of them broken.</summary>
public sealed class BatchCliTests
{
    [Fact]
    public void ABatchOfThreeStudiesWithOneBrokenWritesTwoMeshesReportsOneFailureAndExits3()
    {
        string sample = Path.Combine(RepoPaths.Root!, "samples", "ge-head-tilt-jpegll");
        using var folder = new TempFolder();
        string studies = folder.File("studies");
        foreach (string name in new[] { "alice", "bob" })
        {
            Directory.CreateDirectory(Path.Combine(studies, name));
            foreach (string file in Directory.GetFiles(sample, "*.dcm"))
            {
                File.Copy(file, Path.Combine(studies, name, Path.GetFileName(file)));
            }
        }

        Directory.CreateDirectory(Path.Combine(studies, "carol"));
        File.WriteAllText(Path.Combine(studies, "carol", "notes.txt"), "the scan was never exported");

        string output = folder.File("meshes");
        (int code, string stdout, string stderr) = CliRunner.Run(
            "mesh", "--batch", studies, "-o", output, "--jobs", "2", "--device", "cpu", "--keep", "largest", "--json");

        Assert.True(code == 3, stderr);
        Assert.Equal(["alice.json", "alice.stl", "bob.json", "bob.stl"], Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        MeshReport alice = MeshReport.Compute(StlReader.Read(Path.Combine(output, "alice.stl")).Mesh);
        MeshReport bob = MeshReport.Compute(StlReader.Read(Path.Combine(output, "bob.stl")).Mesh);
        Assert.True(alice.IsWatertight, alice.ToString());
        Assert.Equal(alice.Triangles, bob.Triangles); // the same series gives the same mesh, whichever job ran it
        Assert.Contains("2 of 3 studies meshed, 1 failed; exit code 3", stderr, StringComparison.Ordinal);
        Assert.Contains("[carol] volumemesh: error:", stderr, StringComparison.Ordinal);

        using JsonDocument summary = JsonDocument.Parse(stdout);
        Assert.Equal(3, summary.RootElement.GetProperty("exitCode").GetInt32());
        JsonElement[] rows = summary.RootElement.GetProperty("studies").EnumerateArray().ToArray();
        Assert.Equal(["alice", "bob", "carol"], rows.Select(r => r.GetProperty("name").GetString()));
        Assert.Equal([0, 0, 3], rows.Select(r => r.GetProperty("exitCode").GetInt32()));
        Assert.Contains("holds no DICOM image series", rows[2].GetProperty("error").GetString(), StringComparison.Ordinal);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "alice.json")));
        Assert.Equal(alice.Triangles, report.RootElement.GetProperty("triangles").GetInt32());
    }
}
