namespace VolumeMesh.Pipeline;

/// <summary>Progress of <see cref="VolumeMeshPipeline"/>: the stage running and the fraction of it done.</summary>
/// <param name="Stage">The stage: <c>mesh</c>, <c>report</c> or <c>write</c>.</param>
/// <param name="Fraction">Fraction of the stage done, 0 to 1.</param>
public readonly record struct PipelineProgress(string Stage, double Fraction);
