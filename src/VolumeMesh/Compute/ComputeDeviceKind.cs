namespace VolumeMesh.Compute;

/// <summary>The kind of a compute device.</summary>
public enum ComputeDeviceKind
{
    /// <summary>The managed CPU path: multi-threaded, vectorised C# (no ILGPU).</summary>
    Cpu,

    /// <summary>ILGPU's CPU accelerator: runs the GPU kernels on the CPU, for tests and debugging (slow).</summary>
    IlgpuCpu,

    /// <summary>An NVIDIA GPU through CUDA.</summary>
    Cuda,

    /// <summary>A GPU through OpenCL.</summary>
    OpenCL,
}
