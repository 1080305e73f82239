using VolumeMesh.IO;
using VolumeMesh.Pipeline;

namespace VolumeMesh.Cli;

/// <summary>Turns the <c>input</c> argument of <c>volumemesh mesh</c> into a volume.</summary>
/// <remarks>The one place that knows input kinds: NRRD files (<c>.nrrd</c>, <c>.nhdr</c>) today. DICOM folders (and single
/// DICOM files) are added here, as another branch that returns <see cref="PipelineVolume.FromInt16"/> of the series in HU.</remarks>
internal static class VolumeInput
{
    /// <summary>Loads a volume.</summary>
    /// <param name="path">A file or folder.</param>
    /// <param name="cancellationToken">Cancels loading.</param>
    /// <returns>The volume.</returns>
    /// <exception cref="UserInputException">The input does not exist or is of an unknown kind.</exception>
    public static PipelineVolume Load(string path, CancellationToken cancellationToken)
    {
        if (Directory.Exists(path))
        {
            // Extension point: a DICOM folder (largest series) goes here.
            throw new UserInputException($"input '{path}' is a folder; DICOM folders are not supported yet (give a .nrrd or .nhdr file).");
        }

        if (!File.Exists(path))
        {
            throw new UserInputException($"input '{path}' does not exist.");
        }

        string extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".nrrd" or ".nhdr" => PipelineVolume.FromNrrd(NrrdReader.Read(path, cancellationToken)),
            _ => throw new UserInputException($"input '{path}': unknown volume format '{extension}' (supported: .nrrd, .nhdr)."),
        };
    }
}
