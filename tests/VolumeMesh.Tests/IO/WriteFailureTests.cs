using System.Numerics;
using VolumeMesh.IO;
using VolumeMesh.Meshing;
using VolumeMesh.Tests.Support;

namespace VolumeMesh.Tests.IO;

/// <summary>Writes into places that cannot take the file fail with an error naming the output and leave nothing behind.</summary>
/// <remarks>Tests run as root, for whom file modes do not stop a write, so the unwritable places are real: a folder path
/// that runs through a regular file, and a tmpfs mounted too small for the model (when the test may mount).</remarks>
public sealed class WriteFailureTests
{
    public static TheoryData<string> Extensions => [".stl", ".3mf", ".glb", ".gltf", ".ply", ".obj"];

    [Theory]
    [MemberData(nameof(Extensions))]
    public void AFolderThatIsAFileFailsNamingTheOutput(string extension)
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("notafolder"), "x");
        string path = Path.Combine(folder.File("notafolder"), "model" + extension);

        IOException error = Assert.ThrowsAny<IOException>(() => MeshFileWriter.Write([new MeshPart("model", TestMeshes.Octahedron(Vector3.Zero, 1))], path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal([folder.File("notafolder")], Directory.GetFileSystemEntries(folder.Path));
        Assert.Equal("x", File.ReadAllText(folder.File("notafolder")));
    }

    [SkippableTheory]
    [MemberData(nameof(Extensions))]
    public void AFullDiskFailsAndLeavesTheOldFileAndNoPartialOne(string extension)
    {
        using var disk = SmallDisk.TryMount(128 * 1024);
        Skip.If(disk is null, "Cannot mount a small tmpfs here (needs root with CAP_SYS_ADMIN); the full-disk case is untested.");
        string path = Path.Combine(disk!.Path, "model" + extension);
        Mesh small = TestMeshes.Octahedron(Vector3.Zero, 1);
        Mesh large = MarchingCubes.FromIso(VolumeMesh.Volumes.Phantoms.SphereDistanceField(48, 20), 0); // far over 128 KB in every format
        IReadOnlyList<string> first = MeshFileWriter.Write([new MeshPart("model", small)], path);
        var before = first.ToDictionary(f => f, File.ReadAllBytes);

        IOException error = Assert.ThrowsAny<IOException>(() => MeshFileWriter.Write([new MeshPart("model", large)], path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal(first.Order(StringComparer.Ordinal), Directory.GetFileSystemEntries(disk.Path).Order(StringComparer.Ordinal));
        foreach ((string file, byte[] bytes) in before)
        {
            Assert.Equal(bytes, File.ReadAllBytes(file));
        }

        MeshFile read = MeshFileReader.Read(path);
        Assert.Equal(small.Vertices, read.Parts[0].Mesh.Vertices);
    }

    [SkippableFact]
    public void TheCliReportsAFullDiskInOneLineWithExitCodeFive()
    {
        using var disk = SmallDisk.TryMount(64 * 1024);
        Skip.If(disk is null, "Cannot mount a small tmpfs here (needs root with CAP_SYS_ADMIN); the full-disk case is untested.");
        using var folder = new TempFolder();
        string input = folder.File("sphere.ply");
        MeshFileWriter.Write([new MeshPart("sphere", MarchingCubes.FromIso(VolumeMesh.Volumes.Phantoms.SphereDistanceField(48, 20), 0))], input);
        string output = Path.Combine(disk!.Path, "model.3mf");

        (int code, _, string stderr) = CliRunner.Run("combine", input, "-o", output);

        Assert.Equal(5, code);
        string last = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.StartsWith("volumemesh: error: '" + output + "' cannot be written", last, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(disk.Path));
    }

    [Theory]
    [MemberData(nameof(Extensions))]
    public void ACancelledWriteLeavesNothing(string extension)
    {
        using var folder = new TempFolder();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            MeshFileWriter.Write([new MeshPart("model", TestMeshes.Octahedron(Vector3.Zero, 1))], folder.File("model" + extension), null, cancelled.Token));

        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    /// <summary>A tmpfs of a fixed size mounted on a fresh folder; unmounted and removed on dispose.</summary>
    private sealed class SmallDisk : IDisposable
    {
        private SmallDisk(string path) => Path = path;

        public string Path { get; }

        public static SmallDisk? TryMount(int bytes)
        {
            if (!OperatingSystem.IsLinux())
            {
                return null;
            }

            string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "volumemesh-full-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(path);
            try
            {
                if (RepoPaths.Run("mount", "-t", "tmpfs", "-o", $"size={bytes}", "tmpfs", path).ExitCode == 0)
                {
                    return new SmallDisk(path);
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
            }

            Directory.Delete(path);
            return null;
        }

        public void Dispose()
        {
            RepoPaths.Run("umount", Path);
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
