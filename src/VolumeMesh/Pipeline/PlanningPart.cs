using VolumeMesh.IO;
using VolumeMesh.Meshing;

namespace VolumeMesh.Pipeline;

/// <summary>One part of a planning model with its report.</summary>
/// <param name="Part">The named, coloured mesh.</param>
/// <param name="Kind">What it is: <c>bone</c>, <c>implant</c>, <c>trajectory</c> or <c>landmark</c>.</param>
/// <param name="Report">The mesh report (closed, manifold, volume…).</param>
public sealed record PlanningPart(MeshPart Part, string Kind, MeshReport Report)
{
    /// <summary>The part's name.</summary>
    public string Name => Part.Name;

    /// <summary>The part's mesh.</summary>
    public Mesh Mesh => Part.Mesh;
}
