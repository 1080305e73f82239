using System.Runtime.InteropServices;

namespace VolumeMesh.Dicom.Codecs;

/// <summary>A system codec library loaded on first use; a missing library or export becomes a <see cref="NotSupportedException"/> naming the package to install.</summary>
internal sealed class NativeCodecLibrary
{
    private readonly string[] _names;
    private readonly string _package;
    private readonly Lazy<IntPtr> _handle;

    public NativeCodecLibrary(string package, params string[] names)
    {
        _names = names;
        _package = package;
        _handle = new Lazy<IntPtr>(Load, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Whether the library can be loaded.</summary>
    public bool IsAvailable => _handle.Value != IntPtr.Zero;

    /// <summary>The address of an export.</summary>
    /// <param name="name">The symbol.</param>
    /// <param name="syntax">The transfer syntax that needs it, for the message.</param>
    /// <returns>The function pointer.</returns>
    public IntPtr Export(string name, DicomTransferSyntax syntax)
    {
        IntPtr handle = _handle.Value;
        if (handle == IntPtr.Zero)
        {
            throw new NotSupportedException(
                $"Decoding {syntax} needs the system library {_names[0]}, which was not found. Install the Debian package '{_package}' (apt-get install {_package}).");
        }

        if (!NativeLibrary.TryGetExport(handle, name, out IntPtr address))
        {
            throw new NotSupportedException($"Decoding {syntax} needs {name} from {_names[0]} (package '{_package}'), which this version lacks.");
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
