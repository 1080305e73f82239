using System.Diagnostics;
using VolumeMesh.Compute;
using VolumeMesh.Pipeline;

namespace VolumeMesh.Execution;

/// <summary>Times the stages of a run and records the device of each; a stage off the context's device gets a note saying why.</summary>
internal sealed class StageRecorder(ComputeContext context)
{
    private readonly List<StageReport> _stages = [];

    /// <summary>The stages recorded so far, in order.</summary>
    public IReadOnlyList<StageReport> Stages => _stages;

    /// <summary>Records stages timed elsewhere (a device-resident run).</summary>
    /// <param name="stages">The stages.</param>
    public void Add(IReadOnlyList<StageReport> stages) => _stages.AddRange(stages);

    /// <summary>
    /// Runs and records one stage. Its start is reported to the context's progress (fraction 0) before it runs, so that a
    /// listener timing stages by their progress (the CLI's stage lines) does not count this stage's set-up, before its own
    /// first report, to the stage before it.
    /// </summary>
    /// <typeparam name="T">The stage's result.</typeparam>
    /// <param name="stage">The stage name.</param>
    /// <param name="device">The device that runs it.</param>
    /// <param name="reason">Why it runs off the context's device, when it does; a generic reason when null.</param>
    /// <param name="work">The stage.</param>
    /// <returns>Its result.</returns>
    public T Run<T>(string stage, ComputeDevice device, string? reason, Func<T> work)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        context.Progress?.Report(new PipelineProgress(stage, 0));
        long start = Stopwatch.GetTimestamp();
        T result = work();
        TimeSpan time = Stopwatch.GetElapsedTime(start);
        string? note = device.Id == context.Device.Id
            ? null
            : reason ?? $"{stage} has no implementation on {context.Device.Id}; it ran on the managed CPU";
        _stages.Add(new StageReport(stage, device.Id, time, note));
        return result;
    }
}
