using System.Globalization;

namespace VolumeMesh.Dicom;

/// <summary>A DICOM data element tag: a group and an element number (PS3.5 §7.1).</summary>
/// <param name="Group">The group number.</param>
/// <param name="Element">The element number within the group.</param>
public readonly record struct DicomTag(ushort Group, ushort Element) : IComparable<DicomTag>
{
    /// <summary>The tag as one 32-bit number, group in the high half (the order tags appear in a data set).</summary>
    public uint Value => ((uint)Group << 16) | Element;

    /// <summary>Whether the tag is private (odd group number).</summary>
    public bool IsPrivate => (Group & 1) == 1;

    /// <summary>Creates a tag from its 32-bit value.</summary>
    /// <param name="value">Group in the high 16 bits, element in the low 16 bits.</param>
    /// <returns>The tag.</returns>
    public static DicomTag FromValue(uint value) => new((ushort)(value >> 16), (ushort)value);

    /// <inheritdoc/>
    public int CompareTo(DicomTag other) => Value.CompareTo(other.Value);

    /// <summary>Formats the tag as <c>(gggg,eeee)</c> in hexadecimal.</summary>
    /// <returns>The formatted tag.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"({Group:X4},{Element:X4})");
}
