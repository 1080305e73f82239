using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.InteropServices;
using VolumeMesh.Volumes;

namespace VolumeMesh.Dicom;

/// <summary>Loads a scanned series as a volume: slices decoded in parallel straight into the volume buffer, rescaled to Hounsfield units.</summary>
public static class DicomSeriesLoader
{
    /// <summary>Loads a series as HU in <see cref="short"/> voxels (values rounded and clamped to −32768…32767).</summary>
    /// <param name="series">A series from <see cref="DicomDirectoryScanner.Scan"/>.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="progress">Receives the fraction of slices decoded, 0…1.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>The volume, geometry from <see cref="DicomSeriesInfo.Geometry"/>.</returns>
    /// <exception cref="DicomFormatException">A file is corrupt or no longer matches the scan, or (checked before the volume is allocated)
    /// holds less pixel data than its Rows × Columns × frames need (the message names the file).</exception>
    /// <exception cref="InputFormatException">A slice is a colour or palette image (the message names its photometric interpretation).</exception>
    /// <exception cref="NotSupportedException">A transfer syntax cannot be decoded (the message names the package to install), or the volume exceeds one managed array.</exception>
    /// <exception cref="InvalidOperationException">The series has no geometry (see its warnings).</exception>
    /// <exception cref="OperationCanceledException">The load was cancelled.</exception>
    public static Volume<short> LoadHu(DicomSeriesInfo series, DicomLoadOptions? options = null, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var volume = new Volume<short>(RequireGeometry(series));
        Load(series, options ?? new DicomLoadOptions(), progress, cancellationToken, volume.Voxels, null);
        return volume;
    }

    /// <summary>Loads a series as rescaled values in <see cref="float"/> voxels (exact for fractional Rescale Slope/Intercept).</summary>
    /// <param name="series">A series from <see cref="DicomDirectoryScanner.Scan"/>.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="progress">Receives the fraction of slices decoded, 0…1.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>The volume.</returns>
    /// <exception cref="DicomFormatException">A file is corrupt or no longer matches the scan, or (checked before the volume is allocated)
    /// holds less pixel data than its Rows × Columns × frames need (the message names the file).</exception>
    /// <exception cref="InputFormatException">A slice is a colour or palette image (the message names its photometric interpretation).</exception>
    /// <exception cref="NotSupportedException">A transfer syntax cannot be decoded, or the volume exceeds one managed array.</exception>
    /// <exception cref="InvalidOperationException">The series has no geometry.</exception>
    /// <exception cref="OperationCanceledException">The load was cancelled.</exception>
    public static Volume<float> LoadFloat(DicomSeriesInfo series, DicomLoadOptions? options = null, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var volume = new Volume<float>(RequireGeometry(series));
        Load(series, options ?? new DicomLoadOptions(), progress, cancellationToken, null, volume.Voxels);
        return volume;
    }

    /// <summary>Scans a folder and loads its default series (the CT with most slices) as HU.</summary>
    /// <param name="folder">The folder (or DICOMDIR, or file).</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="progress">Receives the fraction of slices decoded.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>The series and its volume.</returns>
    /// <exception cref="DicomFormatException">No image series was found, or a file is corrupt.</exception>
    public static (DicomSeriesInfo Series, Volume<short> Volume) LoadDefaultHu(string folder, DicomLoadOptions? options = null, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        DicomScanResult scan = DicomDirectoryScanner.Scan(folder, null, null, cancellationToken);
        DicomSeriesInfo series = scan.DefaultSeries ?? throw new DicomFormatException($"No image series found in {folder}.", folder);
        return (series, LoadHu(series, options, progress, cancellationToken));
    }

    private static Geometry.VolumeGeometry RequireGeometry(DicomSeriesInfo series)
    {
        ArgumentNullException.ThrowIfNull(series);
        Geometry.VolumeGeometry geometry = series.Geometry ?? throw new InvalidOperationException(
            $"Series {series.SeriesInstanceUid} has no volume geometry: {string.Join(" ", series.Warnings)}");
        // Checked before the volume is allocated: the headers' Rows × Columns × slices are untrusted (found by fuzzing).
        if (geometry.VoxelCount > Array.MaxLength)
        {
            throw new NotSupportedException(
                $"Series {series.SeriesInstanceUid} is {geometry.SizeX}×{geometry.SizeY}×{geometry.SizeZ} = {geometry.VoxelCount} voxels, more than one managed array holds.");
        }

        CheckPixelDataPresent(series);
        return geometry;
    }

