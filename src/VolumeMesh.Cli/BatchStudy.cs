namespace VolumeMesh.Cli;

/// <summary>One study of a batch: its name, its input and where its mesh and report go.</summary>
/// <param name="Name">The study's name (the input's folder or file name), unique in the batch.</param>
/// <param name="Input">The input volume.</param>
/// <param name="Output">The mesh file.</param>
/// <param name="Report">The JSON report file.</param>
internal sealed record BatchStudy(string Name, string Input, string Output, string Report);
