using System.Numerics;
using VolumeMesh.Geometry;
using VolumeMesh.Volumes;

namespace VolumeMesh.IO;

/// <summary>A volume read from a NRRD file, holding the voxels in the type the file stores.</summary>
/// <remarks>Use <see cref="AsInt16"/> for CT in Hounsfield units, <see cref="AsFloat"/> for fields, or <see cref="As{T}"/>;
/// each returns the stored array itself when the type matches, and a converted copy otherwise.</remarks>
public sealed class NrrdVolume
{
    internal NrrdVolume(VolumeGeometry geometry, NrrdScalarType scalarType, Array voxels, string path)
    {
        Geometry = geometry;
        ScalarType = scalarType;
        Voxels = voxels;
        Path = path;
    }

    /// <summary>The geometry in patient LPS millimetres (RAS and LAS files are converted).</summary>
    public VolumeGeometry Geometry { get; }

    /// <summary>The voxel type stored in the file.</summary>
    public NrrdScalarType ScalarType { get; }

    /// <summary>The voxels, x fastest: an array of <see cref="sbyte"/>, <see cref="byte"/>, <see cref="short"/>, <see cref="ushort"/>,
    /// <see cref="int"/>, <see cref="uint"/>, <see cref="float"/> or <see cref="double"/> as <see cref="ScalarType"/> says.</summary>
    public Array Voxels { get; }

    /// <summary>The file read.</summary>
    public string Path { get; }

    /// <summary>The volume as 16-bit integers (Hounsfield units for CT).</summary>
    /// <returns>The stored voxels for an int16 file; otherwise a copy, rounded to nearest and saturated to −32768..32767.</returns>
    public Volume<short> AsInt16() => As<short>();

    /// <summary>The volume as 32-bit floats.</summary>
    /// <returns>The stored voxels for a float file; otherwise a converted copy.</returns>
    public Volume<float> AsFloat() => As<float>();

    /// <summary>The volume with voxels of type <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The voxel type wanted.</typeparam>
    /// <returns>The stored voxels when the file holds <typeparamref name="T"/>; otherwise a copy, rounded to nearest and saturated
    /// for integer targets.</returns>
    public Volume<T> As<T>()
        where T : unmanaged, INumber<T>
    {
        if (Voxels is T[] same)
        {
            return new Volume<T>(Geometry, same);
        }

        var result = new T[Voxels.Length];
        switch (Voxels)
        {
            case sbyte[] a: Convert(a, result); break;
            case byte[] a: Convert(a, result); break;
            case short[] a: Convert(a, result); break;
            case ushort[] a: Convert(a, result); break;
            case int[] a: Convert(a, result); break;
            case uint[] a: Convert(a, result); break;
            case float[] a: Convert(a, result); break;
            case double[] a: Convert(a, result); break;
            default: throw new InvalidOperationException($"Unexpected voxel array {Voxels.GetType()}.");
        }

        return new Volume<T>(Geometry, result);
    }

    private static void Convert<TFrom, TTo>(TFrom[] source, TTo[] target)
        where TFrom : unmanaged, INumber<TFrom>
        where TTo : unmanaged, INumber<TTo>
    {
        bool round = TFrom.CreateTruncating(0.5) != TFrom.Zero && TTo.CreateTruncating(0.5) == TTo.Zero;
        const int Block = 1 << 16;
        Parallel.For(0, (source.Length + Block - 1) / Block, b =>
        {
            int end = Math.Min(source.Length, (b + 1) * Block);
            for (int i = b * Block; i < end; i++)
            {
                TFrom value = source[i];
                target[i] = round
                    ? TTo.CreateSaturating(Math.Round(double.CreateChecked(value), MidpointRounding.AwayFromZero))
                    : TTo.CreateSaturating(value);
            }
        });
    }
}
