namespace VolumeMesh.IO;

/// <summary>The NIfTI voxel data types this library reads (the <c>datatype</c> codes of nifti1.h).</summary>
public enum NiftiDataType
{
    /// <summary>Unsigned 8-bit integer (code 2, DT_UINT8).</summary>
    UInt8 = 2,

    /// <summary>Signed 16-bit integer (code 4, DT_INT16).</summary>
    Int16 = 4,

    /// <summary>Signed 32-bit integer (code 8, DT_INT32).</summary>
    Int32 = 8,

    /// <summary>32-bit float (code 16, DT_FLOAT32).</summary>
    Float32 = 16,

    /// <summary>64-bit float (code 64, DT_FLOAT64).</summary>
    Float64 = 64,

    /// <summary>Signed 8-bit integer (code 256, DT_INT8).</summary>
    Int8 = 256,

    /// <summary>Unsigned 16-bit integer (code 512, DT_UINT16).</summary>
    UInt16 = 512,

    /// <summary>Unsigned 32-bit integer (code 768, DT_UINT32).</summary>
    UInt32 = 768,

    /// <summary>Signed 64-bit integer (code 1024, DT_INT64).</summary>
    Int64 = 1024,

    /// <summary>Unsigned 64-bit integer (code 1280, DT_UINT64).</summary>
    UInt64 = 1280,
}
