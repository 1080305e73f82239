namespace VolumeMesh.Dicom.Codecs;

/// <summary>
/// The library a codec uses: the system one, or, for the calling flow only (an <see cref="AsyncLocal{T}"/>, so tests that
/// run in parallel are not affected), another one; tests use it to simulate a machine without the library.
/// </summary>
internal sealed class NativeCodecSlot
{
    private readonly NativeCodecLibrary _system;
    private readonly AsyncLocal<NativeCodecLibrary?> _override = new();

    /// <summary>Creates the slot.</summary>
    /// <param name="system">The system library.</param>
    public NativeCodecSlot(NativeCodecLibrary system) => _system = system;

    /// <summary>The library the calling flow uses.</summary>
    public NativeCodecLibrary Current => _override.Value ?? _system;

    /// <summary>Uses <paramref name="library"/> in the calling flow until the result is disposed.</summary>
    /// <param name="library">The library to use instead of the system one.</param>
    /// <returns>Restores the previous library when disposed.</returns>
    public IDisposable Override(NativeCodecLibrary library)
    {
        NativeCodecLibrary? previous = _override.Value;
        _override.Value = library;
        return new Restore(this, previous);
    }

    private sealed class Restore(NativeCodecSlot slot, NativeCodecLibrary? previous) : IDisposable
    {
        public void Dispose() => slot._override.Value = previous;
    }
}
