namespace VolumeMesh.Tests.Cli;

/// <summary>The culture tests change the process-wide default culture, so they run alone.</summary>
[CollectionDefinition(nameof(CultureCliTests), DisableParallelization = true)]
public sealed class CultureCliCollection
{
}
