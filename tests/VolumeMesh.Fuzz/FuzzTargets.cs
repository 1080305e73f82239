using VolumeMesh.Fuzz.Targets;
using VolumeMesh.IO;

namespace VolumeMesh.Fuzz;

/// <summary>Every fuzz target; one line each.</summary>
public static class FuzzTargets
{
    /// <summary>The targets, in the order <c>--list</c> prints and CI runs them.</summary>
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new DicomTarget(),
        new CodecTarget("rle", "1.2.840.10008.1.2.5", "RLE Lossless"),
        new CodecTarget("jpegll", "1.2.840.10008.1.2.4.70", "JPEG lossless SV1 (our decoder)"),
        new CodecTarget("jpeg", "1.2.840.10008.1.2.4.51", "JPEG baseline/extended (JpegLibrary)"),
        new CodecTarget("jpegls", "1.2.840.10008.1.2.4.80", "JPEG-LS (CharLS)"),
        new CodecTarget("j2k", "1.2.840.10008.1.2.4.90", "JPEG 2000 (OpenJPEG)"),
        new DicomDirTarget(),
        new SeriesTarget(),
        new NrrdTarget(),
        new StlTarget(),
        new FileReaderTarget("nifti", "fuzz.nii", "NIfTI-1/2 reader (header, sform/qform geometry, data types, scaling)", path => NiftiReader.Read(path)),
        new FileReaderTarget("3mf", "fuzz.3mf", "3MF reader (OPC zip, model XML, units, build transforms, colours)", path => ThreeMfReader.Read(path)),
        new FileReaderTarget("glb", "fuzz.glb", "GLB reader (binary glTF through SharpGLTF, accessors, nodes)", path => GltfReader.Read(path)),
        new FileReaderTarget("ply", "fuzz.ply", "PLY reader (ASCII and binary little-endian)", path => PlyReader.Read(path)),
        new FileReaderTarget("obj", "fuzz.obj", "OBJ reader", path => ObjReader.Read(path)),
        new SegTarget(),
    ];

    /// <summary>The target named <paramref name="name"/>, or null.</summary>
    /// <param name="name">A target name.</param>
    /// <returns>The target, or null when there is none of that name.</returns>
    public static FuzzTarget? Find(string name)
    {
        foreach (FuzzTarget target in All)
        {
            if (string.Equals(target.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return target;
            }
        }

        return null;
    }
}
