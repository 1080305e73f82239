using System.Buffers;
using System.Collections.Concurrent;

namespace VolumeMesh.Execution;

/// <summary>
/// The buffer policy of a <see cref="ComputeContext"/>: large scratch arrays come from a pool private to the context,
/// and <see cref="Release"/> (called when the context is disposed) drops every array it holds, so nothing stays parked
/// in a process-wide pool after a run. Arrays up to <see cref="ExactSizeThreshold"/> elements may come back longer than
/// asked; larger ones are allocated at the exact size and never pooled.
/// </summary>
public sealed class ComputeBufferPool
{
    /// <summary>Arrays longer than this many elements are allocated at the exact size rather than pooled.</summary>
    public const int ExactSizeThreshold = 1 << 20;

    private readonly ConcurrentDictionary<Type, object> _pools = new();
    private long _rented;

    /// <summary>Arrays rented and not yet returned.</summary>
    public long Outstanding => Interlocked.Read(ref _rented);

    /// <summary>Rents an array of at least <paramref name="length"/> elements (exactly that many above <see cref="ExactSizeThreshold"/>).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="length">Elements needed, at least 0.</param>
    /// <returns>The array; its contents are undefined.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public T[] Rent<T>(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Interlocked.Increment(ref _rented);
        return length > ExactSizeThreshold ? new T[length] : Pool<T>().Rent(length);
    }

    /// <summary>Returns an array rented from this pool.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="array">The array.</param>
    public void Return<T>(T[] array)
    {
        ArgumentNullException.ThrowIfNull(array);
        Interlocked.Decrement(ref _rented);
        if (array.Length <= ExactSizeThreshold)
        {
            Pool<T>().Return(array);
        }
    }

    /// <summary>Drops every pooled array, so the garbage collector can reclaim them.</summary>
    public void Release() => _pools.Clear();

    private ArrayPool<T> Pool<T>() => (ArrayPool<T>)_pools.GetOrAdd(typeof(T), _ => ArrayPool<T>.Create(ExactSizeThreshold, 16));
}
