namespace VolumeMesh.Execution;

/// <summary>One stage of a pipeline run: what ran, on which device, for how long.</summary>
/// <param name="Stage">The stage (<c>threshold</c>, <c>open</c>, <c>close</c>, <c>label</c>, <c>select</c>, <c>fill holes</c>, <c>mesh</c>, <c>clean</c>, <c>smooth</c>, <c>decimate</c>, <c>report</c>).</param>
/// <param name="Device">The device id that ran it (<c>cpu</c>, <c>ilgpu-cpu</c>, <c>cuda:0</c>, …).</param>
/// <param name="Time">Its wall-clock time.</param>
/// <param name="Note">Null, or why the stage ran on a different device than the context's (it never changes silently).</param>
public sealed record StageReport(string Stage, string Device, TimeSpan Time, string? Note = null);
