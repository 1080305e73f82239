using System.Globalization;
using System.Text.Json;
using VolumeMesh.IO;

namespace VolumeMesh.Labels;

/// <summary>Reads label tables: VolumeMesh JSON, 3D Slicer colour tables and ITK-SNAP label descriptions.</summary>
/// <remarks>
/// <para><b>JSON</b> (<c>.json</c>): an object with a <c>labels</c> array (or the array alone); each item has an integer
/// <c>id</c>, a <c>name</c> and optionally a <c>color</c>, either <c>"#RRGGBB"</c> / <c>"#RRGGBBAA"</c> or an array
/// <c>[r, g, b]</c> / <c>[r, g, b, a]</c> of 0–255 integers:</para>
/// <code>{ "labels": [ { "id": 27, "name": "vertebrae_L1", "color": "#E6C08A" }, { "id": 28, "name": "vertebrae_L2", "color": [200, 120, 90] } ] }</code>
/// <para><b>3D Slicer colour table</b> (<c>.ctbl</c>, <c>.txt</c>): one label a line, <c>id name r g b a</c> (0–255; alpha
/// optional), <c>#</c> comments. <b>ITK-SNAP label description</b> (<c>.txt</c>, <c>.label</c>): <c>id r g b a vis mesh "name"</c>
/// with alpha in [0, 1]. The text form is recognised by its quoted name. Id 0 (background) is skipped in both text forms.</para>
/// <para>Malformed input raises <see cref="InvalidDataException"/> naming the file and the line or item.</para>
/// </remarks>
public static class LabelTableReader
{
    private const long MaxTableBytes = 16 << 20;

