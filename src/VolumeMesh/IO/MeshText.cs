using System.Globalization;
using System.Numerics;

namespace VolumeMesh.IO;

/// <summary>Culture-invariant number text shared by the text writers, and the LPS ↔ RAS conversion.</summary>
internal static class MeshText
{
    /// <summary>Characters enough for any float in round-trip form or any int.</summary>
    public const int NumberChars = 32;

    /// <summary>Writes the shortest text that parses back to the same float ("R", invariant culture).</summary>
    public static void Write(TextWriter writer, float value, Span<char> scratch)
    {
        value.TryFormat(scratch, out int written, "R", CultureInfo.InvariantCulture);
        writer.Write(scratch[..written]);
    }

    /// <summary>Writes an integer in invariant digits.</summary>
    public static void Write(TextWriter writer, int value, Span<char> scratch)
    {
        value.TryFormat(scratch, out int written, default, CultureInfo.InvariantCulture);
        writer.Write(scratch[..written]);
    }

    /// <summary>Writes three floats separated by single spaces.</summary>
    public static void WriteTriple(TextWriter writer, Vector3 p, Span<char> scratch)
    {
        Write(writer, p.X, scratch);
        writer.Write(' ');
        Write(writer, p.Y, scratch);
        writer.Write(' ');
        Write(writer, p.Z, scratch);
    }

    /// <summary>A position or direction in LPS converted to <paramref name="space"/> (RAS negates x and y; its own inverse).</summary>
    public static Vector3 ToSpace(Vector3 p, CoordinateSpace space) => space == CoordinateSpace.Ras ? new Vector3(-p.X, -p.Y, p.Z) : p;

    /// <summary>The tag the text formats state their space with: <c>SPACE=LPS</c> or <c>SPACE=RAS</c> (3D Slicer's notation).</summary>
    public static string SpaceTag(CoordinateSpace space) => space == CoordinateSpace.Ras ? "SPACE=RAS" : "SPACE=LPS";

    /// <summary>The space a comment or header declares with <c>SPACE=…</c>, or null.</summary>
    public static CoordinateSpace? SpaceOf(string text)
    {
        if (text.Contains("SPACE=RAS", StringComparison.OrdinalIgnoreCase))
        {
            return CoordinateSpace.Ras;
        }

        return text.Contains("SPACE=LPS", StringComparison.OrdinalIgnoreCase) ? CoordinateSpace.Lps : null;
    }
}
