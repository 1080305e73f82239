using VolumeMesh.Dicom;

namespace VolumeMesh.Fuzz.Targets;

/// <summary>A DICOMDIR scanned with the folder it describes (one small image at <c>IMAGES/IM1</c> for its references).</summary>
internal sealed class DicomDirTarget : FuzzTarget
{
    private static readonly Lazy<byte[]> s_image = new(() => new DicomBuilder()
        .Text(0x0008, 0x0060, "CS", "CT")
        .Text(0x0020, 0x000E, "UI", "1.2.3.4")
        .Text(0x0020, 0x0032, "DS", "0\\0\\0")
        .Text(0x0020, 0x0037, "DS", "1\\0\\0\\0\\1\\0")
        .UShort(0x0028, 0x0002, 1)
        .Text(0x0028, 0x0004, "CS", "MONOCHROME2")
        .UShort(0x0028, 0x0010, 2)
        .UShort(0x0028, 0x0011, 2)
        .Text(0x0028, 0x0030, "DS", "1\\1")
        .UShort(0x0028, 0x0100, 16)
        .UShort(0x0028, 0x0101, 16)
        .UShort(0x0028, 0x0102, 15)
        .UShort(0x0028, 0x0103, 1)
        .NativePixels(new byte[8])
        .ToFile("1.2.840.10008.1.2.1"));

    /// <inheritdoc />
    public override string Name => "dicomdir";

    /// <inheritdoc />
    public override string Dictionary => "dicom";

    /// <inheritdoc />
    public override string Description => "DICOMDIR: directory records, Referenced File IDs, folder scan";

    /// <inheritdoc />
    public override void Run(byte[] input)
    {
        string folder = Scratch.Fresh(Name);
        Directory.CreateDirectory(Path.Combine(folder, "IMAGES"));
        File.WriteAllBytes(Path.Combine(folder, "IMAGES", "IM1"), s_image.Value);
        string dicomdir = Path.Combine(folder, "DICOMDIR");
        File.WriteAllBytes(dicomdir, input);
        DicomDirectoryScanner.Scan(dicomdir, new DicomScanOptions { MaxDegreeOfParallelism = 1 });
    }
}
