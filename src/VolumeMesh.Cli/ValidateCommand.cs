using System.CommandLine;
using System.Text.Json;
using VolumeMesh.IO;
using VolumeMesh.Meshing;

namespace VolumeMesh.Cli;

/// <summary><c>volumemesh validate &lt;mesh&gt; [--json]</c>: exit 0 when every part is watertight, 1 when not, 3 on an
/// unreadable file, 4 when it holds no triangles.</summary>
internal static class ValidateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var mesh = new Argument<string>("mesh") { Description = "The mesh file: .stl (binary or ASCII), .3mf, .glb, .gltf, .ply or .obj." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (one part: the report; several: an array of {name, color, report})." };
        var command = new Command("validate", "Check that a mesh is closed, manifold and consistently oriented, part by part; exit code 0 when every part is watertight, 1 when not.")
        {
            mesh, json,
        };

        command.SetAction((parse, cancellationToken) => Task.FromResult(Program.Guard(stderr, () =>
        {
            string path = parse.GetValue(mesh)!;
            MeshFile file = MeshInput.ReadAll(path, cancellationToken);

            int triangles = 0;
            foreach (MeshPart part in file.Parts)
            {
                triangles += part.Mesh.TriangleCount;
            }

            if (triangles == 0)
            {
                throw new NothingToMeshException($"mesh '{path}' holds no triangles; slicers refuse an empty mesh.");
            }

            var reports = new MeshReport[file.Parts.Count];
            bool watertight = true;
            for (int i = 0; i < reports.Length; i++)
            {
                reports[i] = MeshReport.Compute(file.Parts[i].Mesh);
                watertight &= reports[i].IsWatertight;
            }

            if (parse.GetValue(json))
            {
                stdout.WriteLine(reports.Length == 1 ? MeshReportJson.Serialize(reports[0]) : PartsJson(file, reports));
            }
            else
            {
                stdout.WriteLine($"{path}: {file.Description}{(reports.Length == 1 ? string.Empty : $", {reports.Length} parts")}");
                for (int i = 0; i < reports.Length; i++)
                {
                    MeshReport report = reports[i];
                    if (reports.Length > 1)
                    {
                        stdout.WriteLine($"part '{file.Parts[i].Name}' ({file.Parts[i].Color}): {(report.IsWatertight ? "watertight" : "NOT watertight")}");
                    }

                    stdout.WriteLine(report.ToString());
                    stdout.WriteLine(FormattableString.Invariant(
                        $"bounds [{report.BoundsMin.X:F3}, {report.BoundsMin.Y:F3}, {report.BoundsMin.Z:F3}] .. [{report.BoundsMax.X:F3}, {report.BoundsMax.Y:F3}, {report.BoundsMax.Z:F3}] mm, Euler per shell: {string.Join(' ', report.ShellEulerCharacteristics.Take(20))}{(report.Shells > 20 ? " …" : string.Empty)}"));
                }

                stdout.WriteLine(watertight ? "watertight" : "NOT watertight");
            }

            return watertight ? 0 : 1;
        })));
        return command;
    }

    private static string PartsJson(MeshFile file, MeshReport[] reports)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            for (int i = 0; i < reports.Length; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("name", file.Parts[i].Name);
                writer.WriteString("color", file.Parts[i].Color.ToHex());
                writer.WritePropertyName("report");
                writer.WriteRawValue(MeshReportJson.Serialize(reports[i], indented: false));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
