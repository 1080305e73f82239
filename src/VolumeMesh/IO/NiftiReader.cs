using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using VolumeMesh.Geometry;

namespace VolumeMesh.IO;

/// <summary>Reads NIfTI-1 and NIfTI-2 volumes: <c>.nii</c>, <c>.nii.gz</c> and <c>.hdr</c>/<c>.img</c> pairs (the image file may be gzipped).</summary>
/// <remarks>
/// <para>The header version and byte order come from <c>sizeof_hdr</c> (348 for NIfTI-1, 540 for NIfTI-2, read little- or
/// big-endian). Data types: int8, uint8, int16, uint16, int32, uint32, int64, uint64, float32, float64. Volumes of 2 or 3
/// dimensions are read, and 4- to 7-dimensional ones whose extra dimensions are all 1.</para>
/// <para>Geometry follows the rules in the nifti1.h header comments: when <c>sform_code</c> &gt; 0 the affine rows
/// <c>srow_x/y/z</c> (method 3); else when <c>qform_code</c> &gt; 0 the quaternion (b, c, d; a = √(1 − b² − c² − d²)),
/// <c>qoffset</c>, <c>pixdim[1..3]</c> and <c>qfac</c> = <c>pixdim[0]</c> (−1 flips k; 0 is read as 1) (method 2); else
/// <c>pixdim</c> scaling alone (method 1). Spatial units from <c>xyzt_units</c> (metres and microns are converted; unknown is
/// taken as millimetres). NIfTI world coordinates are RAS; they are converted to patient LPS exactly by negating x and y.
/// An oblique affine gives oblique direction cosines; a k axis that is not perpendicular to the slices (shear along k) is
/// kept exactly, as gantry tilt is. An affine whose i and j axes are not perpendicular (shear within a slice) is refused
/// with <see cref="NotSupportedException"/>: <see cref="VolumeGeometry"/> cannot represent it without resampling.</para>
/// <para>Values are scaled by <c>scl_slope</c> and <c>scl_inter</c> when the slope is non-zero and finite
/// (<see cref="NiftiVolume.AsFloat"/>, <see cref="NiftiVolume.ToLabelMap"/>). Malformed input raises
/// <see cref="InvalidDataException"/> naming the file and the field; nothing is allocated from a size field before the data
/// is known to be there (uncompressed) or could be there (gzip: at most the deflate ratio of 1032:1 times the compressed size);
/// a gzip file's voxel array starts at 8 times its compressed size and grows only as inflated data arrives.</para>
/// </remarks>
public static class NiftiReader
{
    private const int Nifti1HeaderSize = 348;
    private const int Nifti2HeaderSize = 540;
    private const long MaxDeflateRatio = 1032;
    private const long GzipFirstFactor = 8;
    private const long GzipFirstBytes = 128 * 1024;
    private const double OrthogonalityTolerance = 1e-4;

