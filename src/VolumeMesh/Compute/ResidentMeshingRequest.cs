using VolumeMesh.Components;
using VolumeMesh.Segmentation;

namespace VolumeMesh.Compute;

/// <summary>What <see cref="IResidentMeshingStage.TryRun"/> does, in the pipeline's order.</summary>
/// <param name="Range">The inside range (threshold and the meshing levels).</param>
/// <param name="OpenMm">Opening radius in mm; none when null.</param>
/// <param name="CloseMm">Closing radius in mm; none when null.</param>
/// <param name="Keep">The components to keep; none labelled when null.</param>
/// <param name="Connectivity">The labelling connectivity.</param>
/// <param name="FillHoles">Fill enclosed cavities (with <see cref="HoleFillingOptions.Default"/>).</param>
public sealed record ResidentMeshingRequest(HuRange Range, double? OpenMm, double? CloseMm, ComponentSelection? Keep, Connectivity Connectivity, bool FillHoles);
