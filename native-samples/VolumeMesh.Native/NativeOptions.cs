using System.Globalization;
using System.Text.Json;
using VolumeMesh.Components;
using VolumeMesh.IO;
using VolumeMesh.Pipeline;
using VolumeMesh.Segmentation;

namespace VolumeMesh.Native;

/// <summary>
/// The options JSON of the exports, named as the CLI's <c>mesh</c> options are: <c>preset</c> ("bone"…),
/// <c>threshold</c> ("LO:HI") or <c>iso</c> (a number), <c>keep</c> ("all", "largest" or N), <c>minVolume</c> (mm³),
/// <c>fillHoles</c>, <c>open</c> and <c>close</c> (mm), <c>smooth</c> (iterations), <c>decimate</c> (fraction removed),
/// <c>maxError</c> (mm), <c>minShellVolume</c> (mm³), <c>device</c>, <c>space</c> ("lps"/"ras"), <c>ascii</c>.
/// An unknown name or a value of the wrong kind is an <see cref="ArgumentException"/> (code 2).
/// </summary>
public static class NativeOptions
{
    /// <summary>Parses the options; null or empty text gives the defaults (the bone preset, everything kept).</summary>
    /// <param name="json">The JSON object, or null.</param>
    /// <param name="inMemoryRange">Whether the caller gives the inside range in the volume itself (then the JSON may not).</param>
    /// <returns>The pipeline options.</returns>
    /// <exception cref="ArgumentException">The JSON is malformed or names an unknown option or a bad value.</exception>
    public static VolumeMeshPipelineOptions Parse(string? json, bool inMemoryRange = false)
    {
        var options = new VolumeMeshPipelineOptions();
        if (string.IsNullOrWhiteSpace(json))
        {
            return options;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"The options are not valid JSON: {e.Message}", nameof(json), e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException("The options must be a JSON object.", nameof(json));
            }

            string? keep = null;
            double? minVolume = null;
            foreach (JsonProperty p in document.RootElement.EnumerateObject())
            {
                if (inMemoryRange && p.Name is "preset" or "threshold" or "iso")
                {
                    throw new ArgumentException($"Option '{p.Name}': an in-memory volume carries its iso value or range in vm_volume.", nameof(json));
                }

                options = p.Name switch
                {
                    "preset" => options with { Range = ThresholdPresets.TryGet(Text(p), out HuRange preset) ? preset : throw Bad(p, $"unknown preset; presets: {string.Join(", ", ThresholdPresets.Names)}") },
                    "threshold" => options with { Range = HuRange.TryParse(Text(p), out HuRange range) ? range : throw Bad(p, "not a range LO:HI with LO ≤ HI") },
                    "iso" => options with { Iso = Finite(p) },
                    "fillHoles" => options with { FillHoles = Bool(p) },
                    "open" => options with { OpenMm = Positive(p) },
                    "close" => options with { CloseMm = Positive(p) },
                    "smooth" => options with { SmoothIterations = Number(p) is double n && n >= 0 && n == Math.Floor(n) && n <= int.MaxValue ? (int)n : throw Bad(p, "not a whole number ≥ 0") },
                    "decimate" => options with { DecimateRatio = Number(p) is double r && r >= 0 && r < 1 ? r : throw Bad(p, "not a fraction in [0, 1)") },
                    "maxError" => options with { MaxErrorMm = Positive(p) },
                    "minShellVolume" => options with { MinShellVolumeMm3 = Number(p) is double v && v >= 0 && double.IsFinite(v) ? v : throw Bad(p, "not a finite number ≥ 0") },
                    "device" => options with { Device = Text(p) },
                    "space" => options with { Space = Text(p).ToLowerInvariant() switch { "lps" => CoordinateSpace.Lps, "ras" => CoordinateSpace.Ras, _ => throw Bad(p, "not lps or ras") } },
                    "ascii" => options with { StlFormat = Bool(p) ? StlFormat.Ascii : StlFormat.Binary },
                    "keep" => KeepText(p, out keep, options),
                    "minVolume" => MinVolume(p, out minVolume, options),
                    _ => throw new ArgumentException($"Unknown option '{p.Name}'.", nameof(json)),
                };
            }

            if (options.Range is not null && options.Iso is not null)
            {
                throw new ArgumentException("Give one of 'preset', 'threshold' and 'iso'.", nameof(json));
            }

            ComponentSelection? selection = keep?.ToLowerInvariant() switch
            {
                null => minVolume is null ? null : ComponentSelection.All,
                "all" => ComponentSelection.All,
                "largest" => ComponentSelection.Largest(1),
                _ when int.TryParse(keep, NumberStyles.None, CultureInfo.InvariantCulture, out int count) && count >= 1 => ComponentSelection.Largest(count),
                _ => throw new ArgumentException($"Option 'keep': '{keep}' is not all, largest or a whole number N ≥ 1.", nameof(json)),
            };
            return options with { Keep = selection is null ? null : selection with { MinimumVolumeMm3 = minVolume ?? 0 } };
        }
    }

    private static VolumeMeshPipelineOptions KeepText(JsonProperty p, out string keep, VolumeMeshPipelineOptions options)
    {
        keep = p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetRawText() : Text(p);
        return options;
    }

    private static VolumeMeshPipelineOptions MinVolume(JsonProperty p, out double? minVolume, VolumeMeshPipelineOptions options)
    {
        minVolume = Number(p) is double v && v >= 0 && double.IsFinite(v) ? v : throw Bad(p, "not a finite number ≥ 0");
        return options;
    }

    private static string Text(JsonProperty p) =>
        p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw Bad(p, "not a string");

    private static bool Bool(JsonProperty p) => p.Value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Bad(p, "not true or false"),
    };

    private static double Number(JsonProperty p) =>
        p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetDouble() : throw Bad(p, "not a number");

    private static double Finite(JsonProperty p) => Number(p) is double v && double.IsFinite(v) ? v : throw Bad(p, "not a finite number");

    private static double Positive(JsonProperty p) => Number(p) is double v && v > 0 && double.IsFinite(v) ? v : throw Bad(p, "not a positive number of mm");

    private static ArgumentException Bad(JsonProperty p, string why) =>
        new($"Option '{p.Name}' = {p.Value.GetRawText()}: {why}.", "json");
}
