namespace VolumeMesh.Fuzz.Targets;

/// <summary>A reader that takes a file path: the input is written to a scratch file with the reader's extension and read.</summary>
/// <remarks>For the readers whose XML docs document <see cref="InvalidDataException"/> for bad content and
/// <see cref="NotSupportedException"/> for valid content they do not handle (NIfTI, 3MF, GLB/glTF, PLY, OBJ).</remarks>
internal sealed class FileReaderTarget : FuzzTarget
{
    private readonly string _name;
    private readonly string _fileName;
    private readonly string _description;
    private readonly Action<string> _read;

    /// <summary>Creates a target.</summary>
    /// <param name="name">The target's name (its corpus and dictionary folder).</param>
    /// <param name="fileName">The scratch file's name; its extension chooses how the reader treats it.</param>
    /// <param name="description">What the target reads.</param>
    /// <param name="read">Reads the file at the given path.</param>
    public FileReaderTarget(string name, string fileName, string description, Action<string> read)
    {
        _name = name;
        _fileName = fileName;
        _description = description;
        _read = read;
    }

    /// <inheritdoc />
    public override string Name => _name;

    /// <inheritdoc />
    public override string Description => _description;

    /// <inheritdoc />
    public override void Run(byte[] input)
    {
        string path = Path.Combine(Scratch.Fresh(Name), _fileName);
        File.WriteAllBytes(path, input);
        _read(path);
    }

    /// <inheritdoc />
    public override bool IsDocumented(Exception exception) =>
        exception.GetType() == typeof(InvalidDataException) || exception.GetType() == typeof(NotSupportedException);
}
