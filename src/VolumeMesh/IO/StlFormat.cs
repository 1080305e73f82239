namespace VolumeMesh.IO;

/// <summary>The two encodings of an STL file.</summary>
public enum StlFormat
{
    /// <summary>Binary STL: an 80-byte header, a triangle count and 50 bytes per triangle (little-endian float32).</summary>
    Binary,

    /// <summary>ASCII STL: <c>solid … facet normal … outer loop … vertex … endsolid</c>.</summary>
    Ascii,
}
