using System.Text.Json;
using VolumeMesh.Compute;

namespace VolumeMesh.Cli;

/// <summary>The exit codes of <c>volumemesh</c>, and the one place that maps an exception to its code and its line.</summary>
/// <remarks>0 success; 1 <c>validate</c> found a part not watertight; 2 usage error; 3 input unreadable or unsupported;
/// 4 nothing to mesh; 5 output could not be written; 6 <c>--require-watertight</c> and the mesh is not closed and
/// manifold; 130 cancelled (Ctrl+C).</remarks>
internal static class ExitCodes
{
    /// <summary>The work succeeded.</summary>
    public const int Success = 0;

    /// <summary><c>validate</c>: a part is not watertight.</summary>
    public const int NotWatertight = 1;

    /// <summary>Bad arguments: an unknown option or preset, a malformed value, a device that does not exist.</summary>
    public const int Usage = 2;

    /// <summary>The input is missing, unreadable or unsupported (the file is named, and the tag or offset where known).</summary>
    public const int BadInput = 3;

    /// <summary>Nothing to mesh: no voxel in the range, no such series, an empty mesh.</summary>
    public const int NothingToMesh = 4;

    /// <summary>An output could not be written.</summary>
    public const int OutputFailed = 5;

    /// <summary><c>--require-watertight</c> was given and the mesh is not closed and manifold.</summary>
    public const int RequireWatertightFailed = 6;

    /// <summary>Cancelled by Ctrl+C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;

    /// <summary>The text of <c>--help</c> that documents the codes.</summary>
    public const string HelpText =
        "Exit codes: 0 success; 1 validate: not watertight; 2 usage error; 3 input unreadable or unsupported; "
        + "4 nothing to mesh; 5 output not writable; 6 --require-watertight failed; 130 cancelled.";

    /// <summary>The exit code of an exception, or null when it is not one a user can cause (a bug: let it surface).</summary>
    /// <param name="error">The exception.</param>
    /// <returns>The code.</returns>
    public static int? Of(Exception error) => error switch
    {
        OperationCanceledException => Cancelled,
        UserInputException or ArgumentException => Usage,
        ComputeDeviceException => Usage,
        NothingToMeshException => NothingToMesh,
        OutputWriteException => OutputFailed,
        InputFormatException or InvalidDataException or NotSupportedException or JsonException => BadInput,
        FileNotFoundException or DirectoryNotFoundException => BadInput,
        VolumeMeshException => BadInput,
        IOException or UnauthorizedAccessException => OutputFailed,
        _ => null,
    };

    /// <summary>The one line printed for an exception: what went wrong, which file, what to do.</summary>
    /// <param name="error">The exception.</param>
    /// <param name="verbose">Add the exception type and the chain of causes.</param>
    /// <returns>The line (several when verbose).</returns>
    public static string Line(Exception error, bool verbose)
    {
        if (error is OperationCanceledException)
        {
            return "volumemesh: cancelled; no partial output was left.";
        }

        string message = OneLine(error.Message);
        if (error is ComputeDeviceException)
        {
            message += " Run 'volumemesh devices' to list them.";
        }

        if (!verbose)
        {
            return $"volumemesh: error: {message}";
        }

        var text = new System.Text.StringBuilder($"volumemesh: error: {message}");
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            text.Append(Environment.NewLine).Append("  ").Append(e.GetType().FullName).Append(": ").Append(OneLine(e.Message));
        }

        return text.ToString();
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
