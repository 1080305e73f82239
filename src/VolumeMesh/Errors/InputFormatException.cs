namespace VolumeMesh;

/// <summary>An input file is unreadable or of a kind VolumeMesh does not support: truncated, corrupt, colour or
/// palette pixels, an unknown transfer syntax. Names the file when known.</summary>
/// <remarks><c>VolumeMesh.Dicom.DicomFormatException</c> derives from this type and adds the byte offset and tag.</remarks>
public class InputFormatException : VolumeMeshException
{
    /// <summary>Creates the exception.</summary>
    public InputFormatException()
        : base("The input cannot be read.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public InputFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public InputFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception naming the file.</summary>
    /// <param name="message">What is wrong (the file is not repeated in it).</param>
    /// <param name="filePath">The file that cannot be read.</param>
    /// <param name="innerException">The cause, if any.</param>
    public InputFormatException(string message, string? filePath, Exception? innerException)
        : base(filePath is null ? message : $"{filePath}: {message}", innerException)
    {
        FilePath = filePath;
    }

    /// <summary>The file that cannot be read, when known.</summary>
    public string? FilePath { get; protected init; }
}
