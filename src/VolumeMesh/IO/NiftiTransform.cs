namespace VolumeMesh.IO;

/// <summary>Which of a NIfTI header's three index-to-world methods gave a volume its geometry (nifti1.h, "3D IMAGE (VOLUME) ORIENTATION AND LOCATION IN SPACE").</summary>
public enum NiftiTransform
{
    /// <summary>Method 3: the affine rows <c>srow_x/y/z</c>, used when <c>sform_code</c> &gt; 0.</summary>
    Sform,

    /// <summary>Method 2: the quaternion, offsets, <c>pixdim</c> and <c>qfac</c>, used when <c>sform_code</c> is 0 and <c>qform_code</c> &gt; 0.</summary>
    Qform,

    /// <summary>Method 1 (ANALYZE 7.5 compatibility): <c>pixdim</c> scaling only, used when both codes are 0.</summary>
    PixdimOnly,
}
