using System.Numerics;
using VolumeMesh.Meshing;
using VolumeMesh.Volumes;

namespace VolumeMesh.Compute;

/// <summary>The managed CPU backend: delegates to <see cref="MarchingCubes"/>.</summary>
public sealed class ManagedMarchingCubesEngine : IMarchingCubesEngine
{
    /// <summary>The shared instance.</summary>
    public static ManagedMarchingCubesEngine Instance { get; } = new();

    /// <inheritdoc/>
    public ComputeDevice Device => ComputeDevices.ManagedCpu;

    /// <inheritdoc/>
    public Mesh FromIso<T>(Volume<T> volume, double iso, MarchingCubesOptions? options = null, CancellationToken cancellationToken = default)
        where T : unmanaged, INumber<T> => MarchingCubes.FromIso(volume, iso, options, cancellationToken);

    /// <inheritdoc/>
    public Mesh FromRange<T>(Volume<T> volume, double low, double high, MarchingCubesOptions? options = null, CancellationToken cancellationToken = default)
        where T : unmanaged, INumber<T> => MarchingCubes.FromRange(volume, low, high, options, cancellationToken);

    /// <inheritdoc/>
    public Mesh FromMask(Mask mask, MarchingCubesOptions? options = null, CancellationToken cancellationToken = default) =>
        MarchingCubes.FromMask(mask, options, cancellationToken);
}
