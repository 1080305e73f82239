using VolumeMesh.Volumes;

namespace VolumeMesh.Benchmarks;

/// <summary>The benchmark inputs, generated as the CLI's <c>phantom</c> command writes them (seed 1).</summary>
/// <remarks>With the environment variable <c>VOLUMEMESH_BENCH_SIZE=tiny</c> every input is a small volume of the same kind,
/// so CI can run each benchmark once (<c>benchmarks/dry-run.sh</c>) in seconds; the numbers of such a run mean nothing.</remarks>
public static class BenchmarkVolumes
{
    /// <summary>256³ float gyroid, meshed at iso 0.</summary>
    public const string Gyroid256 = "gyroid-256";

    /// <summary>512×512×400 int16 CT phantom, meshed in the bone range 226..3071 HU.</summary>
    public const string Ct400 = "ct-512x512x400";

    /// <summary>The environment variable that selects the tiny inputs of the CI dry run.</summary>
    public const string SizeVariable = "VOLUMEMESH_BENCH_SIZE";

    /// <summary>True when <see cref="SizeVariable"/> is <c>tiny</c>: every benchmark runs on a small input of the same kind.</summary>
    public static bool Tiny { get; } = string.Equals(Environment.GetEnvironmentVariable(SizeVariable), "tiny", StringComparison.OrdinalIgnoreCase);

    /// <summary>The 256³ gyroid (32³ when <see cref="Tiny"/>).</summary>
    /// <returns>The volume.</returns>
    public static Volume<float> Gyroid() => Phantoms.Gyroid(Tiny ? 32 : 256);

    /// <summary>The 512×512×400 CT phantom (64×64×24 when <see cref="Tiny"/>).</summary>
    /// <returns>The volume.</returns>
    public static Volume<short> Ct() => Tiny ? Phantoms.CtPhantom(64, 24, seed: 1) : Phantoms.CtPhantom(400, seed: 1);

    /// <summary>The CT phantom for ILGPU's (slow) CPU accelerator: 128×128×100 (48×48×16 when <see cref="Tiny"/>).</summary>
    /// <returns>The volume.</returns>
    public static Volume<short> CtForCpuAccelerator() => Tiny ? Phantoms.CtPhantom(48, 16, 1) : Phantoms.CtPhantom(128, 100, 1);

    /// <summary>The edge length of the labelling benchmark's noise volume: 256 (32 when <see cref="Tiny"/>).</summary>
    public static int NoiseSize => Tiny ? 32 : 256;

    /// <summary>The slice count of the labelling benchmark's synthetic CT bone: 400 (24 when <see cref="Tiny"/>).</summary>
    public static int CtSlices => Tiny ? 24 : 400;
}
