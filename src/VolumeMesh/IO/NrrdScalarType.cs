namespace VolumeMesh.IO;

/// <summary>The voxel types a NRRD file can hold (its <c>type</c> field).</summary>
public enum NrrdScalarType
{
    /// <summary><c>int8</c> (signed char).</summary>
    Int8,

    /// <summary><c>uint8</c> (unsigned char).</summary>
    UInt8,

    /// <summary><c>int16</c> (short), the usual CT type.</summary>
    Int16,

    /// <summary><c>uint16</c> (unsigned short).</summary>
    UInt16,

    /// <summary><c>int32</c> (int).</summary>
    Int32,

    /// <summary><c>uint32</c> (unsigned int).</summary>
    UInt32,

    /// <summary><c>float</c> (IEEE 754 single).</summary>
    Float,

    /// <summary><c>double</c> (IEEE 754 double).</summary>
    Double,
}
