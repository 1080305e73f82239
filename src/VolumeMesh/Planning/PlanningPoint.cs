using System.Globalization;
using VolumeMesh.Geometry;

namespace VolumeMesh.Planning;

/// <summary>Parses the patient points of the planning options: <c>X,Y,Z</c> in mm, invariant culture.</summary>
public static class PlanningPoint
{
    /// <summary>Parses <c>X,Y,Z</c>.</summary>
    /// <param name="text">The text, e.g. <c>-12.5,30,101</c>.</param>
    /// <param name="point">The point when valid.</param>
    /// <returns>Whether the text holds three finite numbers separated by commas.</returns>
    public static bool TryParse(string? text, out Vector3D point)
    {
        point = default;
        string[] parts = (text ?? string.Empty).Split(',');
        if (parts.Length != 3)
        {
            return false;
        }

        Span<double> values = stackalloc double[3];
        for (int a = 0; a < 3; a++)
        {
            if (!double.TryParse(parts[a].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out values[a]) || !double.IsFinite(values[a]))
            {
                return false;
            }
        }

        point = new Vector3D(values[0], values[1], values[2]);
        return true;
    }
}
