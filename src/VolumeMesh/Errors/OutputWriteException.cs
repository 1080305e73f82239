namespace VolumeMesh;

/// <summary>An output file could not be written: the path is a folder, the folder is read-only, the disk is full.
/// Names the file the caller asked for, never a temporary file.</summary>
public sealed class OutputWriteException : VolumeMeshException
{
    /// <summary>Creates the exception.</summary>
    public OutputWriteException()
        : base("The output cannot be written.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public OutputWriteException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public OutputWriteException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception naming the file.</summary>
    /// <param name="message">Why the file cannot be written (the file is not repeated in it).</param>
    /// <param name="filePath">The output file the caller asked for.</param>
    /// <param name="innerException">The cause, if any.</param>
    public OutputWriteException(string message, string filePath, Exception? innerException)
        : base($"cannot write '{filePath}': {message}", innerException)
    {
        FilePath = filePath;
    }

    /// <summary>The output file, when known.</summary>
    public string? FilePath { get; }
}
