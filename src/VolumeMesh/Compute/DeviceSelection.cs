namespace VolumeMesh.Compute;

/// <summary>The device chosen for a request, and why.</summary>
/// <param name="Device">The device.</param>
/// <param name="Note">For <c>auto</c>: what was chosen and why (e.g. that no GPU exists and the managed CPU path runs); null for an explicit request.</param>
public sealed record DeviceSelection(ComputeDevice Device, string? Note);
