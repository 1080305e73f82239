namespace VolumeMesh.Compute;

/// <summary>Options of the ILGPU marching-cubes engine (how much device memory it may use and how it slabs the volume).</summary>
public sealed record GpuMarchingCubesOptions
{
    /// <summary>The default options: a budget of 70% of the device's free memory, slabs sized from it.</summary>
    public static GpuMarchingCubesOptions Default { get; } = new();

    /// <summary>
    /// Device memory the engine may use for one slab's input and work buffers, in bytes; null (the default) takes 70% of
    /// the device's free memory (CUDA) or half its memory (OpenCL), or a quarter of the host's memory up to 1 GiB (ILGPU's CPU accelerator). A volume
    /// larger than the budget is meshed in z-slabs; the mesh is the same.
    /// </summary>
    public long? MemoryBudgetBytes { get; init; }

    /// <summary>Forces the number of cell planes per slab (at least 1), overriding the budget; for tests and tuning.</summary>
    public int? SlabPlanes { get; init; }
}
