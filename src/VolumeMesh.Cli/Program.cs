using System.CommandLine;
using System.CommandLine.Help;

namespace VolumeMesh.Cli;

/// <summary>Entry point of the <c>volumemesh</c> tool.</summary>
internal static class Program
{
    /// <summary>Exit code for success.</summary>
    public const int Success = ExitCodes.Success;

    /// <summary>Exit code when <c>validate</c> finds a part not watertight.</summary>
    public const int Failure = ExitCodes.NotWatertight;

    /// <summary>Exit code for bad arguments.</summary>
    public const int BadInput = ExitCodes.Usage;

    /// <summary>Set by <c>--verbose</c>: error lines add the exception types and causes.</summary>
    private static readonly AsyncLocal<bool> s_verbose = new();

    public static int Main(string[] args)
    {
        // Ctrl+C (SIGINT) cancels the run's token; the pipeline stops at its next check, partial outputs are removed
        // (writers go through a temporary file) and the tool exits 130 through Guard.
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return Run(args, Console.Out, Console.Error, cancel.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>Runs the tool in-process.</summary>
    /// <param name="args">The arguments (without the program name).</param>
    /// <param name="stdout">Standard output (results, <c>--json</c>).</param>
    /// <param name="stderr">Standard error (progress, summary, errors).</param>
    /// <param name="cancellationToken">Cancels the command (Ctrl+C in <see cref="Main"/>).</param>
    /// <returns>The exit code (<see cref="ExitCodes"/>).</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        // A plain command named like the installed tool (a RootCommand takes the name of the host executable, which is
        // VolumeMesh.Cli under 'dotnet run'), with the help and version options a RootCommand would add.
        var verbose = new Option<bool>("--verbose") { Description = "Error lines add the exception type and its causes.", Recursive = true };
        var root = new Command("volumemesh", "CT volume to watertight, printable mesh in patient millimetres (LPS). " + ExitCodes.HelpText)
        {
            new HelpOption(),
            new VersionOption(),
            verbose,
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

        // Numbers in arguments and output are invariant whatever culture calls in-process (the tool itself is built with
        // InvariantGlobalization, so LANG and LC_ALL never reach it).
        System.Globalization.CultureInfo caller = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
        try
        {
            return Invoke(root, args, verbose, stdout, stderr, cancellationToken);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = caller;
        }
    }

    private static int Invoke(Command root, string[] args, Option<bool> verbose, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
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

        s_verbose.Value = parse.GetValue(verbose);
        // System.CommandLine's own termination handling is off (it would end the process after 2 s without our cleanup).
        var configuration = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        return parse.InvokeAsync(configuration, cancellationToken).GetAwaiter().GetResult();
    }

    /// <summary>Runs a command body, turning the exceptions a user can cause into one line on standard error and the
    /// documented exit code (<see cref="ExitCodes"/>).</summary>
    /// <param name="stderr">Where errors go.</param>
    /// <param name="body">The command.</param>
    /// <returns>The body's exit code, or the code <see cref="ExitCodes.Of"/> gives the exception.</returns>
    public static int Guard(TextWriter stderr, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (ExitCodes.Of(e) is not null)
        {
            stderr.WriteLine(ExitCodes.Line(e, s_verbose.Value));
            return ExitCodes.Of(e)!.Value;
        }
    }
}
