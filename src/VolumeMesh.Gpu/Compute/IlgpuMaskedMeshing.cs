using System.Numerics;
using VolumeMesh.Execution;
using VolumeMesh.Meshing;
using VolumeMesh.Volumes;

namespace VolumeMesh.Compute;

/// <summary>Marching cubes of a selected mask on an int16 field, on an ILGPU device (equal to the managed <see cref="MarchingCubes.FromMaskedRange{T}"/>).</summary>
internal sealed class IlgpuMaskedMeshing(GpuMarchingCubes engine) : IMaskedMeshingStage
{
    public ComputeDevice Device => engine.Device;

    /// <exception cref="NotSupportedException">The voxel type is not <see cref="short"/> (the packing needs int16 values).</exception>
    public Mesh FromMaskedRange<T>(Volume<T> volume, Mask mask, double low, double high, ComputeContext context)
        where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(context);
        if (volume is not Volume<short> hu)
        {
            throw new NotSupportedException(
                $"Meshing a selected mask on the device needs int16 voxels, not {typeof(T).Name}; use {nameof(ManagedStages)} for other types.");
        }

        return engine.FromMaskedRange(hu, mask, low, high, context.MaxDegreeOfParallelism, context.StageProgress("mesh"), context.CancellationToken);
    }
}
