namespace VolumeMesh.Dicom;

/// <summary>A file is not valid DICOM (an <see cref="InputFormatException"/>): truncated, corrupt or inconsistent. Names the file, the byte offset and the tag where known.</summary>
public sealed class DicomFormatException : InputFormatException
{
    private readonly string _bareMessage;

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="filePath">The file, when known.</param>
    /// <param name="offset">The byte offset in the (decoded) data set, or -1.</param>
    /// <param name="tag">The tag being read, when known.</param>
    /// <param name="innerException">The underlying cause, if any.</param>
    public DicomFormatException(string message, string? filePath = null, long offset = -1, DicomTag? tag = null, Exception? innerException = null)
        : base(Compose(message, filePath, offset, tag), innerException)
    {
        _bareMessage = message;
        FilePath = filePath;
        Offset = offset;
        Tag = tag;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public DicomFormatException()
        : this("Invalid DICOM data.")
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    /// <param name="message">What is wrong.</param>
    public DicomFormatException(string message)
        : this(message, null, -1, null, null)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public DicomFormatException(string message, Exception innerException)
        : this(message, null, -1, null, innerException)
    {
    }

    /// <summary>The byte offset where the problem was found, or -1.</summary>
    public long Offset { get; }

    /// <summary>The tag being read when the problem was found, when known.</summary>
    public DicomTag? Tag { get; }

    /// <summary>The message without the file, offset and tag decoration.</summary>
    internal string BareMessage => _bareMessage;

    private static string Compose(string message, string? filePath, long offset, DicomTag? tag)
    {
        string where = string.Empty;
        if (filePath is not null)
        {
            where += $"{filePath}: ";
        }

        if (tag is not null)
        {
            where += $"tag {tag}: ";
        }

        if (offset >= 0)
        {
            where += $"offset {offset}: ";
        }

        return where + message;
    }
}
