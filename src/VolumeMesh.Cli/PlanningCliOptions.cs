using System.CommandLine;
using System.Globalization;
using VolumeMesh.Geometry;
using VolumeMesh.Pipeline;
using VolumeMesh.Planning;
using VolumeMesh.Segmentation;

namespace VolumeMesh.Cli;

/// <summary>The planning options of <c>mesh</c>: <c>--crop</c>, <c>--separate</c>, <c>--implant</c>, <c>--implant-margin</c>,
/// <c>--trajectory</c>, <c>--landmark</c>. With any of them, <c>mesh</c> runs <see cref="PlanningPipeline"/>.</summary>
internal sealed class PlanningCliOptions
{
    private readonly Option<string?> _crop = new("--crop") { Description = "Keep only the region x0,y0,z0:x1,y1,z1 (an LPS box in mm; voxels whose centre lies in it); the cut is capped." };
    private readonly Option<string?> _separate = new("--separate") { Description = "Split the bone into one part per seed: 'X,Y,Z;X,Y,Z;…' (LPS mm, one seed per bone; seeded watershed on the distance transform)." };
    private readonly Option<bool> _implant = new("--implant") { Description = "Segment metal (the metal preset, ≥ 2500 HU) as its own part 'implant' and remove it and a margin around it from the bone." };
    private readonly Option<double?> _implantMargin = new("--implant-margin") { Description = "Bone within this distance of the implant is removed, in mm (default 1.5)." };
    private readonly Option<string[]> _trajectory = new("--trajectory") { Description = "A planned path X,Y,Z:X,Y,Z[:DIAMETER] (entry, target, LPS mm; default 4 mm) written as a closed cylinder part; repeatable.", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string[]> _landmark = new("--landmark") { Description = "A named point NAME:X,Y,Z (LPS mm) written as a small sphere part 'landmark-NAME'; repeatable." };
    private readonly Option<double?> _landmarkRadius = new("--landmark-radius") { Description = "Radius of the landmark spheres in mm (default 2)." };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_crop);
        command.Options.Add(_separate);
        command.Options.Add(_implant);
        command.Options.Add(_implantMargin);
        command.Options.Add(_trajectory);
        command.Options.Add(_landmark);
        command.Options.Add(_landmarkRadius);
    }

    /// <summary>The planning options given, or null when none is.</summary>
    /// <exception cref="UserInputException">A value is malformed.</exception>
    public PlanningOptions? Parse(ParseResult parse)
    {
        var planning = new PlanningOptions();
        if (parse.GetValue(_crop) is string cropText)
        {
            planning = planning with
            {
                Crop = CropBox.TryParse(cropText, out CropBox? box) ? box : throw new UserInputException($"--crop '{cropText}' is not a box x0,y0,z0:x1,y1,z1 in mm with an extent along every axis."),
            };
        }

        if (parse.GetValue(_separate) is string separateText)
        {
            var seeds = new List<Vector3D>();
            foreach (string part in separateText.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                seeds.Add(PlanningPoint.TryParse(part, out Vector3D seed) ? seed : throw new UserInputException($"--separate: '{part}' is not a point X,Y,Z in mm."));
            }

            if (seeds.Count == 0)
            {
                throw new UserInputException("--separate needs at least one seed X,Y,Z.");
            }

            planning = planning with { SeparationSeedsLps = seeds };
        }

        double? margin = parse.GetValue(_implantMargin);
        if (margin is double m && !(m >= 0 && double.IsFinite(m)))
        {
            throw new UserInputException($"--implant-margin {m} must be a finite number of millimetres ≥ 0.");
        }

        if (parse.GetValue(_implant))
        {
            planning = planning with { Implant = new ImplantOptions { MarginMm = margin ?? ImplantOptions.Default.MarginMm } };
        }
        else if (margin is not null)
        {
            throw new UserInputException("--implant-margin needs --implant.");
        }

        var trajectories = new List<Trajectory>();
        foreach (string text in parse.GetValue(_trajectory) ?? [])
        {
            trajectories.Add(Trajectory.TryParse(text, out Trajectory? t)
                ? t!
                : throw new UserInputException($"--trajectory '{text}' is not X,Y,Z:X,Y,Z[:DIAMETER] with two distinct points and a positive diameter in mm."));
        }

        double radius = parse.GetValue(_landmarkRadius) ?? Landmark.DefaultRadiusMm;
        if (!(radius > 0) || !double.IsFinite(radius))
        {
            throw new UserInputException($"--landmark-radius {radius} must be a positive number of millimetres.");
        }

        var landmarks = new List<Landmark>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string text in parse.GetValue(_landmark) ?? [])
        {
            Landmark landmark = Landmark.TryParse(text, radius, out Landmark? l) ? l! : throw new UserInputException($"--landmark '{text}' is not NAME:X,Y,Z (mm).");
            if (!names.Add(landmark.Name))
            {
                throw new UserInputException($"--landmark: the name '{landmark.Name}' is given twice.");
            }

            landmarks.Add(landmark);
        }

        planning = planning with { Trajectories = trajectories, Landmarks = landmarks };
        return planning.IsEmpty ? null : planning;
    }

    /// <summary>Runs the planning pipeline and prints its summary.</summary>
    public static int Run(PipelineVolume volume, string outputPath, VolumeMeshPipelineOptions options, PlanningOptions planning, bool json, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        PlanningResult result;
        try
        {
            result = PlanningPipeline.Run(volume, outputPath, options, planning, null, cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            throw new UserInputException(e.Message);
        }

        stderr.WriteLine($"Segmented: {result.Inside} in {CliOutput.Seconds(result.SegmentTime)}; meshed {result.Parts.Count} part(s) in {CliOutput.Seconds(result.MeshTime)}");
        if (result.Implant is { } implant)
        {
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Implant: {implant.ImplantComponents} metal component(s), surface at {implant.SurfaceHu:F0} HU, {implant.NoiseComponentsDropped} metal speck(s) and {implant.FragmentsDropped} bone fragment(s) dropped"));
        }

        for (int p = 0; p < result.Parts.Count; p++)
        {
            PlanningPart part = result.Parts[p];
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {part.Name} ({part.Kind}, {part.Part.Color}): {part.Report.Triangles} triangles, {part.Report.VolumeMm3:F3} mm³, {(part.Report.IsWatertight ? "watertight" : "NOT watertight")} → {result.Files[p]}"));
            if (part.Report.Triangles == 0)
            {
                stderr.WriteLine($"warning: part '{part.Name}' is empty; check the crop, the seeds and the range.");
            }
        }

        foreach (Trajectory t in result.Trajectories)
        {
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Trajectory {CliOutput.Point(t.EntryLps)} → {CliOutput.Point(t.TargetLps)}: {t.LengthMm:F3} mm, {t.AngleToAxialPlaneDegrees:F1}° to the axial plane (cranial tilt {t.CranialTiltDegrees:F1}°), {t.AngleToSagittalPlaneDegrees:F1}° to the sagittal plane (toward L {t.LeftwardTiltDegrees:F1}°)"));
        }

        if (options.ReportPath is not null)
        {
            stderr.WriteLine($"Report: {options.ReportPath}");
        }

        if (json)
        {
            stdout.WriteLine(PlanningReportJson.Serialize(result));
        }

        return 0;
    }
}
