using System.Diagnostics;
using System.Globalization;
using VolumeMesh.Pipeline;

namespace VolumeMesh.Cli;

/// <summary>Plain, stable progress for pipes, CI and log files: one line per stage when it ends (<c>stage NAME: T s</c>),
/// nothing in between; the stage times are kept for the JSON report.</summary>
/// <remarks>Thread-safe: stages report from worker threads. Fractions are not printed, so the lines do not depend on
/// how often a stage reports.</remarks>
internal sealed class StageLog : IProgress<PipelineProgress>
{
    private readonly TextWriter? _writer;
    private readonly IProgress<PipelineProgress>? _forward;
    private readonly Lock _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(string Stage, TimeSpan Time)> _stages = new();
    private string? _current;
    private TimeSpan _started;

    /// <summary>Creates the log.</summary>
    /// <param name="writer">Where stage lines go; null to only record the times (<c>--quiet</c>, live display).</param>
    /// <param name="forward">Also receives every report (the live display), or null.</param>
    public StageLog(TextWriter? writer, IProgress<PipelineProgress>? forward = null)
    {
        _writer = writer;
        _forward = forward;
    }

    /// <summary>The stages that ended, in order, with their times.</summary>
    public IReadOnlyList<(string Stage, TimeSpan Time)> Stages
    {
        get
        {
            lock (_gate)
            {
                return _stages.ToArray();
            }
        }
    }

    /// <summary>Starts a stage the pipeline does not report itself (load, write).</summary>
    /// <param name="stage">The stage.</param>
    public void Begin(string stage) => Report(new PipelineProgress(stage, 0));

    /// <inheritdoc/>
    public void Report(PipelineProgress value)
    {
        _forward?.Report(value);
        lock (_gate)
        {
            if (string.Equals(value.Stage, _current, StringComparison.Ordinal))
            {
                return;
            }

            EndCurrent();
            _current = value.Stage;
            _started = _clock.Elapsed;
        }
    }

    /// <summary>Ends the stage running, printing its line.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            if (_current is not null)
            {
                _forward?.Report(new PipelineProgress(_current, 1));
            }

            EndCurrent();
        }
    }

    private void EndCurrent()
    {
        if (_current is null)
        {
            return;
        }

        TimeSpan time = _clock.Elapsed - _started;
        _stages.Add((_current, time));
        _writer?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stage {_current}: {CliOutput.Seconds(time)}"));
        _current = null;
    }
}
