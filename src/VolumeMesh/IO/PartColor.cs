using System.Globalization;

namespace VolumeMesh.IO;

/// <summary>An sRGB colour with alpha, 8 bits per channel, as mesh formats store a part's colour.</summary>
/// <param name="R">Red, 0–255.</param>
/// <param name="G">Green, 0–255.</param>
/// <param name="B">Blue, 0–255.</param>
/// <param name="A">Alpha (opacity), 0–255; 255 is opaque.</param>
public readonly record struct PartColor(byte R, byte G, byte B, byte A = 255)
{
    /// <summary>Bone white (the default colour of a bone part).</summary>
    public static PartColor Bone { get; } = new(241, 214, 145);

    /// <summary>Metal grey (the default colour of an implant part).</summary>
    public static PartColor Metal { get; } = new(170, 176, 186);

    /// <summary>The colour as <c>#RRGGBB</c> or, when not opaque, <c>#RRGGBBAA</c> (the 3MF and CSS notation).</summary>
    /// <returns>The hexadecimal notation, upper case.</returns>
    public string ToHex() => A == 255
        ? string.Create(CultureInfo.InvariantCulture, $"#{R:X2}{G:X2}{B:X2}")
        : string.Create(CultureInfo.InvariantCulture, $"#{R:X2}{G:X2}{B:X2}{A:X2}");

    /// <summary>Parses <c>#RRGGBB</c> or <c>#RRGGBBAA</c> (the leading <c>#</c> optional, case ignored).</summary>
    /// <param name="text">The text.</param>
    /// <param name="color">The colour when the text is valid.</param>
    /// <returns>Whether the text is a colour.</returns>
    public static bool TryParseHex(string? text, out PartColor color)
    {
        color = default;
        if (text is null)
        {
            return false;
        }

        ReadOnlySpan<char> span = text.AsSpan().Trim();
        if (span.StartsWith("#"))
        {
            span = span[1..];
        }

        if ((span.Length != 6 && span.Length != 8) || !uint.TryParse(span, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint value))
        {
            return false;
        }

        if (span.Length == 6)
        {
            value = (value << 8) | 0xFF;
        }

        color = new PartColor((byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value);
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => ToHex();
}
