using System.Globalization;
using System.IO.Compression;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using VolumeMesh.Geometry;
using VolumeMesh.Volumes;

namespace VolumeMesh.IO;

/// <summary>Writes a volume as NRRD (NRRD0004) in patient LPS: attached data for <c>.nrrd</c>, a detached data file for <c>.nhdr</c>.</summary>
/// <remarks>
/// <para>The header carries <c>space: left-posterior-superior</c>, <c>space directions</c> (row and column direction times
/// their spacing, and the slice step) and <c>space origin</c> (voxel (0, 0, 0)), little-endian data, raw or gzip encoded.
/// NRRD is affine, so a geometry with non-uniform slice spacing cannot be written and raises
/// <see cref="NotSupportedException"/>; gantry tilt with uniform spacing can, as a sheared k direction.</para>
/// <para>For <c>.nhdr</c> the data goes to <c>NAME.raw</c> or <c>NAME.raw.gz</c> beside it. Every file is written through
/// <see cref="AtomicFile"/>.</para>
/// </remarks>
public static class NrrdWriter
{

    /// <summary>Writes a volume.</summary>
    /// <typeparam name="T">The voxel type: <see cref="sbyte"/>, <see cref="byte"/>, <see cref="short"/>, <see cref="ushort"/>,
    /// <see cref="int"/>, <see cref="uint"/>, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="volume">The volume.</param>
    /// <param name="path">A <c>.nrrd</c> file (data attached) or <c>.nhdr</c> file (data detached).</param>
    /// <param name="options">Options; <see cref="NrrdWriteOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the write; the target is then left as it was.</param>
    /// <exception cref="NotSupportedException">The voxel type has no NRRD type, or the slice spacing is not uniform.</exception>
    /// <exception cref="IOException">A file cannot be written.</exception>
    public static void Write<T>(Volume<T> volume, string path, NrrdWriteOptions? options = null, CancellationToken cancellationToken = default)
        where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= NrrdWriteOptions.Default;
        NrrdScalarType type = ScalarTypeOf<T>();
        bool detached = path.EndsWith(".nhdr", StringComparison.OrdinalIgnoreCase);
        string? dataFile = detached
            ? System.IO.Path.GetFileNameWithoutExtension(path) + (options.Encoding == NrrdEncoding.Gzip ? ".raw.gz" : ".raw")
            : null;
        byte[] header = Encoding.ASCII.GetBytes(Header(volume.Geometry, type, options.Encoding, dataFile));

        if (detached)
        {
            string folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? ".";
            AtomicFile.Write(System.IO.Path.Combine(folder, dataFile!), stream => WriteData(volume.Voxels, stream, options, cancellationToken));
            AtomicFile.Write(path, stream => stream.Write(header));
        }
        else
        {
            AtomicFile.Write(path, stream =>
            {
                stream.Write(header);
                WriteData(volume.Voxels, stream, options, cancellationToken);
            });
        }
    }

    /// <summary>The NRRD scalar type of a voxel type.</summary>
    /// <typeparam name="T">The voxel type.</typeparam>
    /// <returns>The NRRD type.</returns>
    /// <exception cref="NotSupportedException">NRRD has no such type.</exception>
    public static NrrdScalarType ScalarTypeOf<T>()
        where T : unmanaged
    {
        if (typeof(T) == typeof(sbyte))
        {
            return NrrdScalarType.Int8;
        }

        if (typeof(T) == typeof(byte))
        {
            return NrrdScalarType.UInt8;
        }

        if (typeof(T) == typeof(short))
        {
            return NrrdScalarType.Int16;
        }

        if (typeof(T) == typeof(ushort))
        {
            return NrrdScalarType.UInt16;
        }

        if (typeof(T) == typeof(int))
        {
            return NrrdScalarType.Int32;
        }

        if (typeof(T) == typeof(uint))
        {
            return NrrdScalarType.UInt32;
        }

        if (typeof(T) == typeof(float))
        {
            return NrrdScalarType.Float;
        }

        if (typeof(T) == typeof(double))
        {
            return NrrdScalarType.Double;
        }

        throw new NotSupportedException($"NRRD has no voxel type for {typeof(T).Name}.");
    }

    private static void WriteData<T>(T[] voxels, Stream stream, NrrdWriteOptions options, CancellationToken cancellationToken)
        where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new NotSupportedException("Writing NRRD on a big-endian machine is not supported.");
        }

        Stream target = options.Encoding == NrrdEncoding.Gzip ? new GZipStream(stream, options.CompressionLevel, leaveOpen: true) : stream;
        try
        {
            // Element chunks, so arrays over 2 GiB of bytes work.
            int chunk = (1 << 22) / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
            for (int start = 0; start < voxels.Length; start += chunk)
            {
                cancellationToken.ThrowIfCancellationRequested();
                target.Write(MemoryMarshal.AsBytes(voxels.AsSpan(start, Math.Min(chunk, voxels.Length - start))));
            }
        }
        finally
        {
            if (!ReferenceEquals(target, stream))
            {
                target.Dispose();
            }
        }
    }

    private static string Header(VolumeGeometry g, NrrdScalarType type, NrrdEncoding encoding, string? dataFile)
    {
        Vector3D origin = g.SlicePositions[0];
        Vector3D di = g.RowDirection * g.SpacingX;
        Vector3D dj = g.ColumnDirection * g.SpacingY;
        Vector3D dk;
        if (g.SizeZ > 1)
        {
            dk = (g.SlicePositions[^1] - origin) / (g.SizeZ - 1);
            for (int k = 1; k < g.SizeZ - 1; k++)
            {
                double deviation = (g.SlicePositions[k] - (origin + (dk * k))).Length;
                if (deviation > VolumeGeometry.SliceSpacingToleranceMm(dk.Length))
                {
                    throw new NotSupportedException(FormattableString.Invariant(
                        $"NRRD needs uniformly spaced slices; slice {k} lies {deviation:G4} mm off the uniform grid (spacing {g.SliceSpacingMin:G6} to {g.SliceSpacingMax:G6} mm). Keep the DICOM series as input to mesh it exactly."));
                }
            }
        }
        else
        {
            dk = g.SlicePoint(1) - g.SlicePoint(0);
        }

        var text = new StringBuilder();
        text.Append("NRRD0004\n");
        text.Append("# Written by VolumeMesh; format: http://teem.sourceforge.net/nrrd/format.html\n");
        text.Append(CultureInfo.InvariantCulture, $"type: {NrrdReader.TypeName(type)}\n");
        text.Append("dimension: 3\n");
        text.Append("space: left-posterior-superior\n");
        text.Append(CultureInfo.InvariantCulture, $"sizes: {g.SizeX} {g.SizeY} {g.SizeZ}\n");
        text.Append(CultureInfo.InvariantCulture, $"space directions: {Vector(di)} {Vector(dj)} {Vector(dk)}\n");
        text.Append("kinds: domain domain domain\n");
        text.Append("endian: little\n");
        text.Append(encoding == NrrdEncoding.Gzip ? "encoding: gzip\n" : "encoding: raw\n");
        text.Append(CultureInfo.InvariantCulture, $"space origin: {Vector(origin)}\n");
        if (dataFile is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"data file: {dataFile}\n");
        }
        else
        {
            text.Append('\n');
        }

        return text.ToString();
    }

    private static string Vector(Vector3D v) => string.Create(CultureInfo.InvariantCulture, $"({v.X:R},{v.Y:R},{v.Z:R})");
}
