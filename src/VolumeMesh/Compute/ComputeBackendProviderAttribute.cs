namespace VolumeMesh.Compute;

/// <summary>Names the <see cref="IComputeBackendProvider"/> of an assembly, which <see cref="ComputeBackends"/> then finds by itself.</summary>
/// <param name="providerType">A type with a public parameterless constructor that implements <see cref="IComputeBackendProvider"/>.</param>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class ComputeBackendProviderAttribute(Type providerType) : Attribute
{
    /// <summary>The provider type.</summary>
    public Type ProviderType { get; } = providerType;
}
