using System.CommandLine;
using VolumeMesh.IO;

namespace VolumeMesh.Cli;

/// <summary><c>volumemesh combine IN[:NAME[:#RRGGBB]]… -o OUT</c>: several mesh files as named, coloured parts of one model.</summary>
/// <remarks>Each input may be any readable mesh format; an input with several parts (3MF, GLB) contributes all of them
/// (a NAME given then prefixes their names). OUT in 3MF, GLB or glTF holds every part in one file; STL, PLY and OBJ get one
/// file per part, as <see cref="MeshFileWriter"/> does.</remarks>
internal static class CombineCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var inputs = new Argument<string[]>("inputs")
        {
            Description = "Mesh files, each optionally followed by :NAME and :#RRGGBB[AA], e.g. skull.stl:skull:#F1D691 plate.stl:plate:#AAB0BA.",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--output", "-o") { Description = "The model to write: .3mf, .glb or .gltf hold the parts in one file; .stl .ply .obj write one file per part.", Required = true };
        var ascii = new Option<bool>("--ascii") { Description = "Write ASCII STL or PLY instead of binary." };
        var space = new Option<string>("--space") { Description = "Coordinate system of STL, PLY and OBJ output: lps (default) or ras.", DefaultValueFactory = _ => "lps" };
        space.AcceptOnlyFromAmong("lps", "ras", "LPS", "RAS");
        var normals = new Option<bool>("--obj-normals") { Description = "Write vertex normals into OBJ output." };
        var requireWatertight = new Option<bool>("--require-watertight") { Description = "Exit with code 6 (and write nothing) when a part is not closed and manifold." };
        var command = new Command("combine", "Write several meshes as named, coloured parts of one model (3MF, GLB, glTF), or one file per part.")
        {
            inputs, output, ascii, space, normals, requireWatertight,
        };

        command.SetAction((parse, cancellationToken) => Task.FromResult(Program.Guard(stderr, () =>
        {
            string outputPath = parse.GetValue(output)!;
            if (!MeshFileWriter.IsSupported(outputPath))
            {
                throw new UserInputException($"--output '{outputPath}': the format is chosen by the extension; supported: {string.Join(' ', MeshFileWriter.Extensions)}.");
            }

            var parts = new List<MeshPart>();
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (string spec in parse.GetValue(inputs)!)
            {
                (string path, string? name, PartColor? color) = ParseInput(spec);
                MeshFile file = MeshFileReader.Read(path, cancellationToken);
                foreach (MeshPart part in file.Parts)
                {
                    string partName = name is null ? part.Name : file.Parts.Count == 1 ? name : $"{name} {part.Name}";
                    if (!names.Add(partName))
                    {
                        throw new UserInputException($"two parts are named '{partName}'; give each input its own :NAME.");
                    }

                    parts.Add(part with { Name = partName, Color = color ?? part.Color });
                }

                stderr.WriteLine($"Read {path}: {file.Description}, {file.Parts.Count} part(s)");
            }

            if (parse.GetValue(requireWatertight))
            {
                // Input meshes come from anywhere (scanners, CAD, other tools) and may be open, unlike the meshes the
                // tool makes from volumes: the check is made before anything is written.
                foreach (MeshPart part in parts)
                {
                    VolumeMesh.Meshing.MeshReport report = VolumeMesh.Meshing.MeshReport.Compute(part.Mesh);
                    if (!report.IsWatertight)
                    {
                        stderr.WriteLine($"volumemesh: error: part '{part.Name}' is not closed and manifold ({report}); --require-watertight: nothing was written.");
                        return ExitCodes.RequireWatertightFailed;
                    }
                }
            }

            var options = new MeshWriteOptions
            {
                Ascii = parse.GetValue(ascii),
                Space = string.Equals(parse.GetValue(space), "ras", StringComparison.OrdinalIgnoreCase) ? CoordinateSpace.Ras : CoordinateSpace.Lps,
                ObjNormals = parse.GetValue(normals),
            };
            CliOutput.EnsureFolder(outputPath);
            IReadOnlyList<string> written = MeshFileWriter.Write(parts, outputPath, options, cancellationToken);
            foreach (MeshPart part in parts)
            {
                stderr.WriteLine($"  part '{part.Name}' {part.Color}: {part.Mesh.TriangleCount} triangles");
            }

            foreach (string file in written)
            {
                stdout.WriteLine(file);
            }

            return 0;
        })));
        return command;
    }

    /// <summary>Splits <c>PATH[:NAME[:#COLOUR]]</c>; a path that exists as given is taken whole (it may contain ':').</summary>
    internal static (string Path, string? Name, PartColor? Color) ParseInput(string spec)
    {
        if (File.Exists(spec))
        {
            return (spec, null, null);
        }

        PartColor? color = null;
        string rest = spec;
        int last = rest.LastIndexOf(':');
        if (last >= 0 && rest[(last + 1)..].StartsWith('#'))
        {
            if (!PartColor.TryParseHex(rest[(last + 1)..], out PartColor parsed))
            {
                throw new UserInputException($"'{spec}': '{rest[(last + 1)..]}' is not a colour #RRGGBB or #RRGGBBAA.");
            }

            color = parsed;
            rest = rest[..last];
        }

        if (File.Exists(rest))
        {
            return (rest, null, color);
        }

        last = rest.LastIndexOf(':');
        if (last > 0)
        {
            string name = rest[(last + 1)..];
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new UserInputException($"'{spec}': the part name after ':' is empty.");
            }

            return (rest[..last], name, color);
        }

        return (rest, null, color);
    }
}