    /// <summary>Checks what each file declares (Rows × Columns × frames) against the pixel data the scan found in it, before
    /// any volume is allocated: native data must hold every frame, compressed data at most
    /// <see cref="DicomPixelData.MaxCompressionRatio"/> times its bytes (at least <see cref="DicomPixelData.MinCompressedBound"/> per series).</summary>
    private static void CheckPixelDataPresent(DicomSeriesInfo series)
    {
        long frameSamples = (long)series.Rows * series.Columns;
        long compressedPresent = 0;
        long compressedNeeded = 0;
        string? firstCompressed = null;
        var counted = new HashSet<string>(StringComparer.Ordinal);
        foreach (DicomSliceInfo slice in series.Slices)
        {
            // A multi-frame file is checked once, for all its frames.
            if (slice.PixelDataBytes is not { } present || !counted.Add(slice.FilePath))
            {
                continue;
            }

            if (slice.BitsAllocated is not (1 or 8 or 16 or 32))
            {
                throw new DicomFormatException($"Bits Allocated {slice.BitsAllocated} is not 1, 8, 16 or 32.", slice.FilePath, -1, DicomTags.BitsAllocated);
            }

            long needed = slice.BitsAllocated == 1
                ? ((frameSamples * slice.FramesInFile) + 7) / 8
                : frameSamples * slice.FramesInFile * (slice.BitsAllocated / 8);
            if (!slice.IsEncapsulated)
            {
                if (needed > present)
                {
                    throw new DicomFormatException(
                        $"Pixel data holds {present} bytes but {slice.FramesInFile} frame(s) of {series.Columns}×{series.Rows} at {slice.BitsAllocated} bits need {needed}.",
                        slice.FilePath, -1, DicomTags.PixelData);
                }

                continue;
            }

            if (needed > Math.Max(DicomPixelData.MinCompressedBound, present * DicomPixelData.MaxCompressionRatio))
            {
                throw new DicomFormatException(
                    $"{slice.FramesInFile} frame(s) of {series.Columns}×{series.Rows} at {slice.BitsAllocated} bits ({needed} bytes) cannot come from {present} bytes of compressed pixel data.",
                    slice.FilePath, -1, DicomTags.PixelData);
            }

            firstCompressed ??= slice.FilePath;
            compressedPresent += present;
            compressedNeeded += needed;
        }

        // Each file may use the fixed allowance; a series of many tiny files may not use it once per file.
        if (compressedNeeded > DicomPixelData.MinCompressedBound + (compressedPresent * DicomPixelData.MaxCompressionRatio))
        {
            throw new DicomFormatException(
                $"Series {series.SeriesInstanceUid}: {compressedNeeded} bytes of frames cannot come from the {compressedPresent} bytes of compressed pixel data in its files.",
                firstCompressed, -1, DicomTags.PixelData);
        }
    }

