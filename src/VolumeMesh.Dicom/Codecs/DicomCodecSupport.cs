using VolumeMesh.Dicom.Codecs;

namespace VolumeMesh.Dicom;

/// <summary>
/// Whether this machine can decode the pixel data of a transfer syntax, asked before loading a series: native, RLE and
/// JPEG (baseline, extended, lossless) are managed code and always decode; JPEG-LS needs the system CharLS 2 library and
/// JPEG 2000 the system OpenJPEG 2 library (README "Native codecs").
/// </summary>
public static class DicomCodecSupport
{
    /// <summary>Whether pixel data in <paramref name="syntax"/> can be decoded here.</summary>
    /// <param name="syntax">The transfer syntax.</param>
    /// <returns>True when decoding needs nothing that is missing.</returns>
    public static bool CanDecode(DicomTransferSyntax syntax) => WhyNot(syntax) is null;

    /// <summary>
    /// Why pixel data in <paramref name="syntax"/> cannot be decoded here: the message of the
    /// <see cref="NotSupportedException"/> a decode would raise (the transfer syntax, the missing native library and how to
    /// install it), or null when it can be decoded.
    /// </summary>
    /// <param name="syntax">The transfer syntax.</param>
    /// <returns>The reason, or null.</returns>
    public static string? WhyNot(DicomTransferSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        return syntax.PixelEncoding switch
        {
            DicomPixelEncoding.Native or DicomPixelEncoding.Rle or DicomPixelEncoding.Jpeg => null,
            DicomPixelEncoding.JpegLs => Missing(CharLsCodec.Library.Current, syntax),
            DicomPixelEncoding.Jpeg2000 => Missing(OpenJpegCodec.Library.Current, syntax),
            _ => $"Pixel data in {syntax} cannot be decoded; convert the files to an uncompressed or lossless syntax first.",
        };
    }

    /// <summary>The native library a transfer syntax needs (its Linux file name), or null when it is decoded in managed code.</summary>
    /// <param name="syntax">The transfer syntax.</param>
    /// <returns>The library, or null.</returns>
    public static string? NativeLibraryFor(DicomTransferSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        return syntax.PixelEncoding switch
        {
            DicomPixelEncoding.JpegLs => CharLsCodec.Library.Current.LibraryName,
            DicomPixelEncoding.Jpeg2000 => OpenJpegCodec.Library.Current.LibraryName,
            _ => null,
        };
    }

    private static string? Missing(NativeCodecLibrary library, DicomTransferSyntax syntax) =>
        library.IsAvailable ? null : library.MissingMessage(syntax);
}
