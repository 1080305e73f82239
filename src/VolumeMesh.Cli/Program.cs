using System.CommandLine;
using System.CommandLine.Help;
using System.Text.Json;

namespace VolumeMesh.Cli;

/// <summary>Entry point of the <c>volumemesh</c> tool.</summary>
internal static class Program
{
    /// <summary>Exit code for success.</summary>
    public const int Success = 0;

    /// <summary>Exit code when the work ran but failed (a mesh that is not watertight, a write error).</summary>
    public const int Failure = 1;

    /// <summary>Exit code for bad arguments or bad input.</summary>
    public const int BadInput = 2;

    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the tool in-process.</summary>
    /// <param name="args">The arguments (without the program name).</param>
    /// <param name="stdout">Standard output (results, <c>--json</c>).</param>
    /// <param name="stderr">Standard error (progress, summary, errors).</param>
    /// <returns>The exit code: 0 success, 1 failure (e.g. not watertight), 2 bad arguments or input.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        // A plain command named like the installed tool (a RootCommand takes the name of the host executable, which is
        // VolumeMesh.Cli under 'dotnet run'), with the help and version options a RootCommand would add.
        var root = new Command("volumemesh", "CT volume to watertight, printable mesh in patient millimetres (LPS).")
        {
            new HelpOption(),
            new VersionOption(),
            MeshCommand.Create(stdout, stderr),
            ValidateCommand.Create(stdout, stderr),
            CombineCommand.Create(stdout, stderr),
            PhantomCommand.Create(stdout, stderr),
            InfoCommand.Create(stdout, stderr),
            ConvertCommand.Create(stdout, stderr),
            DevicesCommand.Create(stdout, stderr),
            FitCommands.CreateSphere(stdout, stderr),
            FitCommands.CreateCup(stdout, stderr),
        };

        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (System.CommandLine.Parsing.ParseError error in parse.Errors)
            {
                stderr.WriteLine($"volumemesh: error: {error.Message}");
            }

            stderr.WriteLine("Run 'volumemesh --help' or 'volumemesh <command> --help' for usage.");
            return BadInput;
        }

        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
    }

    /// <summary>Runs a command body, turning the exceptions a user can cause into one line on standard error and an exit code.</summary>
    /// <param name="stderr">Where errors go.</param>
    /// <param name="body">The command.</param>
    /// <returns>The body's exit code, or 2 for bad input, 1 for other failures.</returns>
    public static int Guard(TextWriter stderr, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is UserInputException or Compute.ComputeDeviceException or InvalidDataException or NotSupportedException or FileNotFoundException
            or DirectoryNotFoundException or JsonException or ArgumentException or Dicom.DicomFormatException)
        {
            stderr.WriteLine($"volumemesh: error: {e.Message}");
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("volumemesh: cancelled.");
            return Failure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"volumemesh: error: {e.Message}");
            return Failure;
        }
    }
}
