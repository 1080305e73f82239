using System.Runtime.InteropServices;

namespace VolumeMesh.Dicom.Codecs;

/// <summary>JPEG-LS decoding (ISO 14495-1) through the system CharLS 2 C API (libcharls.so.2, Debian libcharls2).</summary>
internal static unsafe class CharLsCodec
{
    /// <summary>CharLS 2: Linux soname first, then macOS and Windows names (README "Native codecs").</summary>
    internal static readonly NativeCodecSlot Library = new(new NativeCodecLibrary(
        "libcharls2", "libcharls.so.2", "libcharls.2.dylib", "charls-2-x64.dll", "libcharls.so", "charls")
    {
        OtherSystems = "Fedora/RHEL 'dnf install charls'; macOS 'brew install charls'; Windows: charls-2-x64.dll (CharLS 2.x, e.g. 'vcpkg install charls') beside the application or on PATH",
    });

    public static bool IsAvailable => Library.Current.IsAvailable;

    public static void Decode(ReadOnlyMemory<byte> data, Span<byte> destination, DicomPixelData pixels)
    {
        DicomTransferSyntax ts = pixels.TransferSyntax;
        NativeCodecLibrary library = Library.Current;
        library.Require(ts);
        RequireEndOfImage(data.Span, pixels.File.FilePath);
        var create = (delegate* unmanaged[Cdecl]<IntPtr>)library.Export("charls_jpegls_decoder_create", ts);
        var destroy = (delegate* unmanaged[Cdecl]<IntPtr, void>)library.Export("charls_jpegls_decoder_destroy", ts);
        var setSource = (delegate* unmanaged[Cdecl]<IntPtr, void*, nuint, int>)library.Export("charls_jpegls_decoder_set_source_buffer", ts);
        var readHeader = (delegate* unmanaged[Cdecl]<IntPtr, int>)library.Export("charls_jpegls_decoder_read_header", ts);
        var frameInfo = (delegate* unmanaged[Cdecl]<IntPtr, FrameInfo*, int>)library.Export("charls_jpegls_decoder_get_frame_info", ts);
        var interleave = (delegate* unmanaged[Cdecl]<IntPtr, int*, int>)library.Export("charls_jpegls_decoder_get_interleave_mode", ts);
        var size = (delegate* unmanaged[Cdecl]<IntPtr, uint, nuint*, int>)library.Export("charls_jpegls_decoder_get_destination_size", ts);
        var decode = (delegate* unmanaged[Cdecl]<IntPtr, void*, nuint, uint, int>)library.Export("charls_jpegls_decoder_decode_to_buffer", ts);
        string? path = pixels.File.FilePath;

        IntPtr decoder = create();
        if (decoder == IntPtr.Zero)
        {
            throw new OutOfMemoryException("CharLS could not create a decoder.");
        }

        try
        {
            using System.Buffers.MemoryHandle pin = data.Pin();
            Check(setSource(decoder, pin.Pointer, (nuint)data.Length), "set source", path);
            Check(readHeader(decoder), "read header", path);
            FrameInfo info;
            Check(frameInfo(decoder, &info), "frame info", path);
            int bytesPerSample = info.BitsPerSample <= 8 ? 1 : 2;
            if (info.Width != pixels.Columns || info.Height != pixels.Rows || info.ComponentCount != pixels.SamplesPerPixel
                || bytesPerSample * 8 > Math.Max(8, pixels.BitsAllocated) || pixels.BitsAllocated > 16)
            {
                throw new DicomFormatException(
                    $"JPEG-LS frame is {info.Width}×{info.Height}×{info.ComponentCount} at {info.BitsPerSample} bits but the data set says {pixels.Columns}×{pixels.Rows}×{pixels.SamplesPerPixel} at {pixels.BitsAllocated}.",
                    path, -1, DicomTags.PixelData);
            }

            int mode;
            Check(interleave(decoder, &mode), "interleave mode", path);
            nuint needed;
            Check(size(decoder, 0, &needed), "destination size", path);
            if (needed != (nuint)destination.Length)
            {
                throw new DicomFormatException($"JPEG-LS frame decodes to {needed} bytes, expected {destination.Length}.", path, -1, DicomTags.PixelData);
            }

            if (mode == 0 && pixels.SamplesPerPixel > 1)
            {
                // Interleave mode "none" decodes plane by plane; reorder to interleaved samples.
                byte[] planar = new byte[destination.Length];
                fixed (byte* p = planar)
                {
                    Check(decode(decoder, p, (nuint)planar.Length, 0), "decode", path);
                }

                int pixelsCount = pixels.Rows * pixels.Columns;
                int spp = pixels.SamplesPerPixel;
                for (int s = 0; s < spp; s++)
                {
                    for (int i = 0; i < pixelsCount; i++)
                    {
                        planar.AsSpan(((s * pixelsCount) + i) * bytesPerSample, bytesPerSample).CopyTo(destination.Slice(((i * spp) + s) * bytesPerSample, bytesPerSample));
                    }
                }
            }
            else
            {
                fixed (byte* d = destination)
                {
                    Check(decode(decoder, d, (nuint)destination.Length, 0), "decode", path);
                }
            }
        }
        finally
        {
            destroy(decoder);
        }
    }

    /// <summary>
    /// A stream cut off before its EOI marker is refused before CharLS sees it: CharLS 2.4 spends ~10 s decoding past the
    /// end of a 373-byte truncated 16×16 stream before failing (found by fuzzing; tests' FuzzRegressions/jpegls). DICOM
    /// pads a fragment of odd length with one zero byte (PS3.5 §A.4), which is allowed after EOI.
    /// </summary>
    private static void RequireEndOfImage(ReadOnlySpan<byte> data, string? path)
    {
        int end = data.Length;
        while (end > 0 && data.Length - end < 2 && data[end - 1] == 0)
        {
            end--;
        }

        if (end < 2 || data[end - 2] != 0xFF || data[end - 1] != 0xD9)
        {
            throw new DicomFormatException("JPEG-LS stream is cut off: it does not end with the EOI marker.", path, -1, DicomTags.PixelData);
        }
    }

    private static void Check(int error, string step, string? path)
    {
        if (error != 0)
        {
            throw new DicomFormatException($"JPEG-LS {step} failed (CharLS error {error}).", path, -1, DicomTags.PixelData);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct FrameInfo
    {
        public uint Width;
        public uint Height;
        public int BitsPerSample;
        public int ComponentCount;
    }
}
