using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using VolumeMesh.Geometry;
using VolumeMesh.Meshing;

namespace VolumeMesh.IO;

/// <summary>JSON for <see cref="MeshReport"/> (System.Text.Json, source-generated): camelCase names, every property including
/// <c>isClosed</c> and <c>isWatertight</c>, bounds as <c>[x, y, z]</c> arrays in patient LPS millimetres.</summary>
public static class MeshReportJson
{
    /// <summary>Serialises a report.</summary>
    /// <param name="report">The report.</param>
    /// <param name="indented">Whether to indent (default) or write one line.</param>
    /// <returns>The JSON text.</returns>
    public static string Serialize(MeshReport report, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(report);
        return JsonSerializer.Serialize(report, indented ? MeshReportJsonContext.Default.MeshReport : MeshReportJsonContext.Compact.MeshReport);
    }

    /// <summary>Parses a report written by <see cref="Serialize"/> (the derived <c>isClosed</c>/<c>isWatertight</c> are recomputed).</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The report.</returns>
    /// <exception cref="JsonException">The text is not a report.</exception>
    public static MeshReport Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize(json, MeshReportJsonContext.Default.MeshReport)
            ?? throw new JsonException("The JSON text is null, not a mesh report.");
    }

    /// <summary>Writes a report to a file (indented, UTF-8, through <see cref="AtomicFile"/>).</summary>
    /// <param name="report">The report.</param>
    /// <param name="path">The file.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(MeshReport report, string path)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(Serialize(report) + "\n");
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }
}

/// <summary>Writes <see cref="Vector3D"/> as a JSON array <c>[x, y, z]</c>.</summary>
internal sealed class Vector3DArrayConverter : JsonConverter<Vector3D>
{
    public override Vector3D Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("A point must be an array [x, y, z].");
        }

        Span<double> values = stackalloc double[3];
        for (int a = 0; a < 3; a++)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.Number)
            {
                throw new JsonException("A point must hold three numbers.");
            }

            values[a] = reader.GetDouble();
        }

        if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray)
        {
            throw new JsonException("A point must hold exactly three numbers.");
        }

        return new Vector3D(values[0], values[1], values[2]);
    }

    public override void Write(Utf8JsonWriter writer, Vector3D value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(value.X);
        writer.WriteNumberValue(value.Y);
        writer.WriteNumberValue(value.Z);
        writer.WriteEndArray();
    }
}

/// <summary>Source-generated serialisation metadata for <see cref="MeshReport"/>.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    Converters = [typeof(Vector3DArrayConverter)])]
[JsonSerializable(typeof(MeshReport))]
internal sealed partial class MeshReportJsonContext : JsonSerializerContext
{
    private static MeshReportJsonContext? s_compact;

    /// <summary>The same metadata without indentation.</summary>
    public static MeshReportJsonContext Compact => s_compact ??= new MeshReportJsonContext(new JsonSerializerOptions(Default.Options) { WriteIndented = false });
}