    private static void Load(DicomSeriesInfo series, DicomLoadOptions options, IProgress<double>? progress, CancellationToken ct, short[]? huOut, float[]? floatOut)
    {
        int sliceLength = series.Rows * series.Columns;
        int count = series.SliceCount;
        bool cacheFiles = series.IsMultiFrame;
        var fileCache = cacheFiles ? new ConcurrentDictionary<string, Lazy<DicomFile>>(StringComparer.Ordinal) : null;
        bool isCt = string.Equals(series.Modality, "CT", StringComparison.OrdinalIgnoreCase);
        int done = 0;
        var parallel = new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Execution.Parallelism.ForParallelOptions(Execution.Parallelism.FromNullable(options.MaxDegreeOfParallelism)) };
        try
        {
            Parallel.For(0, count, parallel, k =>
            {
                DicomSliceInfo slice = series.Slices[k];
                DicomFile file = fileCache is null
                    ? DicomFile.Parse(File.ReadAllBytes(slice.FilePath), slice.FilePath)
                    : fileCache.GetOrAdd(slice.FilePath, p => new Lazy<DicomFile>(() => DicomFile.Open(p))).Value;
                DicomPixelData pixels = file.GetPixelData();
                if (pixels.SamplesPerPixel != 1 || pixels.PhotometricInterpretation is not ("MONOCHROME1" or "MONOCHROME2"))
                {
                    // Colour and palette images hold no modality values (HU) to threshold: refuse rather than mesh indices.
                    throw new InputFormatException(
                        $"photometric interpretation {pixels.PhotometricInterpretation} with {pixels.SamplesPerPixel} sample(s) per pixel is not supported: VolumeMesh meshes greyscale (MONOCHROME1/2) images such as CT and MR.",
                        slice.FilePath, null);
                }

                if (pixels.Rows != series.Rows || pixels.Columns != series.Columns || pixels.SamplesPerPixel != 1 || slice.FrameIndex >= pixels.NumberOfFrames)
                {
                    throw new DicomFormatException(
                        $"The image is {pixels.Columns}×{pixels.Rows}×{pixels.SamplesPerPixel} with {pixels.NumberOfFrames} frame(s); the series needs {series.Columns}×{series.Rows} grey frame {slice.FrameIndex}.",
                        slice.FilePath);
                }

                var converter = new SliceConverter(pixels, file.Dataset, slice, options, isCt);
                if (pixels.IsNativeLittleEndian)
                {
                    converter.Convert(pixels.GetFrameData(slice.FrameIndex).Span, huOut, floatOut, k * sliceLength, sliceLength);
                }
                else if (huOut is not null && pixels.BitsAllocated == 16)
                {
                    // Decode straight into the volume's slice, then rescale in place (each voxel is read before it is written).
                    Span<byte> target = MemoryMarshal.AsBytes(huOut.AsSpan(k * sliceLength, sliceLength));
                    pixels.DecodeFrame(slice.FrameIndex, target);
                    converter.Convert(target, huOut, null, k * sliceLength, sliceLength);
                }
                else
                {
                    byte[] buffer = ArrayPool<byte>.Shared.Rent(pixels.FrameLength);
                    try
                    {
                        pixels.DecodeFrame(slice.FrameIndex, buffer);
                        converter.Convert(buffer.AsSpan(0, pixels.FrameLength), huOut, floatOut, k * sliceLength, sliceLength);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }

                int n = Interlocked.Increment(ref done);
                progress?.Report((double)n / count);
            });
        }
        catch (AggregateException ex)
        {
            Exception first = ex.Flatten().InnerExceptions[0];
            if (first is InputFormatException or NotSupportedException or IOException or OperationCanceledException)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
            }

            throw;
        }
    }

    /// <summary>Stored value → modality value for one slice: mask to Bits Stored, sign-extend, padding, rescale (PS3.3 §C.7.6.3.1, §C.11.1).</summary>
    private readonly struct SliceConverter
    {
        private readonly int _bytesPerSample;
        private readonly int _bitsStored;
        private readonly bool _signed;
        private readonly double _slope;
        private readonly double _intercept;
        private readonly bool _hasPadding;
        private readonly long _padLow;
        private readonly long _padHigh;
        private readonly double? _paddingValue;
        private readonly bool _invert;

        public SliceConverter(DicomPixelData pixels, DicomDataset ds, DicomSliceInfo slice, DicomLoadOptions options, bool isCt)
        {
            _bytesPerSample = Math.Max(1, pixels.BitsAllocated / 8);
            _bitsStored = pixels.BitsStored;
            _signed = pixels.IsSigned;
            _slope = slice.RescaleSlope;
            _intercept = slice.RescaleIntercept;
            _invert = options.InvertMonochrome1 && pixels.PhotometricInterpretation == "MONOCHROME1";
            ushort? pad = ds.GetRawUInt16(DicomTags.PixelPaddingValue);
            ushort? limit = ds.GetRawUInt16(DicomTags.PixelPaddingRangeLimit);
            _hasPadding = pad is not null;
            long a = pad is { } p ? Interpret(p) : 0;
            long b = limit is { } l ? Interpret(l) : a;
            _padLow = Math.Min(a, b);
            _padHigh = Math.Max(a, b);
            _paddingValue = options.PaddingValue ?? (isCt ? -1024 : null);
        }

        public void Convert(ReadOnlySpan<byte> source, short[]? hu, float[]? floats, int offset, int count)
        {
            int shift = 64 - _bitsStored;
            double padding = _paddingValue ?? (_hasPadding ? MinimumReal(source, count, shift) : 0);
            long maxStored = _signed ? (1L << (_bitsStored - 1)) - 1 : (1L << _bitsStored) - 1;
            long minStored = _signed ? -(1L << (_bitsStored - 1)) : 0;
            bool integerRescale = _slope == 1 && _intercept == Math.Round(_intercept) && !_invert && hu is not null;
            int intercept = (int)Math.Clamp(_intercept, int.MinValue, int.MaxValue);
            short padShort = (short)Math.Clamp(Math.Round(padding), short.MinValue, short.MaxValue);
            int start = 0;
            if (integerRescale && _bytesPerSample == 2 && (_signed || _bitsStored <= 15)
                && minStored + (long)intercept >= short.MinValue && maxStored + (long)intercept <= short.MaxValue)
            {
                start = ConvertVector16(source, hu.AsSpan(offset, count), (short)intercept, padShort);
            }

            for (int i = start; i < count; i++)
            {
                long raw = _bytesPerSample switch
                {
                    2 => BinaryPrimitives.ReadUInt16LittleEndian(source.Slice(2 * i, 2)),
                    1 => source[i],
                    _ => BinaryPrimitives.ReadUInt32LittleEndian(source.Slice(4 * i, 4)),
                };
                long v = _signed ? (raw << shift) >> shift : (long)((ulong)(raw << shift) >> shift);
                if (_hasPadding && v >= _padLow && v <= _padHigh)
                {
                    if (hu is not null)
                    {
                        hu[offset + i] = padShort;
                    }
                    else
                    {
                        floats![offset + i] = (float)padding;
                    }

                    continue;
                }

                if (integerRescale)
                {
                    hu![offset + i] = (short)Math.Clamp(v + intercept, short.MinValue, short.MaxValue);
                    continue;
                }

                if (_invert)
                {
                    v = maxStored + minStored - v;
                }

                double value = (v * _slope) + _intercept;
                if (hu is not null)
                {
                    hu[offset + i] = (short)Math.Clamp(Math.Round(value), short.MinValue, short.MaxValue);
                }
                else
                {
                    floats![offset + i] = (float)value;
                }
            }
        }

        /// <summary>16-bit stored values, integer intercept, no overflow possible: whole vectors at a time; returns where the scalar tail starts.</summary>
        private int ConvertVector16(ReadOnlySpan<byte> source, Span<short> destination, short intercept, short padding)
        {
            ReadOnlySpan<short> src = MemoryMarshal.Cast<byte, short>(source[..(destination.Length * 2)]);
            int width = Vector<short>.Count;
            int shift = 16 - _bitsStored;
            var add = new Vector<short>(intercept);
            var padValue = new Vector<short>(padding);
            var padLow = new Vector<short>((short)Math.Clamp(_padLow, short.MinValue, short.MaxValue));
            var padHigh = new Vector<short>((short)Math.Clamp(_padHigh, short.MinValue, short.MaxValue));
            int i = 0;
            for (; i <= destination.Length - width; i += width)
            {
                var raw = new Vector<short>(src[i..]);
                Vector<short> v = _signed
                    ? Vector.ShiftRightArithmetic(Vector.ShiftLeft(raw, shift), shift)
                    : Vector.AsVectorInt16(Vector.ShiftRightLogical(Vector.AsVectorUInt16(Vector.ShiftLeft(raw, shift)), shift));
                Vector<short> result = v + add;
                if (_hasPadding)
                {
                    Vector<short> isPadding = Vector.GreaterThanOrEqual(v, padLow) & Vector.LessThanOrEqual(v, padHigh);
                    result = Vector.ConditionalSelect(isPadding, padValue, result);
                }

                result.CopyTo(destination[i..]);
            }

            return i;
        }

        private long Interpret(ushort raw)
        {
            int bits = Math.Min(16, _bitsStored);
            long v = raw & ((1L << bits) - 1);
            return _signed && (v >> (bits - 1)) != 0 ? v - (1L << bits) : v;
        }

        private double MinimumReal(ReadOnlySpan<byte> source, int count, int shift)
        {
            long min = long.MaxValue;
            for (int i = 0; i < count; i++)
            {
                long raw = _bytesPerSample switch
                {
                    2 => BinaryPrimitives.ReadUInt16LittleEndian(source.Slice(2 * i, 2)),
                    1 => source[i],
                    _ => BinaryPrimitives.ReadUInt32LittleEndian(source.Slice(4 * i, 4)),
                };
                long v = _signed ? (raw << shift) >> shift : (long)((ulong)(raw << shift) >> shift);
                if ((v < _padLow || v > _padHigh) && v < min)
                {
                    min = v;
                }
            }

            return min == long.MaxValue ? 0 : (min * _slope) + _intercept;
        }
    }
}
