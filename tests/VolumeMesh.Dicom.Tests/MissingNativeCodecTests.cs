using VolumeMesh.Dicom.Codecs;

namespace VolumeMesh.Dicom.Tests;

/// <summary>
/// Issue 16: a machine without CharLS or OpenJPEG, simulated by pointing the codec at a library name that does not
/// exist (for this test's flow only): decoding a JPEG-LS or JPEG 2000 frame raises the documented
/// <see cref="NotSupportedException"/> naming the transfer syntax, the library and how to install it, and
/// <see cref="DicomCodecSupport"/> says the same beforehand; managed syntaxes are unaffected.
/// </summary>
public sealed class MissingNativeCodecTests
{
    public static TheoryData<string, string, string, string> NativeSyntaxes => new()
    {
        { DicomTransferSyntax.JpegLsLossless.Uid, "libcharls.so.2", "apt-get install libcharls2", "brew install charls" },
        { DicomTransferSyntax.JpegLsNearLossless.Uid, "libcharls.so.2", "apt-get install libcharls2", "dnf install charls" },
        { DicomTransferSyntax.Jpeg2000Lossless.Uid, "libopenjp2.so.7", "apt-get install libopenjp2-7", "brew install openjpeg" },
        { DicomTransferSyntax.Jpeg2000.Uid, "libopenjp2.so.7", "apt-get install libopenjp2-7", "dnf install openjpeg2" },
    };

    [Theory]
    [MemberData(nameof(NativeSyntaxes))]
    public void DecodingWithoutTheLibraryNamesSyntaxLibraryAndInstall(string uid, string library, string debian, string other)
    {
        DicomTransferSyntax syntax = DicomTransferSyntax.FromUid(uid);
        DicomFile file = DicomFile.Parse(EncapsulatedFile(uid));
        NativeCodecSlot slot = syntax.PixelEncoding == DicomPixelEncoding.JpegLs ? CharLsCodec.Library : OpenJpegCodec.Library;
        string? systemLibraryWhyNot = DicomCodecSupport.WhyNot(syntax);

        using (slot.Override(Missing(slot.Current)))
        {
            Assert.False(DicomCodecSupport.CanDecode(syntax));
            string? reason = DicomCodecSupport.WhyNot(syntax);
            var ex = Assert.Throws<NotSupportedException>(() => file.GetPixelData().DecodeFrame(0));
            Assert.Equal(reason, ex.Message);
            Assert.Contains(uid, ex.Message, StringComparison.Ordinal);
            Assert.Contains(syntax.Name, ex.Message, StringComparison.Ordinal);
            Assert.Contains(library, ex.Message, StringComparison.Ordinal);
            Assert.Contains(debian, ex.Message, StringComparison.Ordinal);
            Assert.Contains(other, ex.Message, StringComparison.Ordinal);
            Assert.Equal(library, DicomCodecSupport.NativeLibraryFor(syntax));
        }

        // Outside the override the system library is back: with it installed, the same (junk) frame now reaches the
        // codec and is refused as corrupt data rather than as a missing library.
        Assert.Equal(systemLibraryWhyNot, DicomCodecSupport.WhyNot(syntax));
        if (systemLibraryWhyNot is null)
        {
            Assert.Throws<DicomFormatException>(() => file.GetPixelData().DecodeFrame(0));
        }
    }

    [Fact]
    public void ManagedSyntaxesNeedNoNativeLibrary()
    {
        using IDisposable charls = CharLsCodec.Library.Override(Missing(CharLsCodec.Library.Current));
        using IDisposable openjpeg = OpenJpegCodec.Library.Override(Missing(OpenJpegCodec.Library.Current));
        foreach (DicomTransferSyntax syntax in new[]
        {
            DicomTransferSyntax.ExplicitVRLittleEndian, DicomTransferSyntax.ImplicitVRLittleEndian, DicomTransferSyntax.ExplicitVRBigEndian,
            DicomTransferSyntax.DeflatedExplicitVRLittleEndian, DicomTransferSyntax.RleLossless, DicomTransferSyntax.JpegBaseline,
            DicomTransferSyntax.JpegExtended, DicomTransferSyntax.JpegLossless, DicomTransferSyntax.JpegLosslessSV1,
        })
        {
            Assert.True(DicomCodecSupport.CanDecode(syntax), syntax.ToString());
            Assert.Null(DicomCodecSupport.NativeLibraryFor(syntax));
        }

        Assert.False(DicomCodecSupport.CanDecode(DicomTransferSyntax.FromUid("1.2.3.999")));
    }

    /// <summary>A loader for the same library under a file name that exists nowhere.</summary>
    private static NativeCodecLibrary Missing(NativeCodecLibrary real)
    {
        string package = real.LibraryName.StartsWith("libcharls", StringComparison.Ordinal) ? "libcharls2" : "libopenjp2-7";
        return new NativeCodecLibrary(package, "libvolumemesh-absent-for-test.so.0") { LibraryName = real.LibraryName, OtherSystems = real.OtherSystems };
    }

    /// <summary>A 2×2 16-bit CT frame whose one fragment is a JPEG SOI and EOI with nothing between.</summary>
    private static byte[] EncapsulatedFile(string uid) => new TestDicomWriter()
        .Text(0x0008, 0x0060, "CS", "CT")
        .UShort(0x0028, 0x0002, 1)
        .UShort(0x0028, 0x0010, 2)
        .UShort(0x0028, 0x0011, 2)
        .UShort(0x0028, 0x0100, 16)
        .UShort(0x0028, 0x0101, 16)
        .UShort(0x0028, 0x0102, 15)
        .UShort(0x0028, 0x0103, 1)
        .Encapsulated([0xFF, 0xD8, 0xFF, 0xD9])
        .ToFile(uid);
}
