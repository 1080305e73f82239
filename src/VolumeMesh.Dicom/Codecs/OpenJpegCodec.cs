using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace VolumeMesh.Dicom.Codecs;

/// <summary>JPEG 2000 decoding (ISO 15444-1, J2K codestream or JP2 file) through the system OpenJPEG 2 C API (libopenjp2.so.7, Debian libopenjp2-7).</summary>
internal static unsafe class OpenJpegCodec
{
    private const int CodecJ2K = 0;
    private const int CodecJp2 = 2;
    private const int ParametersBytes = 64 * 1024; // larger than opj_dparameters_t in any 2.x release
    /// <summary>OpenJPEG 2: Linux soname first, then macOS and Windows names (README "Native codecs").</summary>
    internal static readonly NativeCodecSlot Library = new(new NativeCodecLibrary(
        "libopenjp2-7", "libopenjp2.so.7", "libopenjp2.7.dylib", "openjp2.dll", "libopenjp2.so", "openjp2")
    {
        OtherSystems = "Fedora/RHEL 'dnf install openjpeg2'; macOS 'brew install openjpeg'; Windows: openjp2.dll (OpenJPEG 2.x, e.g. 'vcpkg install openjpeg') beside the application or on PATH",
    });

    public static bool IsAvailable => Library.Current.IsAvailable;

