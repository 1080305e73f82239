using System.CommandLine;
using VolumeMesh.Geometry;
using VolumeMesh.Meshing;
using VolumeMesh.Pipeline;
using VolumeMesh.Planning;

namespace VolumeMesh.Cli;

/// <summary><c>volumemesh fit-sphere MESH --seed X,Y,Z --radius MM [--json]</c> and <c>fit-cup</c> (sphere, rim plane, radiographic angles).</summary>
internal static class FitCommands
{
    public static Command CreateSphere(TextWriter stdout, TextWriter stderr) => Create(
        "fit-sphere",
        "Fit a least-squares sphere to the mesh surface near a seed (femoral head, acetabulum): centre (the rotation centre), radius, RMS.",
        cup: false,
        stdout,
        stderr);

    public static Command CreateCup(TextWriter stdout, TextWriter stderr) => Create(
        "fit-cup",
        "Fit a cup near a seed: its sphere, rim plane and radiographic inclination and anteversion (Murray 1993) relative to the patient axes.",
        cup: true,
        stdout,
        stderr);

    private static Command Create(string name, string description, bool cup, TextWriter stdout, TextWriter stderr)
    {
        var mesh = new Argument<string>("mesh") { Description = "The mesh file: .stl, .3mf, .glb, .gltf, .ply or .obj (read in LPS)." };
        var part = new Option<string?>("--part") { Description = "The part to fit when the file holds several (3MF, GLB, glTF); parts are never merged." };
        var seed = new Option<string>("--seed") { Description = "A point near the sphere's centre X,Y,Z (LPS mm).", Required = true };
        var radius = new Option<double>("--radius") { Description = "Fit the vertices within this distance of the seed, in mm (a little more than the sphere's radius).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the fit as JSON." };
        var command = new Command(name, description) { mesh, part, seed, radius, json };
        command.SetAction((parse, cancellationToken) => Task.FromResult(Program.Guard(stderr, () =>
        {
            string seedText = parse.GetValue(seed)!;
            if (!PlanningPoint.TryParse(seedText, out Vector3D seedPoint))
            {
                throw new UserInputException($"--seed '{seedText}' is not a point X,Y,Z in mm.");
            }

            double r = parse.GetValue(radius);
            if (!(r > 0) || !double.IsFinite(r))
            {
                throw new UserInputException($"--radius {r} must be a positive number of millimetres.");
            }

            string path = parse.GetValue(mesh)!;
            (Mesh surface, _) = MeshInput.Read(path, parse.GetValue(part), cancellationToken);
            var options = new SphereFitOptions(seedPoint, r);
            if (cup)
            {
                CupFit fit = CupFitter.Fit(surface, options, cancellationToken);
                stdout.WriteLine(parse.GetValue(json) ? PlanningReportJson.Serialize(fit) : $"{path}: {fit}");
            }
            else
            {
                SphereFit fit = SphereFitter.Fit(surface, options, cancellationToken);
                stdout.WriteLine(parse.GetValue(json) ? PlanningReportJson.Serialize(fit) : $"{path}: {fit}");
            }

            return 0;
        })));
        return command;
    }
}
