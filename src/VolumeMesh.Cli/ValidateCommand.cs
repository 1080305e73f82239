using System.CommandLine;
using VolumeMesh.IO;
using VolumeMesh.Meshing;

namespace VolumeMesh.Cli;

/// <summary><c>volumemesh validate &lt;mesh.stl&gt; [--json]</c>: exit 0 when watertight, 1 when not, 2 on bad input.</summary>
internal static class ValidateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var mesh = new Argument<string>("mesh") { Description = "The mesh file (.stl, binary or ASCII)." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var command = new Command("validate", "Check that a mesh is closed, manifold and consistently oriented; exit code 0 when watertight, 1 when not.")
        {
            mesh, json,
        };

        command.SetAction((parse, cancellationToken) => Task.FromResult(Program.Guard(stderr, () =>
        {
            string path = parse.GetValue(mesh)!;
            if (!File.Exists(path))
            {
                throw new UserInputException($"mesh '{path}' does not exist.");
            }

            if (!string.Equals(Path.GetExtension(path), ".stl", StringComparison.OrdinalIgnoreCase))
            {
                throw new UserInputException($"mesh '{path}': unknown mesh format '{Path.GetExtension(path)}' (supported: .stl).");
            }

            StlFile file = StlReader.Read(path, cancellationToken);
            MeshReport report = MeshReport.Compute(file.ToLps());
            if (parse.GetValue(json))
            {
                stdout.WriteLine(MeshReportJson.Serialize(report));
            }
            else
            {
                stdout.WriteLine($"{path}: {file.Format} STL, space {file.Space?.ToString().ToUpperInvariant() ?? "not stated (LPS assumed)"}");
                stdout.WriteLine(report.ToString());
                stdout.WriteLine(FormattableString.Invariant(
                    $"bounds [{report.BoundsMin.X:F3}, {report.BoundsMin.Y:F3}, {report.BoundsMin.Z:F3}] .. [{report.BoundsMax.X:F3}, {report.BoundsMax.Y:F3}, {report.BoundsMax.Z:F3}] mm, Euler per shell: {string.Join(' ', report.ShellEulerCharacteristics.Take(20))}{(report.Shells > 20 ? " …" : string.Empty)}"));
                stdout.WriteLine(report.IsWatertight ? "watertight" : "NOT watertight");
            }

            return report.IsWatertight ? 0 : 1;
        })));
        return command;
    }
}
