using VolumeMesh.Dicom;

namespace VolumeMesh.Fuzz.Targets;

/// <summary>A whole Part 10 file: parse, slice geometry, then decode up to four frames in whatever transfer syntax it names.</summary>
internal sealed class DicomTarget : FuzzTarget
{
    private const int MaxFrames = 4;

    /// <inheritdoc />
    public override string Name => "dicom";

    /// <inheritdoc />
    public override string Description => "DICOM Part 10 parse, slice geometry and pixel decode (any transfer syntax)";

    /// <inheritdoc />
    public override void Run(byte[] input)
    {
        DicomFile header = DicomFile.Parse(input, "fuzz.dcm", headerOnly: true);
        DicomDirectoryScanner.ReadSlices(header);
        DicomFile file = DicomFile.Parse(input, "fuzz.dcm");
        if (!file.HasPixelData)
        {
            return;
        }

        DicomPixelData pixels = file.GetPixelData();
        int frames = Math.Min(pixels.NumberOfFrames, MaxFrames);
        for (int f = 0; f < frames; f++)
        {
            pixels.DecodeFrameValues(f);
        }
    }
}
