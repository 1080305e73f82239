using System.CommandLine;
using System.Diagnostics;
using VolumeMesh.IO;
using VolumeMesh.Volumes;

namespace VolumeMesh.Cli;

/// <summary><c>volumemesh phantom -o &lt;out.nrrd&gt; [--kind ct|sphere|gyroid|noise] [--size N] [--seed S] [--matrix M] [--raw]</c></summary>
/// <remarks>Writes the same volumes as <c>../shared/peers/phantoms.py</c> (same shapes and geometry; own noise), so the peers
/// can mesh exactly the data the benchmarks mesh: <c>--kind gyroid --size 256</c> and <c>--kind ct --size 400</c>.</remarks>
internal static class PhantomCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var output = new Option<string>("--output", "-o") { Description = "The NRRD file to write (.nrrd, or .nhdr for a detached data file).", Required = true };
        var kind = new Option<string>("--kind") { Description = "ct (int16 HU), sphere (signed distance), gyroid or noise (float).", DefaultValueFactory = _ => "ct" };
        kind.AcceptOnlyFromAmong("ct", "sphere", "gyroid", "noise");
        var size = new Option<int?>("--size") { Description = "ct: slices (512×512 in-plane, default 400); others: voxels per axis (sphere 64, gyroid 256, noise 48)." };
        var matrix = new Option<int?>("--matrix") { Description = "ct only: in-plane size (default 512); the structure scales with it." };
        var seed = new Option<int>("--seed") { Description = "Noise seed.", DefaultValueFactory = _ => 1 };
        var raw = new Option<bool>("--raw") { Description = "Write raw instead of gzip-encoded data." };
        var command = new Command("phantom", "Write a synthetic test volume as NRRD (patient LPS).")
        {
            output, kind, size, matrix, seed, raw,
        };

        command.SetAction((parse, cancellationToken) => Task.FromResult(Program.Guard(stderr, () =>
        {
            string path = parse.GetValue(output)!;
            string extension = Path.GetExtension(path).ToLowerInvariant();
            if (extension is not (".nrrd" or ".nhdr"))
            {
                throw new UserInputException($"--output '{path}': phantoms are written as .nrrd or .nhdr.");
            }

            string kindName = parse.GetValue(kind)!;
            int? n = parse.GetValue(size);
            if (n is < 1 or > 4096)
            {
                throw new UserInputException($"--size {n} is out of range (1 to 4096).");
            }

            int? m = parse.GetValue(matrix);
            if (m is not null && kindName != "ct")
            {
                throw new UserInputException("--matrix applies to --kind ct only.");
            }

            if (m is < 16 or > 4096)
            {
                throw new UserInputException($"--matrix {m} is out of range (16 to 4096).");
            }

            int s = parse.GetValue(seed);
            var options = new NrrdWriteOptions { Encoding = parse.GetValue(raw) ? NrrdEncoding.Raw : NrrdEncoding.Gzip };
            var clock = Stopwatch.StartNew();
            CliOutput.EnsureFolder(path);
            string description;
            switch (kindName)
            {
                case "ct":
                    Volume<short> ct = Phantoms.CtPhantom(m ?? Phantoms.CtMatrix, n ?? 400, s);
                    NrrdWriter.Write(ct, path, options, cancellationToken);
                    description = $"CT phantom {ct.Geometry}";
                    break;
                case "sphere":
                    int sn = n ?? 64;
                    Volume<float> sphere = Phantoms.SphereDistanceField(sn, 0.3 * sn, Phantoms.MirroredRotatedGeometry(sn));
                    NrrdWriter.Write(sphere, path, options, cancellationToken);
                    description = $"sphere distance field {sphere.Geometry}";
                    break;
                case "gyroid":
                    Volume<float> gyroid = Phantoms.Gyroid(Math.Max(2, n ?? 256));
                    NrrdWriter.Write(gyroid, path, options, cancellationToken);
                    description = $"gyroid {gyroid.Geometry}";
                    break;
                default:
                    Volume<float> noise = Phantoms.Noise(n ?? 48, s);
                    NrrdWriter.Write(noise, path, options, cancellationToken);
                    description = $"noise {noise.Geometry}";
                    break;
            }

            stderr.WriteLine($"Wrote {path}: {description} in {CliOutput.Seconds(clock.Elapsed)}");
            return 0;
        })));
        return command;
    }
}
