using VolumeMesh.IO;

namespace VolumeMesh.Fuzz.Targets;

/// <summary>An NRRD file (attached data; a detached data file it names is looked up beside it and usually missing).</summary>
internal sealed class NrrdTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "nrrd";

    /// <inheritdoc />
    public override string Description => "NRRD reader (header fields, raw and gzip data, detached data files, geometry)";

    /// <inheritdoc />
    public override void Run(byte[] input)
    {
        string path = Path.Combine(Scratch.Fresh(Name), "fuzz.nrrd");
        File.WriteAllBytes(path, input);
        NrrdReader.Read(path);
    }

    /// <inheritdoc />
    public override bool IsDocumented(Exception exception) =>
        exception.GetType() == typeof(InvalidDataException)
        || exception.GetType() == typeof(NotSupportedException)
        || exception.GetType() == typeof(FileNotFoundException);
}
