using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using VolumeMesh.Tests.Support;

namespace VolumeMesh.Tests.Packaging;

/// <summary>
/// Issue 16: every packable project under src/ (found on disk, not listed here, so a new package is covered the day it
/// appears) packs to a .nupkg whose nuspec carries the id, version, authors, licence expression, repository URL and
/// commit, project URL and readme the build files declare, with a .snupkg beside it whose portable PDBs carry SourceLink
/// to that commit, and no file of either package holds a path of the build machine (slow: one dotnet pack of all of
/// them, a minute or more).
/// </summary>
[Collection(PackingCollection.Name)]
public sealed class PackageContentTests
{
    private static readonly Guid s_sourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    [SkippableFact]
    [Trait("Category", "Slow")]
    public void EveryPackageCarriesMetadataReadmeSymbolsAndNoMachinePath()
    {
        string root = RepoPaths.Root!;
        XElement props = XElement.Load(Path.Combine(root, "Directory.Build.props"));
        XElement packaging = XElement.Load(Path.Combine(root, "eng", "Packaging.props"));
        string version = Property(props, "Version");
        string authors = Property(props, "Authors");
        string licence = Property(props, "PackageLicenseExpression");
        string repositoryUrl = Property(packaging, "VolumeMeshRepositoryUrl");
        Assert.StartsWith("https://github.com/", repositoryUrl, StringComparison.Ordinal);
        (int gitCode, string head) = RepoPaths.Run("git", "-C", root, "rev-parse", "HEAD");
        Skip.If(gitCode != 0, "not a git checkout (the commit in <repository> and SourceLink comes from git): " + head);
        string commit = head.Trim();

        Dictionary<string, string> expected = PackableProjects(root);
        Assert.Contains("VolumeMesh", expected.Keys);

        using var folder = new TempFolder();
        string feed = folder.File("feed");
        PackAll(root, folder, expected.Values, feed);

        string[] machinePaths = MachinePaths(root);
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string nupkg in Directory.GetFiles(feed, "*.nupkg"))
        {
            using ZipArchive package = ZipFile.OpenRead(nupkg);
            XElement metadata = Nuspec(package).Elements().Single(e => e.Name.LocalName == "metadata");
            string id = Child(metadata, "id");
            found.Add(id);
            Assert.True(expected.ContainsKey(id), $"{id} was packed but is not a packable project under src/");
            Assert.Equal(version, Child(metadata, "version"));
            Assert.Equal(Path.GetFileName(nupkg), $"{id}.{version}.nupkg");
            Assert.Equal(authors, Child(metadata, "authors"));
            XElement license = metadata.Elements().Single(e => e.Name.LocalName == "license");
            Assert.Equal("expression", (string?)license.Attribute("type"));
            Assert.Equal(licence, license.Value);
            Assert.Equal(repositoryUrl, Child(metadata, "projectUrl"));
            XElement repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
            Assert.Equal("git", (string?)repository.Attribute("type"));
            Assert.Equal(repositoryUrl, (string?)repository.Attribute("url"));
            Assert.Equal(commit, (string?)repository.Attribute("commit"));
            Assert.False(string.IsNullOrWhiteSpace(Child(metadata, "description")), id + ": no description");

            string readme = Child(metadata, "readme");
            ZipArchiveEntry? readmeEntry = package.GetEntry(readme);
            Assert.True(readmeEntry is not null, $"{id}: the nuspec names readme {readme} but the package has no such file");
            string readmeText = ReadText(readmeEntry!);
            Assert.StartsWith("# ", readmeText, StringComparison.Ordinal);
            Assert.Contains("## Install", readmeText, StringComparison.Ordinal);
            Assert.Contains(repositoryUrl, readmeText, StringComparison.Ordinal);

            string[] assemblies = package.Entries.Where(e => IsOwnAssembly(e.FullName, expected)).Select(e => e.FullName).ToArray();
            Assert.True(assemblies.Length > 0, $"{id}: no assembly of its own in the package");
            AssertNoMachinePath(package, nupkg, machinePaths);

            string snupkg = Path.ChangeExtension(nupkg, ".snupkg");
            Assert.True(File.Exists(snupkg), $"{id}: no symbol package {Path.GetFileName(snupkg)} beside the .nupkg");
            using ZipArchive symbols = ZipFile.OpenRead(snupkg);
            AssertNoMachinePath(symbols, snupkg, machinePaths);
            foreach (string assembly in assemblies)
            {
                string pdbName = Path.ChangeExtension(assembly, ".pdb");
                ZipArchiveEntry? pdb = symbols.GetEntry(pdbName);
                Assert.True(pdb is not null, $"{id}: {Path.GetFileName(snupkg)} lacks {pdbName}");
                AssertSourceLinked(ReadBytes(pdb!), $"{id}:{pdbName}", repositoryUrl, commit);
                AssertPdbMatches(ReadBytes(package.GetEntry(assembly)!), ReadBytes(pdb!), $"{id}:{assembly}");
            }
        }

