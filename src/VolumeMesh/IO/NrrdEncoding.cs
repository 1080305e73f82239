namespace VolumeMesh.IO;

/// <summary>The data encodings of a NRRD file that VolumeMesh reads and writes.</summary>
public enum NrrdEncoding
{
    /// <summary><c>raw</c>: the voxels as bytes.</summary>
    Raw,

    /// <summary><c>gzip</c>: the raw bytes compressed with gzip (RFC 1952).</summary>
    Gzip,
}
