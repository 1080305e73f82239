using System.Buffers.Binary;
using VolumeMesh.Dicom;

namespace VolumeMesh.Fuzz.Targets;

/// <summary>One codec's bit stream, wrapped in a fixed DICOM header so every mutation reaches the decoder.</summary>
/// <remarks>
/// Input layout: rows (uint16 LE), columns (uint16 LE), bits stored (byte: 1…32; bits allocated is 8, 16 or 32 to hold
/// it), flags (byte: bit 0 three samples (RGB), bit 1 signed), then the compressed frame. <c>fuzz/make-seeds.py</c>
/// writes seeds in this layout from real files' first frames.
/// </remarks>
internal sealed class CodecTarget : FuzzTarget
{
    /// <summary>Bytes before the bit stream.</summary>
    public const int PrefixLength = 6;

    private readonly string _transferSyntax;

    /// <summary>A codec target.</summary>
    /// <param name="name">Target name.</param>
    /// <param name="transferSyntax">The transfer syntax UID the stream is declared in.</param>
    /// <param name="codec">The codec, for <c>--list</c>.</param>
    public CodecTarget(string name, string transferSyntax, string codec)
    {
        Name = name;
        _transferSyntax = transferSyntax;
        Description = $"pixel data decode: {codec}, transfer syntax {transferSyntax}";
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override string Dictionary => "codec";

    /// <inheritdoc />
    public override string Description { get; }

    /// <inheritdoc />
    public override void Run(byte[] input)
    {
        if (input.Length < PrefixLength)
        {
            return;
        }

        int rows = BinaryPrimitives.ReadUInt16LittleEndian(input);
        int columns = BinaryPrimitives.ReadUInt16LittleEndian(input.AsSpan(2));
        int bitsStored = Math.Clamp((int)input[4], 1, 32);
        int bitsAllocated = bitsStored <= 8 ? 8 : bitsStored <= 16 ? 16 : 32;
        bool rgb = (input[5] & 1) != 0;
        byte[] file = new DicomBuilder()
            .UShort(0x0028, 0x0002, rgb ? 3 : 1)
            .Text(0x0028, 0x0004, "CS", rgb ? "RGB" : "MONOCHROME2")
            .UShort(0x0028, 0x0010, rows)
            .UShort(0x0028, 0x0011, columns)
            .UShort(0x0028, 0x0100, bitsAllocated)
            .UShort(0x0028, 0x0101, bitsStored)
            .UShort(0x0028, 0x0102, bitsStored - 1)
            .UShort(0x0028, 0x0103, (input[5] & 2) != 0 ? 1 : 0)
            .EncapsulatedPixels(input.AsSpan(PrefixLength))
            .ToFile(_transferSyntax);
        DicomFile dicom = DicomFile.Parse(file, "fuzz.dcm");
        dicom.GetPixelData().DecodeFrame(0);
    }
}