        Assert.Equal(new SortedSet<string>(expected.Keys, StringComparer.Ordinal), found);
    }

    /// <summary>Package id → project file of every project under src/ that does not say it is not packable.</summary>
    private static Dictionary<string, string> PackableProjects(string root)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string project in Directory.GetFiles(Path.Combine(root, "src"), "*.csproj", SearchOption.AllDirectories))
        {
            XElement xml = XElement.Load(project);
            if (xml.Descendants("IsPackable").Any(e => string.Equals(e.Value.Trim(), "false", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            string id = xml.Descendants("PackageId").FirstOrDefault()?.Value.Trim()
                ?? xml.Descendants("AssemblyName").FirstOrDefault()?.Value.Trim()
                ?? Path.GetFileNameWithoutExtension(project);
            result.Add(id, project);
        }

        return result;
    }

    /// <summary>One dotnet pack of a throw-away solution holding every packable project (restore and build once).</summary>
    private static void PackAll(string root, TempFolder folder, IEnumerable<string> projects, string feed)
    {
        string solutionDir = folder.File("sln");
        Directory.CreateDirectory(solutionDir);
        (int created, string createOutput) = RepoPaths.Run("dotnet", "new", "sln", "-n", "Packages", "-o", solutionDir, "--format", "sln");
        Skip.If(createOutput.Contains("command could not be loaded", StringComparison.Ordinal), "no .NET SDK on PATH: " + createOutput);
        Assert.True(created == 0, createOutput);
        string solution = Path.Combine(solutionDir, "Packages.sln");
        (int added, string addOutput) = RepoPaths.Run("dotnet", ["sln", solution, "add", .. projects]);
        Assert.True(added == 0, addOutput);
        (int packed, string packOutput) = RunLong("dotnet", "pack", solution, "-c", "Release", "-o", feed, "-v", "q", "-nologo");
        Assert.True(packed == 0, packOutput);
        Assert.DoesNotContain("warning", packOutput, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Runs a command for up to ten minutes (a pack of every project under load takes longer than RepoPaths.Run waits).</summary>
    private static (int ExitCode, string Output) RunLong(string file, params string[] args)
    {
        var info = new System.Diagnostics.ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        using System.Diagnostics.Process process = System.Diagnostics.Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(600_000))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out after ten minutes");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static bool IsOwnAssembly(string entry, Dictionary<string, string> packages)
    {
        if (!entry.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && !entry.EndsWith(".exe", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string name = Path.GetFileNameWithoutExtension(entry);
        foreach (string project in packages.Values)
        {
            if (string.Equals(name, Path.GetFileNameWithoutExtension(project), StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The repository root, and the usual roots of machine paths, as bytes in UTF-8 and UTF-16.</summary>
    private static string[] MachinePaths(string root)
    {
        var paths = new List<string> { root.TrimEnd('/', '\\'), "/home/", "/work/", "/tmp/", Path.GetTempPath() };
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (home.Length > 1)
        {
            paths.Add(home.TrimEnd('/') + "/");
        }

        return paths.Distinct(StringComparer.Ordinal).ToArray();
    }

    private static void AssertNoMachinePath(ZipArchive package, string packagePath, string[] machinePaths)
    {
        foreach (ZipArchiveEntry entry in package.Entries)
        {
            byte[] bytes = ReadBytes(entry);
            foreach (string path in machinePaths)
            {
                foreach (Encoding encoding in new Encoding[] { Encoding.UTF8, Encoding.Unicode })
                {
                    int at = bytes.AsSpan().IndexOf(encoding.GetBytes(path));
                    Assert.True(at < 0, $"{Path.GetFileName(packagePath)}: {entry.FullName} holds the machine path '{path}' ({encoding.WebName}) at byte {at}");
                }
            }
        }
    }

    /// <summary>The PDB's SourceLink maps every document (all under the mapped root /_/) to raw files of the commit.</summary>
    private static void AssertSourceLinked(byte[] pdb, string what, string repositoryUrl, string commit)
    {
        using var provider = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(pdb));
        MetadataReader reader = provider.GetMetadataReader();
        string? sourceLink = null;
        foreach (CustomDebugInformationHandle handle in reader.GetCustomDebugInformation(EntityHandle.ModuleDefinition))
        {
            CustomDebugInformation info = reader.GetCustomDebugInformation(handle);
            if (reader.GetGuid(info.Kind) == s_sourceLinkKind)
            {
                sourceLink = Encoding.UTF8.GetString(reader.GetBlobBytes(info.Value));
            }
        }

        Assert.True(sourceLink is not null, what + ": no SourceLink in the PDB");
        using JsonDocument json = JsonDocument.Parse(sourceLink!);
        string rawBase = repositoryUrl.Replace("https://github.com/", "https://raw.githubusercontent.com/", StringComparison.Ordinal);
        var documents = json.RootElement.GetProperty("documents").EnumerateObject().ToArray();
        Assert.Single(documents);
        Assert.Equal("/_/*", documents[0].Name);
        Assert.Equal($"{rawBase}/{commit}/*", documents[0].Value.GetString());

        int count = 0;
        foreach (DocumentHandle handle in reader.Documents)
        {
            string name = reader.GetString(reader.GetDocument(handle).Name);
            Assert.True(name.StartsWith("/_/", StringComparison.Ordinal), $"{what}: document {name} is not under the mapped root /_/");
            count++;
        }

        Assert.True(count > 0, what + ": the PDB lists no source document");
    }

    /// <summary>The assembly's CodeView entry points at this PDB (same id), by a mapped path.</summary>
    private static void AssertPdbMatches(byte[] assembly, byte[] pdb, string what)
    {
        using var pe = new PEReader(new MemoryStream(assembly));
        DebugDirectoryEntry codeView = pe.ReadDebugDirectory().Single(e => e.Type == DebugDirectoryEntryType.CodeView);
        CodeViewDebugDirectoryData data = pe.ReadCodeViewDebugDirectoryData(codeView);
        Assert.True(data.Path.StartsWith("/_/", StringComparison.Ordinal), $"{what}: PDB path {data.Path} is not mapped");
        using var provider = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(pdb));
        var pdbId = new BlobContentId(provider.GetMetadataReader().DebugMetadataHeader!.Id);
        Assert.Equal(data.Guid, pdbId.Guid);
    }

    private static XElement Nuspec(ZipArchive package) =>
        XElement.Load(package.Entries.Single(e => !e.FullName.Contains('/') && e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());

    private static string Property(XElement project, string name) =>
        project.Descendants(name).Select(e => e.Value.Trim()).FirstOrDefault(v => v.Length > 0)
        ?? throw new InvalidOperationException($"no <{name}> in the build files");

    private static string Child(XElement metadata, string name) =>
        metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value.Trim() ?? throw new Xunit.Sdk.XunitException($"the nuspec has no <{name}>");

    private static byte[] ReadBytes(ZipArchiveEntry entry)
    {
        using Stream stream = entry.Open();
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    private static string ReadText(ZipArchiveEntry entry) => Encoding.UTF8.GetString(ReadBytes(entry));
}