    /// <summary>Reads a label table, the format chosen by extension (<c>.json</c>) or content (the text forms).</summary>
    /// <param name="path">The table file.</param>
    /// <returns>The table.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is malformed, too large (over 16 MiB), or repeats an id.</exception>
    public static LabelTable Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"{path}: the label table does not exist.", path);
        }

        if (info.Length > MaxTableBytes)
        {
            throw new InvalidDataException($"{path}: {info.Length} bytes is too large for a label table (at most 16 MiB).");
        }

        string text = File.ReadAllText(path);
        return string.Equals(Path.GetExtension(path), ".json", StringComparison.OrdinalIgnoreCase) || text.TrimStart().StartsWith('{') || text.TrimStart().StartsWith('[')
            ? ParseJson(text, path)
            : ParseText(text, path);
    }

    /// <summary>Parses the JSON form.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="source">The name used in error messages.</param>
    /// <returns>The table.</returns>
    /// <exception cref="InvalidDataException">The JSON is malformed or an item lacks an id or name.</exception>
    public static LabelTable ParseJson(string json, string source = "label table")
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            JsonElement root = document.RootElement;
            JsonElement array = root.ValueKind == JsonValueKind.Array
                ? root
                : root.ValueKind == JsonValueKind.Object && root.TryGetProperty("labels", out JsonElement labels) && labels.ValueKind == JsonValueKind.Array
                    ? labels
                    : throw new InvalidDataException($"{source}: expected an object with a 'labels' array, or an array of labels.");
            var entries = new List<LabelInfo>();
            int n = 0;
            foreach (JsonElement item in array.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object
                    || !item.TryGetProperty("id", out JsonElement idElement) || !idElement.TryGetInt32(out int id))
                {
                    throw new InvalidDataException($"{source}: label {n} has no integer 'id'.");
                }

                if (!item.TryGetProperty("name", out JsonElement nameElement) || nameElement.ValueKind != JsonValueKind.String
                    || string.IsNullOrWhiteSpace(nameElement.GetString()))
                {
                    throw new InvalidDataException($"{source}: label {n} (id {id}) has no 'name'.");
                }

                PartColor? color = item.TryGetProperty("color", out JsonElement colorElement) ? ParseJsonColor(colorElement, source, id) : null;
                string name = nameElement.GetString()!.Trim();
                entries.Add(new LabelInfo(id, name, color ?? LabelTable.Empty[id].Color));
                n++;
            }

            return Create(entries, source);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid JSON (line {e.LineNumber + 1}): {e.Message}", e);
        }
    }

    /// <summary>Parses the text forms (3D Slicer colour table or ITK-SNAP label description).</summary>
    /// <param name="text">The text.</param>
    /// <param name="source">The name used in error messages.</param>
    /// <returns>The table.</returns>
    /// <exception cref="InvalidDataException">A line is malformed.</exception>
    public static LabelTable ParseText(string text, string source = "label table")
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<LabelInfo>();
        string[] lines = text.Split('\n');
        for (int l = 0; l < lines.Length; l++)
        {
            string line = lines[l].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            LabelInfo entry = line.Contains('"', StringComparison.Ordinal) ? ParseItkSnapLine(line, source, l + 1) : ParseSlicerLine(line, source, l + 1);
            if (entry.Id != 0)
            {
                entries.Add(entry);
            }
        }

        return Create(entries, source);
    }

    private static LabelTable Create(List<LabelInfo> entries, string source)
    {
        try
        {
            return new LabelTable(entries);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
    }

    private static LabelInfo ParseSlicerLine(string line, string source, int number)
    {
        string[] t = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (t.Length is < 5 or > 6 || !TryInt(t[0], out int id))
        {
            throw new InvalidDataException($"{source}: line {number} '{line}' is not 'id name r g b a' (3D Slicer) or 'id r g b a vis mesh \"name\"' (ITK-SNAP).");
        }

        byte a = 255;
        if (!TryByte(t[2], out byte r) || !TryByte(t[3], out byte g) || !TryByte(t[4], out byte b) || (t.Length == 6 && !TryByte(t[5], out a)))
        {
            throw new InvalidDataException($"{source}: line {number}: the colour of label {id} must be integers 0–255.");
        }

        return new LabelInfo(id, t[1], new PartColor(r, g, b, a));
    }

    private static LabelInfo ParseItkSnapLine(string line, string source, int number)
    {
        int quote = line.IndexOf('"', StringComparison.Ordinal);
        int end = line.LastIndexOf('"');
        string[] t = line[..quote].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        string name = end > quote ? line[(quote + 1)..end].Trim() : string.Empty;
        if (t.Length < 5 || !TryInt(t[0], out int id) || name.Length == 0)
        {
            throw new InvalidDataException($"{source}: line {number} '{line}' is not an ITK-SNAP label 'id r g b a vis mesh \"name\"'.");
        }

        if (!TryByte(t[1], out byte r) || !TryByte(t[2], out byte g) || !TryByte(t[3], out byte b)
            || !double.TryParse(t[4], NumberStyles.Float, CultureInfo.InvariantCulture, out double alpha) || !(alpha >= 0 && alpha <= 1))
        {
            throw new InvalidDataException($"{source}: line {number}: label {id} needs r g b in 0–255 and alpha in [0, 1].");
        }

        return new LabelInfo(id, name, new PartColor(r, g, b, (byte)Math.Round(alpha * 255)));
    }

    private static PartColor ParseJsonColor(JsonElement element, string source, int id)
    {
        if (element.ValueKind == JsonValueKind.String && PartColor.TryParseHex(element.GetString(), out PartColor hex))
        {
            return hex;
        }

        if (element.ValueKind == JsonValueKind.Array && element.GetArrayLength() is 3 or 4)
        {
            Span<byte> c = [0, 0, 0, 255];
            int i = 0;
            foreach (JsonElement v in element.EnumerateArray())
            {
                if (!v.TryGetInt32(out int value) || value is < 0 or > 255)
                {
                    throw new InvalidDataException($"{source}: label {id}: colour components must be integers 0–255.");
                }

                c[i++] = (byte)value;
            }

            return new PartColor(c[0], c[1], c[2], c[3]);
        }

        throw new InvalidDataException($"{source}: label {id}: 'color' must be \"#RRGGBB\", \"#RRGGBBAA\" or [r, g, b(, a)].");
    }

    private static bool TryInt(string text, out int value) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    private static bool TryByte(string text, out byte value) => byte.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
}
