namespace VolumeMesh.Dicom.Tests;

/// <summary>Locates the shared test data (../shared/data from the repository root).</summary>
internal static class TestData
{
    private static readonly Lazy<string> s_root = new(() =>
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "VolumeMesh.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("VolumeMesh.sln not found above the test directory.");
    });

    public static string RepoRoot => s_root.Value;

    public static string Dicom(string relative) => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data", "dicom", relative));

    public static string Expected(string file) => Path.Combine(RepoRoot, "tests", "VolumeMesh.Dicom.Tests", "Expected", file);

    public static string RequireDicom(string relative)
    {
        string path = Dicom(relative);
        Skip.IfNot(Directory.Exists(path) || File.Exists(path), $"Shared test data {path} is absent (see ../shared/data/README.md).");
        return path;
    }
}
