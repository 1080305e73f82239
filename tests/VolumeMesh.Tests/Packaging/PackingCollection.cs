namespace VolumeMesh.Tests.Packaging;

/// <summary>Tests that run dotnet pack on the repository's projects: one at a time, as two packs of the same project at
/// once would write the same obj/ and bin/ files.</summary>
[CollectionDefinition(Name)]
public sealed class PackingCollection
{
    public const string Name = "dotnet pack of the repository's projects";
}
