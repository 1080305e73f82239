using VolumeMesh.Components;
using VolumeMesh.Volumes;

namespace VolumeMesh.Compute;

/// <summary>The result of <see cref="IComponentsStage.Select"/>.</summary>
/// <param name="Mask">The voxels of the kept components.</param>
/// <param name="Components">Every component's statistics, by label.</param>
/// <param name="Kept">The kept labels.</param>
public sealed record SelectedComponents(Mask Mask, IReadOnlyList<ComponentStatistics> Components, IReadOnlyList<int> Kept);
