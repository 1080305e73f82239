using System.IO.Compression;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using VolumeMesh.Components;
using VolumeMesh.Geometry;
using VolumeMesh.Volumes;

namespace VolumeMesh.Benchmarks;

/// <summary>
/// Connected-component labelling of the bone mask (226..3071 HU) of the 512×512×400 CT phantom
/// (<c>python3 ../shared/peers/phantoms.py ct /tmp/ct.nrrd --size 400</c>; path in VOLUMEMESH_CT_NRRD, default /tmp/ct.nrrd),
/// and of 50 % uniform noise (the worst case for runs). Without the NRRD file the same structure is built here, without noise.
/// Compare with <c>python3 ../shared/peers/label.py /tmp/ct.nrrd --threshold 226:3071 --connectivity 26</c>.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 9)]
public class LabelingBenchmarks
{
    private Mask _mask = null!;
    private int[] _destination = null!;
    private ConnectedComponentsOptions _options = null!;

    [Params("ct-bone", "noise-256")]
    public string Input { get; set; } = "ct-bone";

    [Params(Connectivity.Six, Connectivity.TwentySix)]
    public Connectivity Connectivity { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _mask = Input == "ct-bone" ? LoadCtBoneMask() : NoiseMask(BenchmarkVolumes.NoiseSize, 0.5);
        _destination = new int[_mask.Voxels.Length];
        _options = new ConnectedComponentsOptions { Connectivity = Connectivity };
        LabelVolume labels = ConnectedComponents.Label(_mask, _options);
        Console.WriteLine($"// {Input}: {_mask.Voxels.Length} voxels, {_mask.CountInside()} inside, {labels.ComponentCount} components");
    }

    /// <summary>Labels into a freshly allocated label array (what a single call costs).</summary>
    [Benchmark(Baseline = true)]
    public int LabelNewArray() => ConnectedComponents.Label(_mask, _options).ComponentCount;

    /// <summary>Labels into a reused label array (every voxel written).</summary>
    [Benchmark]
    public int LabelReusedArray() => ConnectedComponents.Label(_mask, _destination, _options).ComponentCount;

    internal static Mask LoadCtBoneMask()
    {
        string path = Environment.GetEnvironmentVariable("VOLUMEMESH_CT_NRRD") ?? "/tmp/ct.nrrd";
        if (BenchmarkVolumes.Tiny || !File.Exists(path))
        {
            Console.WriteLine($"// {path} not used: building the CT phantom's structure without noise.");
            return SyntheticCtBone(BenchmarkVolumes.CtSlices);
        }

        (int[] sizes, short[] hu) = ReadInt16Nrrd(path);
        var geometry = VolumeGeometry.AxisAligned(sizes[0], sizes[1], sizes[2], 0.7, 0.7, 1.0);
        var voxels = new byte[hu.Length];
        for (int n = 0; n < hu.Length; n++)
        {
            voxels[n] = hu[n] is >= 226 and <= 3071 ? (byte)1 : (byte)0;
        }

        return new Mask(geometry, voxels);
    }

    /// <summary>The bone of phantoms.py's <c>ct</c>: cortical shell and spongy bone, a second bone, a one-voxel bridge, the table.</summary>
    internal static Mask SyntheticCtBone(int slices)
    {
        var geometry = VolumeGeometry.AxisAligned(512, 512, slices, 0.7, 0.7, 1.0);
        var mask = new Mask(geometry);
        double zc = (slices - 1) / 2.0;
        Parallel.For(0, slices, z =>
        {
            for (int y = 0; y < 512; y++)
            {
                for (int x = 0; x < 512; x++)
                {
                    double dz = (z - zc) * 1.6;
                    double r = Math.Sqrt(((x - 230.0) * (x - 230.0)) + ((y - 250.0) * (y - 250.0)) + (dz * dz));
                    double r2 = Math.Sqrt(((x - 345.0) * (x - 345.0)) + ((y - 250.0) * (y - 250.0)) + (dz * dz));
                    bool bone = (r <= 70 && r > 40) || r2 <= 40
                        || (y == 250 && x > 299 && x < 306 && Math.Abs(z - zc) < 1)
                        || (y >= 430 && y < 440 && x >= 40 && x < 472);
                    mask.Volume[x, y, z] = bone ? (byte)1 : (byte)0;
                }
            }
        });
        return mask;
    }

    internal static Mask NoiseMask(int n, double density)
    {
        var mask = new Mask(VolumeGeometry.AxisAligned(n, n, n));
        var random = new Random(1);
        byte[] voxels = mask.Voxels;
        for (int i = 0; i < voxels.Length; i++)
        {
            voxels[i] = random.NextDouble() < density ? (byte)1 : (byte)0;
        }

        return mask;
    }

    /// <summary>A minimal NRRD reader for the phantom files only: int16, little endian, raw or gzip encoding.</summary>
    internal static (int[] Sizes, short[] Voxels) ReadInt16Nrrd(string path)
    {
        using FileStream file = File.OpenRead(path);
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var line = new List<byte>();
        while (true)
        {
            int c = file.ReadByte();
            if (c < 0)
            {
                throw new InvalidDataException($"{path}: the NRRD header does not end.");
            }

            if (c != '\n')
            {
                line.Add((byte)c);
                continue;
            }

            if (line.Count == 0)
            {
                break;
            }

            string text = System.Text.Encoding.ASCII.GetString(line.ToArray());
            int colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                fields[text[..colon].Trim()] = text[(colon + 1)..].Trim();
            }

            line.Clear();
        }

        if (fields.GetValueOrDefault("type") is not ("short" or "int16" or "signed short" or "int16_t"))
        {
            throw new NotSupportedException($"{path}: only int16 NRRD files are read here.");
        }

        int[] sizes = fields["sizes"].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
        var voxels = new short[(long)sizes[0] * sizes[1] * sizes[2]];
        Span<byte> bytes = MemoryMarshal.AsBytes(voxels.AsSpan());
        Stream data = fields["encoding"] is "gzip" or "gz" ? new GZipStream(file, CompressionMode.Decompress) : file;
        data.ReadExactly(bytes);
        return (sizes, voxels);
    }
}