    public static void Decode(ReadOnlyMemory<byte> data, Span<byte> destination, DicomPixelData pixels)
    {
        DicomTransferSyntax ts = pixels.TransferSyntax;
        string? path = pixels.File.FilePath;
        NativeCodecLibrary library = Library.Current;
        library.Require(ts);
        Jpeg2000SizeCheck.Check(data.Span, pixels.Columns, pixels.Rows, path);
        var createDecompress = (delegate* unmanaged[Cdecl]<int, IntPtr>)library.Export("opj_create_decompress", ts);
        var setDefaults = (delegate* unmanaged[Cdecl]<void*, void>)library.Export("opj_set_default_decoder_parameters", ts);
        var setup = (delegate* unmanaged[Cdecl]<IntPtr, void*, int>)library.Export("opj_setup_decoder", ts);
        var streamCreate = (delegate* unmanaged[Cdecl]<nuint, int, IntPtr>)library.Export("opj_stream_create", ts);
        var setRead = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, void>)library.Export("opj_stream_set_read_function", ts);
        var setSkip = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, void>)library.Export("opj_stream_set_skip_function", ts);
        var setSeek = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, void>)library.Export("opj_stream_set_seek_function", ts);
        var setUserData = (delegate* unmanaged[Cdecl]<IntPtr, void*, IntPtr, void>)library.Export("opj_stream_set_user_data", ts);
        var setUserLength = (delegate* unmanaged[Cdecl]<IntPtr, ulong, void>)library.Export("opj_stream_set_user_data_length", ts);
        var readHeader = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, Image**, int>)library.Export("opj_read_header", ts);
        var decode = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, Image*, int>)library.Export("opj_decode", ts);
        var endDecompress = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int>)library.Export("opj_end_decompress", ts);
        var imageDestroy = (delegate* unmanaged[Cdecl]<Image*, void>)library.Export("opj_image_destroy", ts);
        var codecDestroy = (delegate* unmanaged[Cdecl]<IntPtr, void>)library.Export("opj_destroy_codec", ts);
        var streamDestroy = (delegate* unmanaged[Cdecl]<IntPtr, void>)library.Export("opj_stream_destroy", ts);

        ReadOnlySpan<byte> head = data.Span;
        int format = head.Length >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 0 && head[3] == 0x0C ? CodecJp2 : CodecJ2K;
        IntPtr codec = IntPtr.Zero;
        IntPtr stream = IntPtr.Zero;
        Image* image = null;
        void* parameters = NativeMemory.AllocZeroed(ParametersBytes);
        using System.Buffers.MemoryHandle pin = data.Pin();
        var state = new StreamState { Data = (byte*)pin.Pointer, Length = data.Length, Position = 0 };
        try
        {
            codec = createDecompress(format);
            if (codec == IntPtr.Zero)
            {
                throw new DicomFormatException("OpenJPEG could not create a decoder.", path);
            }

            setDefaults(parameters);
            if (setup(codec, parameters) == 0)
            {
                throw new DicomFormatException("OpenJPEG rejected the decoder setup.", path);
            }

            stream = streamCreate(64 * 1024, 1);
            if (stream == IntPtr.Zero)
            {
                throw new OutOfMemoryException("OpenJPEG could not create a stream.");
            }

            setRead(stream, (IntPtr)(delegate* unmanaged[Cdecl]<void*, nuint, void*, nuint>)&Read);
            setSkip(stream, (IntPtr)(delegate* unmanaged[Cdecl]<long, void*, long>)&Skip);
            setSeek(stream, (IntPtr)(delegate* unmanaged[Cdecl]<long, void*, int>)&Seek);
            setUserData(stream, &state, IntPtr.Zero);
            setUserLength(stream, (ulong)data.Length);
            if (readHeader(stream, codec, &image) == 0 || image == null)
            {
                throw new DicomFormatException("JPEG 2000 header is invalid.", path, -1, DicomTags.PixelData);
            }

            uint width = image->X1 - image->X0;
            uint height = image->Y1 - image->Y0;
            if (width != pixels.Columns || height != pixels.Rows || image->NumComps < pixels.SamplesPerPixel)
            {
                throw new DicomFormatException(
                    $"JPEG 2000 image is {width}×{height}×{image->NumComps} but the data set says {pixels.Columns}×{pixels.Rows}×{pixels.SamplesPerPixel}.",
                    path, -1, DicomTags.PixelData);
            }

            if (decode(codec, stream, image) == 0 || endDecompress(codec, stream) == 0)
            {
                throw new DicomFormatException("JPEG 2000 data is corrupt.", path, -1, DicomTags.PixelData);
            }

            int spp = pixels.SamplesPerPixel;
            int bytesPerSample = pixels.BitsAllocated / 8;
            int count = pixels.Rows * pixels.Columns;
            for (int s = 0; s < spp; s++)
            {
                ImageComponent* comp = image->Comps + s;
                if (comp->Data == null || comp->W != width || comp->H != height || comp->Dx != 1 || comp->Dy != 1)
                {
                    throw new NotSupportedException($"JPEG 2000 component {s} is sub-sampled or empty ({path}).");
                }

                int* src = comp->Data;
                for (int i = 0; i < count; i++)
                {
                    int v = src[i];
                    int at = ((i * spp) + s) * bytesPerSample;
                    switch (bytesPerSample)
                    {
                        case 1:
                            destination[at] = (byte)v;
                            break;
                        case 2:
                            Unsafe.WriteUnaligned(ref destination[at], (short)v);
                            break;
                        default:
                            Unsafe.WriteUnaligned(ref destination[at], v);
                            break;
                    }
                }
            }
        }
        finally
        {
            if (image != null)
            {
                imageDestroy(image);
            }

            if (stream != IntPtr.Zero)
            {
                streamDestroy(stream);
            }

            if (codec != IntPtr.Zero)
            {
                codecDestroy(codec);
            }

            NativeMemory.Free(parameters);
        }
    }

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static nuint Read(void* buffer, nuint count, void* user)
    {
        var s = (StreamState*)user;
        long left = s->Length - s->Position;
        if (left <= 0)
        {
            return unchecked((nuint)(-1));
        }

        long n = Math.Min((long)count, left);
        Buffer.MemoryCopy(s->Data + s->Position, buffer, (long)count, n);
        s->Position += n;
        return (nuint)n;
    }

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static long Skip(long count, void* user)
    {
        var s = (StreamState*)user;
        long target = Math.Clamp(s->Position + count, 0, s->Length);
        long skipped = target - s->Position;
        s->Position = target;
        return skipped == 0 && count != 0 ? -1 : skipped;
    }

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static int Seek(long position, void* user)
    {
        var s = (StreamState*)user;
        if (position < 0 || position > s->Length)
        {
            return 0;
        }

        s->Position = position;
        return 1;
    }

    private struct StreamState
    {
        public byte* Data;
        public long Length;
        public long Position;
    }

    /// <summary>opj_image_comp_t (openjpeg.h, 2.x).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct ImageComponent
    {
        public uint Dx;
        public uint Dy;
        public uint W;
        public uint H;
        public uint X0;
        public uint Y0;
        public uint Prec;
        public uint Bpp;
        public uint Sgnd;
        public uint ResnoDecoded;
        public uint Factor;
        public int* Data;
        public ushort Alpha;
    }

    /// <summary>opj_image_t (openjpeg.h, 2.x).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Image
    {
        public uint X0;
        public uint Y0;
        public uint X1;
        public uint Y1;
        public uint NumComps;
        public int ColorSpace;
        public ImageComponent* Comps;
        public byte* IccProfile;
        public uint IccProfileLength;
    }
}