    /// <summary>Whether a path names a NIfTI file by its extension (<c>.nii</c>, <c>.nii.gz</c>, <c>.hdr</c>, <c>.hdr.gz</c>).</summary>
    /// <param name="path">A file path.</param>
    /// <returns>True for a NIfTI extension (case ignored).</returns>
    public static bool IsNiftiPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string lower = path.ToLowerInvariant();
        return lower.EndsWith(".nii", StringComparison.Ordinal) || lower.EndsWith(".nii.gz", StringComparison.Ordinal)
            || lower.EndsWith(".hdr", StringComparison.Ordinal) || lower.EndsWith(".hdr.gz", StringComparison.Ordinal);
    }

    /// <summary>Reads a NIfTI file.</summary>
    /// <param name="path">A <c>.nii</c>, <c>.nii.gz</c> or <c>.hdr</c> file (its <c>.img</c> or <c>.img.gz</c> beside it).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The volume: stored voxels, scaling and geometry in LPS.</returns>
    /// <exception cref="FileNotFoundException">The file, or the image file of a header, does not exist.</exception>
    /// <exception cref="InvalidDataException">The header is not NIfTI, a field is malformed, or the data is truncated.</exception>
    /// <exception cref="NotSupportedException">The data type, a 4-D (or higher) extent, or a sheared in-plane affine is not supported.</exception>
    public static NiftiVolume Read(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: the NIfTI file does not exist.", path);
        }

        string lower = path.ToLowerInvariant();
        bool pair = lower.EndsWith(".hdr", StringComparison.Ordinal) || lower.EndsWith(".hdr.gz", StringComparison.Ordinal);
        string? image = null;
        if (pair)
        {
            string stem = lower.EndsWith(".gz", StringComparison.Ordinal) ? path[..^7] : path[..^4];
            image = File.Exists(stem + ".img") ? stem + ".img" : File.Exists(stem + ".img.gz") ? stem + ".img.gz" : stem + ".img";
            if (!File.Exists(image))
            {
                throw new FileNotFoundException($"{path}: the image file '{Path.GetFileName(image)}' (or .img.gz) of this header does not exist.", image);
            }
        }

        // The most voxel bytes the data file can hold: the header's sizes are checked against it before any geometry or
        // voxel array is built from them (a 100-byte file declaring billions of slices is refused at once).
        string dataFile = image ?? path;
        long dataLength = new FileInfo(dataFile).Length;
        long maxDataBytes = IsGzip(dataFile) ? (dataLength * MaxDeflateRatio) + 4096 : dataLength;
        Header header;
        using (Stream headerStream = Open(path, out long headerCompressedLength))
        {
            header = ParseHeader(headerStream, path, maxDataBytes);
            if (image is null)
            {
                return ReadData(header, headerStream, header.HeaderSize, headerCompressedLength, IsGzip(path), path, path, cancellationToken);
            }
        }

        using Stream imageStream = Open(image, out long imageCompressedLength);
        return ReadData(header, imageStream, 0, imageCompressedLength, IsGzip(image), image, path, cancellationToken);
    }

    private static bool IsGzip(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return file.ReadByte() == 0x1F && file.ReadByte() == 0x8B;
    }

    private static Stream Open(string path, out long compressedLength)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        compressedLength = file.Length;
        if (IsGzip(path))
        {
            return new GZipStream(file, CompressionMode.Decompress, leaveOpen: false);
        }

        return file;
    }

    private static NiftiVolume ReadData(
        Header h, Stream stream, long position, long fileLength, bool gzip, string dataName, string path, CancellationToken cancellationToken)
    {
        long offset = h.VoxOffset;
        if (offset < position)
        {
            if (position > 0)
            {
                throw new InvalidDataException($"{path}: field 'vox_offset' {offset} lies inside the {position}-byte header.");
            }

            offset = 0;
        }

        long count = (long)h.SizeX * h.SizeY * h.SizeZ;
        long nbytes = count * h.ElementSize;
        long available = gzip ? (fileLength * MaxDeflateRatio) + 4096 : fileLength - offset;

        // Check before allocating: the size fields are untrusted.
        if (nbytes > available)
        {
            throw new InvalidDataException(gzip
                ? $"{dataName}: fields 'dim' need {nbytes} bytes of voxels, more than {fileLength} bytes of gzip data can hold."
                : $"{dataName}: voxel data is truncated: fields 'dim' {h.SizeX}×{h.SizeY}×{h.SizeZ} of {h.DataType} need {nbytes} bytes from offset {offset}, the file holds {Math.Max(0, available)}.");
        }

        if (count > Array.MaxLength)
        {
            throw new NotSupportedException($"{path}: fields 'dim': {count} voxels exceed one managed array.");
        }

        Skip(stream, offset - position, dataName);
        Array voxels;
        long read;
        try
        {
            // Uncompressed data was measured above; gzip data is only known once inflated, so its array starts at what
            // 8 × the compressed size (+ 128 KiB) can fill and grows as the data arrives (CT compresses less than that: one array).
            long firstBytes = gzip ? (GzipFirstFactor * fileLength) + GzipFirstBytes : long.MaxValue;
            (voxels, read) = h.DataType switch
            {
                NiftiDataType.UInt8 => ReadVoxels<byte>(stream, count, firstBytes, cancellationToken),
                NiftiDataType.Int8 => ReadVoxels<sbyte>(stream, count, firstBytes, cancellationToken),
                NiftiDataType.Int16 => ReadVoxels<short>(stream, count, firstBytes, cancellationToken),
                NiftiDataType.UInt16 => ReadVoxels<ushort>(stream, count, firstBytes, cancellationToken),
                NiftiDataType.Int32 => ReadVoxels<int>(stream, count, firstBytes, cancellationToken),
                NiftiDataType.UInt32 => ReadVoxels<uint>(stream, count, firstBytes, cancellationToken),
                NiftiDataType.Int64 => ReadVoxels<long>(stream, count, firstBytes, cancellationToken),
                NiftiDataType.UInt64 => ReadVoxels<ulong>(stream, count, firstBytes, cancellationToken),
                NiftiDataType.Float32 => ReadVoxels<float>(stream, count, firstBytes, cancellationToken),
                _ => ReadVoxels<double>(stream, count, firstBytes, cancellationToken),
            };
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{dataName}: corrupt gzip data: {e.Message}", e);
        }

        if (read < nbytes)
        {
            throw new InvalidDataException($"{dataName}: voxel data is truncated: read {read} bytes, fields 'dim' {h.SizeX}×{h.SizeY}×{h.SizeZ} of {h.DataType} need {nbytes}.");
        }

        if (h.BigEndian && h.ElementSize > 1)
        {
            VoxelEndianness.Swap(voxels);
        }

        return new NiftiVolume(h.Geometry, h.DataType, voxels, h.Slope, h.Intercept, h.Version, h.Transform, path);
    }

    /// <summary>Reads <paramref name="count"/> voxels into an array first sized for at most <paramref name="firstBytes"/>, doubled
    /// while the stream still delivers; returns the array (shorter than <paramref name="count"/> when the data ran out) and the bytes read.</summary>
    private static (Array Voxels, long Read) ReadVoxels<T>(Stream stream, long count, long firstBytes, CancellationToken cancellationToken)
        where T : unmanaged
    {
        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        var array = new T[Math.Min(count, Math.Max(1, firstBytes / size))];
        long total = ReadTyped(stream, array, 0, cancellationToken);
        while (array.Length < count && total == (long)array.Length * size)
        {
            int filled = array.Length;
            Array.Resize(ref array, (int)Math.Min(count, 2L * filled));
            total += ReadTyped(stream, array, filled, cancellationToken);
        }

        return (array, total);
    }

    /// <summary>Fills the array from <paramref name="from"/> on from the stream in chunks (so arrays over 2 GiB work); returns the bytes read.</summary>
    private static long ReadTyped<T>(Stream stream, T[] array, int from, CancellationToken cancellationToken)
        where T : unmanaged
    {
        int chunkElements = (1 << 22) / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        long total = 0;
        for (int start = from; start < array.Length; start += chunkElements)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Span<byte> bytes = MemoryMarshal.AsBytes(array.AsSpan(start, Math.Min(chunkElements, array.Length - start)));
            int read = ReadUpTo(stream, bytes);
            total += read;
            if (read < bytes.Length)
            {
                break;
            }
        }

        return total;
    }

    private static void Skip(Stream stream, long count, string dataName)
    {
        Span<byte> buffer = stackalloc byte[4096];
        while (count > 0)
        {
            int read = stream.Read(buffer[..(int)Math.Min(buffer.Length, count)]);
            if (read == 0)
            {
                throw new InvalidDataException($"{dataName}: field 'vox_offset' points past the end of the file.");
            }

            count -= read;
        }
    }

    private static Header ParseHeader(Stream stream, string path, long maxDataBytes)
    {
        Span<byte> buffer = new byte[Nifti2HeaderSize];
        int got = ReadUpTo(stream, buffer[..Nifti1HeaderSize]);
        if (got < Nifti1HeaderSize)
        {
            throw new InvalidDataException($"{path}: not a NIfTI file: {got} bytes, shorter than the 348-byte NIfTI-1 header.");
        }

        int le = BinaryPrimitives.ReadInt32LittleEndian(buffer);
        int be = BinaryPrimitives.ReadInt32BigEndian(buffer);
        bool bigEndian;
        int size;
        if (le is Nifti1HeaderSize or Nifti2HeaderSize)
        {
            bigEndian = false;
            size = le;
        }
        else if (be is Nifti1HeaderSize or Nifti2HeaderSize)
        {
            bigEndian = true;
            size = be;
        }
        else
        {
            throw new InvalidDataException($"{path}: not a NIfTI file: field 'sizeof_hdr' is {le} (expected 348 for NIfTI-1 or 540 for NIfTI-2, in either byte order).");
        }

        if (size == Nifti2HeaderSize)
        {
            got += ReadUpTo(stream, buffer[Nifti1HeaderSize..]);
            if (got < Nifti2HeaderSize)
            {
                throw new InvalidDataException($"{path}: the NIfTI-2 header is truncated ({got} of 540 bytes).");
            }
        }

        var r = new FieldReader(buffer[..size].ToArray(), bigEndian);
        return size == Nifti1HeaderSize ? ParseNifti1(r, path, maxDataBytes) : ParseNifti2(r, path, maxDataBytes);
    }

    private static int ReadUpTo(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = stream.Read(buffer[total..]);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private static Header ParseNifti1(FieldReader r, string path, long maxDataBytes)
    {
        string magic = r.Ascii(344, 4);
        if (magic is not ("n+1" or "ni1"))
        {
            throw new InvalidDataException($"{path}: field 'magic' is '{magic}', expected 'n+1' or 'ni1' for NIfTI-1.");
        }

        var dims = new long[8];
        var pixdim = new double[8];
        for (int d = 0; d < 8; d++)
        {
            dims[d] = r.Int16(40 + (2 * d));
            pixdim[d] = r.Float(76 + (4 * d));
        }

        var fields = new RawFields
        {
            Version = 1,
            DataTypeCode = r.Int16(70),
            Dims = dims,
            PixDim = pixdim,
            VoxOffset = r.Float(108),
            Slope = r.Float(112),
            Intercept = r.Float(116),
            XyztUnits = r.Byte(123),
            QformCode = r.Int16(252),
            SformCode = r.Int16(254),
            Quatern = [r.Float(256), r.Float(260), r.Float(264)],
            QOffset = [r.Float(268), r.Float(272), r.Float(276)],
            Srow = [
                r.Float(280), r.Float(284), r.Float(288), r.Float(292),
                r.Float(296), r.Float(300), r.Float(304), r.Float(308),
                r.Float(312), r.Float(316), r.Float(320), r.Float(324)],
        };
        return Build(fields, r.BigEndian, path, maxDataBytes);
    }

    private static Header ParseNifti2(FieldReader r, string path, long maxDataBytes)
    {
        string magic = r.Ascii(4, 3);
        if (magic is not ("n+2" or "ni2"))
        {
            throw new InvalidDataException($"{path}: field 'magic' is '{magic}', expected 'n+2' or 'ni2' for NIfTI-2.");
        }

        var dims = new long[8];
        var pixdim = new double[8];
        for (int d = 0; d < 8; d++)
        {
            dims[d] = r.Int64(16 + (8 * d));
            pixdim[d] = r.Double(104 + (8 * d));
        }

        var srow = new double[12];
        for (int n = 0; n < 12; n++)
        {
            srow[n] = r.Double(400 + (8 * n));
        }

        var fields = new RawFields
        {
            Version = 2,
            DataTypeCode = r.Int16(12),
            Dims = dims,
            PixDim = pixdim,
            VoxOffset = r.Int64(168),
            Slope = r.Double(176),
            Intercept = r.Double(184),
            XyztUnits = r.Int32(500),
            QformCode = r.Int32(344),
            SformCode = r.Int32(348),
            Quatern = [r.Double(352), r.Double(360), r.Double(368)],
            QOffset = [r.Double(376), r.Double(384), r.Double(392)],
            Srow = srow,
        };
        return Build(fields, r.BigEndian, path, maxDataBytes);
    }

    private static Header Build(RawFields f, bool bigEndian, string path, long maxDataBytes)
    {
        NiftiDataType type = f.DataTypeCode switch
        {
            2 => NiftiDataType.UInt8,
            4 => NiftiDataType.Int16,
            8 => NiftiDataType.Int32,
            16 => NiftiDataType.Float32,
            64 => NiftiDataType.Float64,
            256 => NiftiDataType.Int8,
            512 => NiftiDataType.UInt16,
            768 => NiftiDataType.UInt32,
            1024 => NiftiDataType.Int64,
            1280 => NiftiDataType.UInt64,
            _ => throw new NotSupportedException(
                $"{path}: field 'datatype' {f.DataTypeCode} is not supported (int8, uint8, int16, uint16, int32, uint32, int64, uint64, float32, float64)."),
        };

        int elementSize = type switch
        {
            NiftiDataType.UInt8 or NiftiDataType.Int8 => 1,
            NiftiDataType.Int16 or NiftiDataType.UInt16 => 2,
            NiftiDataType.Int32 or NiftiDataType.UInt32 or NiftiDataType.Float32 => 4,
            _ => 8,
        };

        long rank = f.Dims[0];
        if (rank is < 1 or > 7)
        {
            throw new InvalidDataException($"{path}: field 'dim[0]' is {rank}; it must be 1 to 7.");
        }

        var size = new int[3];
        for (int d = 1; d <= rank; d++)
        {
            long extent = f.Dims[d];
            if (extent < 1)
            {
                throw new InvalidDataException($"{path}: field 'dim[{d}]' is {extent}; extents must be positive.");
            }

            if (d <= 3)
            {
                if (extent > int.MaxValue)
                {
                    throw new NotSupportedException($"{path}: field 'dim[{d}]' {extent} is too large.");
                }

                size[d - 1] = (int)extent;
            }
            else if (extent != 1)
            {
                throw new NotSupportedException($"{path}: field 'dim[{d}]' is {extent}: a {rank}-D series is not a single volume; extract one volume first.");
            }
        }

        for (int d = (int)rank; d < 3; d++)
        {
            size[d] = 1;
        }

        // The declared size against the data actually there, before anything is built from it (in floating point: three
        // extents up to 2^31 overflow a long).
        double declaredBytes = (double)size[0] * size[1] * size[2] * elementSize;
        if (declaredBytes > maxDataBytes)
        {
            throw new InvalidDataException(
                $"{path}: voxel data is truncated: fields 'dim' {size[0]}×{size[1]}×{size[2]} of {type} need {declaredBytes:0} bytes, more than the data file can hold ({maxDataBytes} bytes at most).");
        }

        long count = (long)size[0] * size[1] * size[2]; // at most maxDataBytes here: no overflow
        if (count > Array.MaxLength)
        {
            throw new NotSupportedException($"{path}: fields 'dim' {size[0]}×{size[1]}×{size[2]}: {count} voxels exceed one managed array.");
        }

        if (!double.IsFinite(f.VoxOffset) || f.VoxOffset < 0)
        {
            throw new InvalidDataException($"{path}: field 'vox_offset' {f.VoxOffset} is not a non-negative number.");
        }

        double unit = (f.XyztUnits & 0x07) switch
        {
            1 => 1000.0, // NIFTI_UNITS_METER
            3 => 0.001,  // NIFTI_UNITS_MICRON
            _ => 1.0,    // millimetres, or unknown (taken as mm, as most readers do)
        };

        (Vector3D origin, Vector3D di, Vector3D dj, Vector3D dk, NiftiTransform transform) = Affine(f, size, path);

        // RAS → LPS: negate x and y.
        static Vector3D ToLps(Vector3D v, double unit) => new(-v.X * unit, -v.Y * unit, v.Z * unit);
        origin = ToLps(origin, unit);
        di = ToLps(di, unit);
        dj = ToLps(dj, unit);
        dk = ToLps(dk, unit);
        foreach ((Vector3D v, string name) in new[] { (di, "i"), (dj, "j"), (dk, "k") })
        {
            if (!v.IsFinite || !(v.Length > 0))
            {
                throw new InvalidDataException($"{path}: the {Describe(transform)} gives a zero or non-finite {name} axis {v}.");
            }
        }

        if (!origin.IsFinite)
        {
            throw new InvalidDataException($"{path}: the {Describe(transform)} gives a non-finite origin.");
        }

        double cos = Vector3D.Dot(di, dj) / (di.Length * dj.Length);
        if (Math.Abs(cos) > OrthogonalityTolerance)
        {
            throw new NotSupportedException(
                $"{path}: the {Describe(transform)} shears within a slice (the i and j axes are {Math.Acos(Math.Clamp(cos, -1, 1)) * 180 / Math.PI:F3}° apart, not 90°); resample the volume to an orthogonal grid first.");
        }

        if (Math.Abs(Vector3D.Dot(Vector3D.Cross(di, dj), dk)) < 1e-9 * di.Length * dj.Length * dk.Length)
        {
            throw new InvalidDataException($"{path}: the {Describe(transform)} is singular (the k axis lies in the slice plane).");
        }

        VolumeGeometry geometry;
        try
        {
            geometry = VolumeGeometry.FromAffine(size[0], size[1], size[2], origin, di, dj, dk);
        }
        catch (ArgumentException e)
        {
            // Spacings or slice positions that overflow, vanish or are not finite: the affine fields are malformed.
            throw new InvalidDataException($"{path}: the {Describe(transform)} gives no valid geometry: {e.Message}", e);
        }

        double slope = f.Slope, intercept = f.Intercept;
        if (slope == 0 || !double.IsFinite(slope))
        {
            slope = 1;
            intercept = 0;
        }
        else if (!double.IsFinite(intercept))
        {
            intercept = 0;
        }

        return new Header
        {
            Version = f.Version,
            HeaderSize = f.Version == 1 ? Nifti1HeaderSize : Nifti2HeaderSize,
            BigEndian = bigEndian,
            DataType = type,
            ElementSize = elementSize,
            SizeX = size[0],
            SizeY = size[1],
            SizeZ = size[2],
            VoxOffset = (long)f.VoxOffset,
            Slope = slope,
            Intercept = intercept,
            Geometry = geometry,
            Transform = transform,
        };
    }

    private static string Describe(NiftiTransform transform) => transform switch
    {
        NiftiTransform.Sform => "sform (srow_x/y/z)",
        NiftiTransform.Qform => "qform (quatern_b/c/d, qoffset, pixdim)",
        _ => "pixdim-only transform",
    };

    /// <summary>The RAS index-to-world map in the file's spatial unit: origin and the world step of one voxel along i, j and k.</summary>
    private static (Vector3D Origin, Vector3D I, Vector3D J, Vector3D K, NiftiTransform Transform) Affine(RawFields f, int[] size, string path)
    {
        if (f.SformCode > 0)
        {
            double[] s = f.Srow;
            return (new(s[3], s[7], s[11]), new(s[0], s[4], s[8]), new(s[1], s[5], s[9]), new(s[2], s[6], s[10]), NiftiTransform.Sform);
        }

        // Axes beyond dim[0] may leave pixdim at 0: they have one voxel, whose size is taken as 1.
        double Pix(int d) => d > f.Dims[0] && !(f.PixDim[d] > 0) ? 1 : f.PixDim[d];
        double dx = Pix(1), dy = Pix(2), dz = Pix(3);
        foreach ((double v, int d) in new[] { (dx, 1), (dy, 2), (dz, 3) })
        {
            if (!(v > 0) || !double.IsFinite(v))
            {
                throw new InvalidDataException($"{path}: field 'pixdim[{d}]' is {v}; voxel sizes must be positive.");
            }
        }

        if (f.QformCode > 0)
        {
            double b = f.Quatern[0], c = f.Quatern[1], d = f.Quatern[2];
            double aa = 1 - ((b * b) + (c * c) + (d * d));
            double a;
            if (aa < 1e-7)
            {
                // A 180° rotation: (b, c, d) is the unit axis (nifti1_io normalises it the same way).
                double norm = Math.Sqrt((b * b) + (c * c) + (d * d));
                if (!(norm > 0) || !double.IsFinite(norm))
                {
                    throw new InvalidDataException($"{path}: fields 'quatern_b/c/d' ({b}, {c}, {d}) are not a rotation.");
                }

                b /= norm;
                c /= norm;
                d /= norm;
                a = 0;
            }
            else
            {
                a = Math.Sqrt(aa);
            }

            double qfac = f.PixDim[0] < 0 ? -1 : 1;
            var col0 = new Vector3D((a * a) + (b * b) - (c * c) - (d * d), 2 * ((b * c) + (a * d)), 2 * ((b * d) - (a * c)));
            var col1 = new Vector3D(2 * ((b * c) - (a * d)), (a * a) + (c * c) - (b * b) - (d * d), 2 * ((c * d) + (a * b)));
            var col2 = new Vector3D(2 * ((b * d) + (a * c)), 2 * ((c * d) - (a * b)), (a * a) + (d * d) - (b * b) - (c * c));
            return (new(f.QOffset[0], f.QOffset[1], f.QOffset[2]), col0 * dx, col1 * dy, col2 * (dz * qfac), NiftiTransform.Qform);
        }

        return (Vector3D.Zero, new(dx, 0, 0), new(0, dy, 0), new(0, 0, dz), NiftiTransform.PixdimOnly);
    }

    private sealed class RawFields
    {
        public int Version { get; init; }

        public int DataTypeCode { get; init; }

        public required long[] Dims { get; init; }

        public required double[] PixDim { get; init; }

        public double VoxOffset { get; init; }

        public double Slope { get; init; }

        public double Intercept { get; init; }

        public int XyztUnits { get; init; }

        public int QformCode { get; init; }

        public int SformCode { get; init; }

        public required double[] Quatern { get; init; }

        public required double[] QOffset { get; init; }

        public required double[] Srow { get; init; }
    }

    private sealed class Header
    {
        public int Version { get; init; }

        public int HeaderSize { get; init; }

        public bool BigEndian { get; init; }

        public NiftiDataType DataType { get; init; }

        public int ElementSize { get; init; }

        public int SizeX { get; init; }

        public int SizeY { get; init; }

        public int SizeZ { get; init; }

        public long VoxOffset { get; init; }

        public double Slope { get; init; }

        public double Intercept { get; init; }

        public required VolumeGeometry Geometry { get; init; }

        public NiftiTransform Transform { get; init; }
    }

    private readonly struct FieldReader(byte[] bytes, bool bigEndian)
    {
        public bool BigEndian => bigEndian;

        public byte Byte(int offset) => bytes[offset];

        public short Int16(int offset) => bigEndian
            ? BinaryPrimitives.ReadInt16BigEndian(bytes.AsSpan(offset))
            : BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(offset));

        public int Int32(int offset) => bigEndian
            ? BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset))
            : BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset));

        public long Int64(int offset) => bigEndian
            ? BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(offset))
            : BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(offset));

        public double Float(int offset) => bigEndian
            ? BinaryPrimitives.ReadSingleBigEndian(bytes.AsSpan(offset))
            : BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(offset));

        public double Double(int offset) => bigEndian
            ? BinaryPrimitives.ReadDoubleBigEndian(bytes.AsSpan(offset))
            : BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(offset));

        public string Ascii(int offset, int length)
        {
            ReadOnlySpan<byte> span = bytes.AsSpan(offset, length);
            int end = span.IndexOf((byte)0);
            return System.Text.Encoding.ASCII.GetString(end < 0 ? span : span[..end]);
        }
    }
}
