using VolumeMesh.Meshing;

namespace VolumeMesh.Labels;

/// <summary>The surface of one label of a label map, and which of its vertices it shares with other labels.</summary>
/// <param name="Id">The label id.</param>
/// <param name="Mesh">The closed surface, LPS millimetres.</param>
/// <param name="SharedVertices">One flag per vertex: true when the vertex lies on a face between this label and another
/// non-zero label (the other label's mesh has a vertex at exactly the same position). Processing keeps these fixed.</param>
public sealed record LabelMesh(int Id, Mesh Mesh, bool[] SharedVertices);
