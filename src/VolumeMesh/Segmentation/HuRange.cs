using System.Globalization;

namespace VolumeMesh.Segmentation;

/// <summary>An inclusive range of voxel values, [<see cref="Low"/>, <see cref="High"/>], in Hounsfield units for CT.</summary>
/// <remarks>A voxel is inside when <c>Low ≤ value ≤ High</c>. Bounds are doubles so a range can be applied to any voxel type
/// without rounding surprises: an integer voxel is inside when its exact value lies in the range.</remarks>
public readonly record struct HuRange
{
    /// <summary>Creates a range.</summary>
    /// <param name="low">Lowest inside value.</param>
    /// <param name="high">Highest inside value; at least <paramref name="low"/>.</param>
    /// <exception cref="ArgumentException">A bound is NaN or <paramref name="low"/> exceeds <paramref name="high"/>.</exception>
    public HuRange(double low, double high)
    {
        if (double.IsNaN(low) || double.IsNaN(high))
        {
            throw new ArgumentException("A threshold bound is NaN.", double.IsNaN(low) ? nameof(low) : nameof(high));
        }

        if (low > high)
        {
            throw new ArgumentException(
                FormattableString.Invariant($"The threshold range is empty: low {low} is above high {high}."), nameof(low));
        }

        Low = low;
        High = high;
    }

    /// <summary>Lowest inside value (inclusive).</summary>
    public double Low { get; }

    /// <summary>Highest inside value (inclusive).</summary>
    public double High { get; }

    /// <summary>Whether a value lies in the range.</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when <c>Low ≤ value ≤ High</c>.</returns>
    public bool Contains(double value) => value >= Low && value <= High;

    /// <summary>Parses <c>LO:HI</c> (invariant culture, e.g. <c>226:3071</c> or <c>-700:225</c>).</summary>
    /// <param name="text">The text.</param>
    /// <param name="range">The range when the text is valid.</param>
    /// <returns><see langword="true"/> when the text is a valid, non-empty range.</returns>
    public static bool TryParse(string? text, out HuRange range)
    {
        range = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        // The separator is the first ':' that is not a leading sign position, so "-700:-100" parses.
        int colon = text.IndexOf(':', 1);
        if (colon < 0)
        {
            return false;
        }

        const NumberStyles style = NumberStyles.Float;
        if (!double.TryParse(text.AsSpan(0, colon), style, CultureInfo.InvariantCulture, out double low) ||
            !double.TryParse(text.AsSpan(colon + 1), style, CultureInfo.InvariantCulture, out double high) ||
            double.IsNaN(low) || double.IsNaN(high) || low > high)
        {
            return false;
        }

        range = new HuRange(low, high);
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"{Low}:{High}");
}
