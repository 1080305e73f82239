namespace VolumeMesh;

/// <summary>The base of every error VolumeMesh reports on purpose: bad or unsupported input, nothing to mesh, an output
/// that cannot be written, a compute device that failed.</summary>
/// <remarks>Catch this type to handle every documented failure in one place; the subtypes say what went wrong
/// (<see cref="InputFormatException"/>, <see cref="NothingToMeshException"/>, <see cref="OutputWriteException"/>,
/// <see cref="Compute.ComputeDeviceException"/>). The message is one line that a user can act on.</remarks>
public class VolumeMeshException : Exception
{
    /// <summary>Creates the exception.</summary>
    public VolumeMeshException()
        : base("VolumeMesh failed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public VolumeMeshException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public VolumeMeshException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
