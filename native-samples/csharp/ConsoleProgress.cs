using VolumeMesh.Pipeline;

namespace VolumeMesh.Sample;

/// <summary>Prints each pipeline stage when it starts and every further quarter of it, on the calling thread.</summary>
internal sealed class ConsoleProgress : IProgress<PipelineProgress>
{
    private string? _stage;
    private double _next;

    /// <inheritdoc/>
    public void Report(PipelineProgress value)
    {
        if (value.Stage != _stage)
        {
            _stage = value.Stage;
            _next = 0;
        }

        if (value.Fraction >= _next)
        {
            Console.WriteLine($"  {value.Stage,-8} {value.Fraction,4:P0}");
            _next = Math.Floor(value.Fraction * 4 + 1) / 4;
        }
    }
}
