using VolumeMesh.Components;
using VolumeMesh.Execution;
using VolumeMesh.Meshing;

namespace VolumeMesh.Compute;

/// <summary>The result of <see cref="IResidentMeshingStage.TryRun"/>.</summary>
/// <param name="Mesh">The mesh in patient millimetres.</param>
/// <param name="Components">Every component's statistics (empty when none were labelled).</param>
/// <param name="Kept">The kept labels.</param>
/// <param name="Stages">Each stage with its device and time.</param>
public sealed record ResidentMeshingResult(Mesh Mesh, IReadOnlyList<ComponentStatistics> Components, IReadOnlyList<int> Kept, IReadOnlyList<StageReport> Stages);
