namespace VolumeMesh.Compute;

/// <summary>A compute device was not found, could not be started, or failed while running a kernel.</summary>
/// <remarks>The message names the device (or the request) and, when no device matched, lists the devices that exist.</remarks>
public sealed class ComputeDeviceException : VolumeMeshException
{
    /// <summary>Creates the exception.</summary>
    public ComputeDeviceException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong, naming the device.</param>
    public ComputeDeviceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong, naming the device.</param>
    /// <param name="innerException">The driver's or ILGPU's exception.</param>
    public ComputeDeviceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The device requested or used (an identifier such as <c>cuda:0</c>, or the name that was asked for).</summary>
    public string? Device { get; init; }
}
