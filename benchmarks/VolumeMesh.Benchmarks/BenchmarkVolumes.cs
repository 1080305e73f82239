using VolumeMesh.Volumes;

namespace VolumeMesh.Benchmarks;

/// <summary>The benchmark inputs, generated as the CLI's <c>phantom</c> command writes them (seed 1).</summary>
public static class BenchmarkVolumes
{
    /// <summary>256³ float gyroid, meshed at iso 0.</summary>
    public const string Gyroid256 = "gyroid-256";

    /// <summary>512×512×400 int16 CT phantom, meshed in the bone range 226..3071 HU.</summary>
    public const string Ct400 = "ct-512x512x400";

    public static Volume<float> Gyroid() => Phantoms.Gyroid(256);

    public static Volume<short> Ct() => Phantoms.CtPhantom(400, seed: 1);
}
