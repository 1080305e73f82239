using VolumeMesh.IO;

namespace VolumeMesh.Fuzz.Targets;

/// <summary>An STL file, binary or ASCII.</summary>
internal sealed class StlTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "stl";

    /// <inheritdoc />
    public override string Description => "STL reader (binary and ASCII)";

    /// <inheritdoc />
    public override void Run(byte[] input) => StlReader.Parse(input, "fuzz.stl");

    /// <inheritdoc />
    public override bool IsDocumented(Exception exception) => exception.GetType() == typeof(InvalidDataException);
}
