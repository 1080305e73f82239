using System.Numerics;
using VolumeMesh.Geometry;
using VolumeMesh.Volumes;

namespace VolumeMesh.IO;

/// <summary>A volume read by <see cref="NiftiReader"/>: the stored voxels, their type and scaling, and the geometry in patient LPS.</summary>
public sealed class NiftiVolume
{
    internal NiftiVolume(
        VolumeGeometry geometry, NiftiDataType dataType, Array voxels, double scaleSlope, double scaleIntercept, int version,
        NiftiTransform transform, string path)
    {
        Geometry = geometry;
        DataType = dataType;
        Voxels = voxels;
        ScaleSlope = scaleSlope;
        ScaleIntercept = scaleIntercept;
        Version = version;
        Transform = transform;
        Path = path;
    }

    /// <summary>The index-to-patient geometry, in LPS millimetres.</summary>
    public VolumeGeometry Geometry { get; }

    /// <summary>The stored voxel type.</summary>
    public NiftiDataType DataType { get; }

    /// <summary>The stored voxels (unscaled), x fastest: a <c>byte[]</c>, <c>short[]</c>, … matching <see cref="DataType"/>.</summary>
    public Array Voxels { get; }

    /// <summary>The header's <c>scl_slope</c>; 1 when the header has none (0 or not finite means no scaling).</summary>
    public double ScaleSlope { get; }

    /// <summary>The header's <c>scl_inter</c>; 0 when there is no scaling.</summary>
    public double ScaleIntercept { get; }

    /// <summary>Whether stored values are scaled (<see cref="ScaleSlope"/> ≠ 1 or <see cref="ScaleIntercept"/> ≠ 0).</summary>
    public bool IsScaled => ScaleSlope != 1 || ScaleIntercept != 0;

    /// <summary>1 for NIfTI-1, 2 for NIfTI-2.</summary>
    public int Version { get; }

    /// <summary>Which header method gave the geometry.</summary>
    public NiftiTransform Transform { get; }

    /// <summary>The file read (the header file for a .hdr/.img pair).</summary>
    public string Path { get; }

    /// <summary>The scaled values as 32-bit floats (<c>scl_slope · stored + scl_inter</c>).</summary>
    /// <returns>A new volume.</returns>
    public Volume<float> AsFloat()
    {
        var result = new float[Voxels.Length];
        switch (Voxels)
        {
            case byte[] a: ScaleTo(a, result); break;
            case sbyte[] a: ScaleTo(a, result); break;
            case short[] a: ScaleTo(a, result); break;
            case ushort[] a: ScaleTo(a, result); break;
            case int[] a: ScaleTo(a, result); break;
            case uint[] a: ScaleTo(a, result); break;
            case long[] a: ScaleTo(a, result); break;
            case ulong[] a: ScaleTo(a, result); break;
            case float[] a: ScaleTo(a, result); break;
            case double[] a: ScaleTo(a, result); break;
            default: throw new InvalidOperationException($"Unexpected voxel array {Voxels.GetType()}.");
        }

        return new Volume<float>(Geometry, result);
    }

    /// <summary>The volume as a label map: each scaled value must be a whole number in the <see cref="int"/> range.</summary>
    /// <returns>A new volume of label ids (0 is background).</returns>
    /// <exception cref="InvalidDataException">A value is not a whole number or does not fit a 32-bit integer (the file is not a label map); the message names the file and the first such voxel.</exception>
    public Volume<int> ToLabelMap()
    {
        var result = new int[Voxels.Length];
        switch (Voxels)
        {
            case byte[] a when !IsScaled: Widen(a, result); break;
            case sbyte[] a when !IsScaled: Widen(a, result); break;
            case short[] a when !IsScaled: Widen(a, result); break;
            case ushort[] a when !IsScaled: Widen(a, result); break;
            case int[] a when !IsScaled: a.AsSpan().CopyTo(result); break;
            case byte[] a: ToIds(a, result); break;
            case sbyte[] a: ToIds(a, result); break;
            case short[] a: ToIds(a, result); break;
            case ushort[] a: ToIds(a, result); break;
            case int[] a: ToIds(a, result); break;
            case uint[] a: ToIds(a, result); break;
            case long[] a: ToIds(a, result); break;
            case ulong[] a: ToIds(a, result); break;
            case float[] a: ToIds(a, result); break;
            case double[] a: ToIds(a, result); break;
            default:
                throw new InvalidOperationException($"Unexpected voxel array {Voxels.GetType()}.");
        }

        return new Volume<int>(Geometry, result);
    }

    private static void Widen<T>(T[] source, int[] target)
        where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < source.Length; i++)
        {
            target[i] = int.CreateTruncating(source[i]);
        }
    }

    private void ScaleTo<T>(T[] source, float[] target)
        where T : unmanaged, INumber<T>
    {
        double slope = ScaleSlope, intercept = ScaleIntercept;
        for (int i = 0; i < source.Length; i++)
        {
            target[i] = (float)((double.CreateTruncating(source[i]) * slope) + intercept);
        }
    }

    private void ToIds<T>(T[] source, int[] target)
        where T : unmanaged, INumber<T>
    {
        double slope = ScaleSlope, intercept = ScaleIntercept;
        for (int i = 0; i < source.Length; i++)
        {
            double value = (double.CreateTruncating(source[i]) * slope) + intercept;
            double rounded = Math.Round(value);
            if (!(Math.Abs(value - rounded) <= 1e-3) || rounded < int.MinValue || rounded > int.MaxValue)
            {
                throw new InvalidDataException(
                    $"{Path}: voxel {i} holds {value:G9}, not a whole-number label id; a label map stores integer ids (0 = background).");
            }

            target[i] = (int)rounded;
        }
    }
}
