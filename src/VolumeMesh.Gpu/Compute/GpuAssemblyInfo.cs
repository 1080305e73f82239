using VolumeMesh.Compute;

[assembly: ComputeBackendProvider(typeof(IlgpuBackendProvider))]
