using System.Runtime.CompilerServices;
using JpegLibrary;

namespace VolumeMesh.Dicom.Codecs;

/// <summary>JPEG decoding (ISO 10918-1): process 14 by <see cref="JpegLosslessDecoder"/>, everything else (baseline, extended, other lossless forms) through the managed JpegLibrary.</summary>
internal static class JpegCodec
{
    public static void Decode(ReadOnlyMemory<byte> data, Span<byte> destination, DicomPixelData pixels)
    {
        string? path = pixels.File.FilePath;
        if (pixels.BitsAllocated is 8 or 16
            && JpegLosslessDecoder.TryDecode(data.Span, destination, pixels.Columns, pixels.Rows, pixels.SamplesPerPixel, pixels.BitsAllocated / 8, path))
        {
            return;
        }

        JpegStreamCheck.Check(data.Span, path);
        var decoder = new JpegDecoder();
        try
        {
            decoder.SetInput(data);
            decoder.Identify();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new DicomFormatException($"JPEG header is invalid: {ex.Message}", path, -1, DicomTags.PixelData, ex);
        }

        if (decoder.Width != pixels.Columns || decoder.Height != pixels.Rows || decoder.NumberOfComponents != pixels.SamplesPerPixel)
        {
            throw new DicomFormatException(
                $"JPEG frame is {decoder.Width}×{decoder.Height}×{decoder.NumberOfComponents} but the data set says {pixels.Columns}×{pixels.Rows}×{pixels.SamplesPerPixel}.",
                path, -1, DicomTags.PixelData);
        }

        int precision = decoder.Precision;
        int bytesPerSample = pixels.BitsAllocated / 8;
        if (precision > 8 * bytesPerSample || bytesPerSample is not (1 or 2))
        {
            throw new DicomFormatException($"JPEG precision {precision} does not fit Bits Allocated {pixels.BitsAllocated}.", path, -1, DicomTags.BitsAllocated);
        }

        bool lossless = decoder.StartOfFrame is JpegMarker.StartOfFrame3 or JpegMarker.StartOfFrame7 or JpegMarker.StartOfFrame11 or JpegMarker.StartOfFrame15;
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(destination.Length);
        try
        {
            var writer = new FrameWriter(buffer, pixels.Columns, pixels.Rows, pixels.SamplesPerPixel, bytesPerSample, precision, lossless);
            decoder.SetOutputWriter(writer);
            decoder.Decode();
            buffer.AsSpan(0, destination.Length).CopyTo(destination);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not DicomFormatException)
        {
            throw new DicomFormatException($"JPEG data is corrupt: {ex.Message}", path, -1, DicomTags.PixelData, ex);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes decoded 8×8 blocks into the frame: level shift and clamping for DCT processes (ISO 10918-1 §A.3.1), raw samples for lossless.</summary>
    private sealed class FrameWriter : JpegBlockOutputWriter
    {
        private readonly byte[] _output;
        private readonly int _width;
        private readonly int _height;
        private readonly int _components;
        private readonly int _bytesPerSample;
        private readonly int _shift;
        private readonly int _max;

        public FrameWriter(byte[] output, int width, int height, int components, int bytesPerSample, int precision, bool lossless)
        {
            _output = output;
            _width = width;
            _height = height;
            _components = components;
            _bytesPerSample = bytesPerSample;
            _shift = 0; // JpegLibrary already applies the level shift.
            _max = lossless ? -1 : (1 << precision) - 1;
        }

        public override void WriteBlock(ref short blockRef, int componentIndex, int x, int y)
        {
            if ((uint)componentIndex >= (uint)_components)
            {
                return;
            }

            int rows = Math.Min(8, _height - y);
            int cols = Math.Min(8, _width - x);
            for (int r = 0; r < rows; r++)
            {
                int rowBase = (((y + r) * _width) + x) * _components;
                for (int c = 0; c < cols; c++)
                {
                    int v = Unsafe.Add(ref blockRef, (r * 8) + c);
                    if (_max >= 0)
                    {
                        v = Math.Clamp(v + _shift, 0, _max);
                    }

                    int index = (rowBase + (c * _components) + componentIndex) * _bytesPerSample;
                    if (_bytesPerSample == 1)
                    {
                        _output[index] = (byte)v;
                    }
                    else
                    {
                        _output[index] = (byte)v;
                        _output[index + 1] = (byte)(v >> 8);
                    }
                }
            }
        }
    }
}
