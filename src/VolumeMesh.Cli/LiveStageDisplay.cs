using Spectre.Console;
using VolumeMesh.Pipeline;

namespace VolumeMesh.Cli;

/// <summary>The live progress display on a terminal (Spectre.Console): one line per stage with its bar and time.</summary>
/// <remarks>Used only when standard error is a terminal; pipes, CI and log files get <see cref="StageLog"/>'s plain lines.</remarks>
internal static class LiveStageDisplay
{
    /// <summary>Whether the live display applies: standard error is the process's own and a terminal.</summary>
    /// <param name="stderr">The writer the command prints to.</param>
    /// <returns>True on an interactive terminal.</returns>
    public static bool Applies(TextWriter stderr) => ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected;

    /// <summary>Runs <paramref name="work"/> under a live display fed by the progress it reports.</summary>
    /// <param name="work">The work; it reports stages and fractions to the progress it is given.</param>
    /// <returns>The work's result.</returns>
    public static int Run(Func<IProgress<PipelineProgress>, int> work) =>
        Run(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }), work);

    /// <summary>Runs <paramref name="work"/> under a live display on the console given (a test renders into a text writer).</summary>
    /// <param name="console">The console to draw on.</param>
    /// <param name="work">The work; it reports stages and fractions to the progress it is given.</param>
    /// <returns>The work's result.</returns>
    public static int Run(IAnsiConsole console, Func<IProgress<PipelineProgress>, int> work)
    {
        return console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context => work(new Reporter(context)));
    }

    private sealed class Reporter(ProgressContext context) : IProgress<PipelineProgress>
    {
        private readonly Lock _gate = new();
        private ProgressTask? _task;
        private string? _stage;

        public void Report(PipelineProgress value)
        {
            lock (_gate)
            {
                if (!string.Equals(value.Stage, _stage, StringComparison.Ordinal))
                {
                    if (_task is { StopTime: null })
                    {
                        // Stopping again would move the stop time (and the time shown) to now.
                        _task.Value(100);
                        _task.StopTask();
                    }

                    _stage = value.Stage;
                    _task = context.AddTask(value.Stage, maxValue: 100);
                }

                ProgressTask task = _task!;
                task.Value(Math.Clamp(value.Fraction, 0, 1) * 100);
                if (value.Fraction >= 1 && task.StopTime is null)
                {
                    // A finished stage stops its clock now, not when the next stage first reports: the time shown is the
                    // stage's own, as in the plain lines and the report.
                    task.StopTask();
                }
            }
        }
    }
}
