using VolumeMesh.IO;

namespace VolumeMesh.Labels;

/// <summary>One entry of a label table: a label map's voxel value, the structure's name and its display colour.</summary>
/// <param name="Id">The voxel value (0 is background and never a structure).</param>
/// <param name="Name">The structure's name, e.g. <c>vertebrae_L1</c>.</param>
/// <param name="Color">The colour of the structure's part.</param>
public sealed record LabelInfo(int Id, string Name, PartColor Color)
{
    /// <summary>The name used when no table names a label: <c>label_&lt;id&gt;</c>.</summary>
    /// <param name="id">The label id.</param>
    /// <returns>The default name.</returns>
    public static string DefaultName(int id) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"label_{id}");
}
