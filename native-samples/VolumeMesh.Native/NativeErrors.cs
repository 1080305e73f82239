using System.Text;
using System.Text.Json;
using VolumeMesh.Compute;
using VolumeMesh.Dicom;

namespace VolumeMesh.Native;

/// <summary>
/// The codes the exports return: the <c>volumemesh</c> CLI's exit-code numbers (0 ok, 2 bad arguments, 3 input
/// unreadable or unsupported, 4 nothing to mesh, 5 output not writable, 130 cancelled), and 1 for a failure no input
/// explains (a bug; the message names the exception type).
/// </summary>
public static class NativeErrors
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>An unexpected failure (a bug in the library).</summary>
    public const int Internal = 1;

    /// <summary>Bad arguments: a null pointer, a malformed options JSON, an unknown option or preset, a bad size.</summary>
    public const int Usage = 2;

    /// <summary>The input is missing, unreadable or unsupported.</summary>
    public const int BadInput = 3;

    /// <summary>Nothing to mesh: no voxel is inside.</summary>
    public const int NothingToMesh = 4;

    /// <summary>The output could not be written.</summary>
    public const int OutputFailed = 5;

    /// <summary>Cancelled.</summary>
    public const int Cancelled = 130;

    /// <summary>The code of an exception, as the CLI maps it.</summary>
    /// <param name="error">The exception.</param>
    /// <returns>The code.</returns>
    public static int Of(Exception error) => error switch
    {
        OperationCanceledException => Cancelled,
        ArgumentException or ComputeDeviceException => Usage,
        NothingToMeshException => NothingToMesh,
        OutputWriteException => OutputFailed,
        InputFormatException or InvalidDataException or NotSupportedException or JsonException or DicomFormatException => BadInput,
        FileNotFoundException or DirectoryNotFoundException => BadInput,
        VolumeMeshException => BadInput,
        IOException or UnauthorizedAccessException => OutputFailed,
        _ => Internal,
    };

    /// <summary>The one-line message of an exception (with its type when it is a bug).</summary>
    /// <param name="error">The exception.</param>
    /// <returns>The message.</returns>
    public static string Message(Exception error)
    {
        string message = error.Message.ReplaceLineEndings(" ");
        return Of(error) == Internal ? $"{error.GetType().FullName}: {message}" : message;
    }

    /// <summary>A NUL-terminated UTF-8 copy in native memory, released by <see cref="Exports.FreeString"/>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The copy.</returns>
    public static unsafe byte* ToNative(string text)
    {
        int length = Encoding.UTF8.GetByteCount(text);
        byte* result = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)length + 1);
        Encoding.UTF8.GetBytes(text, new Span<byte>(result, length));
        result[length] = 0;
        return result;
    }
}
