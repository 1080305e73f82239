namespace VolumeMesh.Tests.Packaging;

/// <summary>Tests that run dotnet build or pack on the repository's projects (packages, the tool install, README's
/// example): one at a time, as two builds of the same project at once would write the same obj/ files.</summary>
[CollectionDefinition(Name)]
public sealed class PackingCollection
{
    public const string Name = "dotnet build and pack of the repository's projects";
}
