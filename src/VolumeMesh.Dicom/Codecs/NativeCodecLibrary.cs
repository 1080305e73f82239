using System.Runtime.InteropServices;

namespace VolumeMesh.Dicom.Codecs;

/// <summary>
/// A system codec library loaded on first use; a missing library or export becomes a <see cref="NotSupportedException"/>
/// naming the transfer syntax, the library and how to install it (README "Native codecs").
/// </summary>
internal sealed class NativeCodecLibrary
{
    private readonly string[] _names;
    private readonly string _package;
    private readonly Lazy<IntPtr> _handle;

    /// <summary>Creates the loader.</summary>
    /// <param name="package">The Debian package that ships the library.</param>
    /// <param name="names">File names to try, the Linux soname first (it is the one the message names).</param>
    public NativeCodecLibrary(string package, params string[] names)
    {
        _names = names;
        _package = package;
        _handle = new Lazy<IntPtr>(Load, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>How to install the library on systems other than Debian and Ubuntu, for the message; empty when unknown.</summary>
    public string OtherSystems { get; init; } = string.Empty;

    /// <summary>The file name the message names: the Linux soname unless set.</summary>
    public string LibraryName
    {
        get => field ?? _names[0];
        init;
    }

    /// <summary>Whether the library can be loaded.</summary>
    public bool IsAvailable => _handle.Value != IntPtr.Zero;

    /// <summary>The message of the exception a decode of <paramref name="syntax"/> raises while the library is missing.</summary>
    /// <param name="syntax">The transfer syntax that needs the library.</param>
    /// <returns>The message.</returns>
    public string MissingMessage(DicomTransferSyntax syntax)
    {
        string others = OtherSystems.Length == 0 ? string.Empty : "; " + OtherSystems;
        return $"Decoding {syntax} needs the native library {LibraryName}, which was not found. "
            + $"Install it: Debian/Ubuntu 'apt-get install {_package}'{others}.";
    }

    /// <summary>Throws when the library cannot be loaded.</summary>
    /// <param name="syntax">The transfer syntax that needs it, for the message.</param>
    /// <exception cref="NotSupportedException">The library is missing.</exception>
    public void Require(DicomTransferSyntax syntax)
    {
        if (!IsAvailable)
        {
            throw new NotSupportedException(MissingMessage(syntax));
        }
    }

    /// <summary>The address of an export.</summary>
    /// <param name="name">The symbol.</param>
    /// <param name="syntax">The transfer syntax that needs it, for the message.</param>
    /// <returns>The function pointer.</returns>
    /// <exception cref="NotSupportedException">The library or the export is missing.</exception>
    public IntPtr Export(string name, DicomTransferSyntax syntax)
    {
        Require(syntax);
        if (!NativeLibrary.TryGetExport(_handle.Value, name, out IntPtr address))
        {
            throw new NotSupportedException($"Decoding {syntax} needs {name} from {LibraryName} (package '{_package}'), which this version lacks.");
        }

        return address;
    }

    private IntPtr Load()
    {
        foreach (string name in _names)
        {
            if (NativeLibrary.TryLoad(name, out IntPtr handle))
            {
                return handle;
            }
        }

        return IntPtr.Zero;
    }
}
