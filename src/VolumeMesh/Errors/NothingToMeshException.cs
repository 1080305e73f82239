namespace VolumeMesh;

/// <summary>There is nothing to mesh: no voxel in the range, no component kept, no such series, or a mesh file
/// without triangles.</summary>
public sealed class NothingToMeshException : VolumeMeshException
{
    /// <summary>Creates the exception.</summary>
    public NothingToMeshException()
        : base("There is nothing to mesh.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is empty, and what to try.</param>
    public NothingToMeshException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What is empty.</param>
    /// <param name="innerException">The cause.</param>
    public NothingToMeshException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
