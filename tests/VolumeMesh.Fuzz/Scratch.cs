namespace VolumeMesh.Fuzz;

/// <summary>A per-process scratch folder (in /dev/shm when present) for targets whose readers take paths.</summary>
internal static class Scratch
{
    private static readonly Lazy<string> s_root = new(Create);

    /// <summary>The folder, emptied of what the previous input left.</summary>
    /// <returns>The folder's path.</returns>
    public static string Fresh(string name)
    {
        string folder = Path.Combine(s_root.Value, name);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        return folder;
    }

    private static string Create()
    {
        string parent = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        string root = Path.Combine(parent, $"volumemesh-fuzz-{Environment.ProcessId}");
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a scratch folder left in /dev/shm is harmless.
            }
        };
        return root;
    }
}
