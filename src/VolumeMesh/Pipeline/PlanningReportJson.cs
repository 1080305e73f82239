using System.Text;
using System.Text.Json;
using VolumeMesh.Geometry;
using VolumeMesh.IO;
using VolumeMesh.Planning;

namespace VolumeMesh.Pipeline;

/// <summary>JSON for planning results and fits: camelCase names, points as <c>[x, y, z]</c> arrays in patient LPS mm,
/// angles in degrees, each part's mesh report as <see cref="MeshReportJson"/> writes it.</summary>
public static class PlanningReportJson
{
    /// <summary>Serialises a planning result: <c>inside</c>, <c>files</c>, <c>parts</c> (name, kind, colour, report),
    /// <c>trajectories</c> (points, diameter, length, angles), <c>landmarks</c>, and <c>implant</c> when segmented.</summary>
    /// <param name="result">The result.</param>
    /// <returns>Indented JSON.</returns>
    public static string Serialize(PlanningResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Build(w =>
        {
            w.WriteStartObject();
            w.WriteString("inside", result.Inside);
            w.WriteStartArray("files");
            foreach (string file in result.Files)
            {
                w.WriteStringValue(file);
            }

            w.WriteEndArray();
            if (result.Planning.Crop is { } crop)
            {
                w.WriteStartObject("crop");
                Point(w, "min", crop.MinLps);
                Point(w, "max", crop.MaxLps);
                w.WriteEndObject();
            }

            if (result.Planning.SeparationSeedsLps.Count > 0)
            {
                w.WriteStartArray("separationSeeds");
                foreach (Vector3D seed in result.Planning.SeparationSeedsLps)
                {
                    PointValue(w, seed);
                }

                w.WriteEndArray();
            }

            w.WriteStartArray("parts");
            foreach (PlanningPart part in result.Parts)
            {
                w.WriteStartObject();
                w.WriteString("name", part.Name);
                w.WriteString("kind", part.Kind);
                w.WriteString("color", part.Part.Color.ToHex());
                w.WritePropertyName("report");
                w.WriteRawValue(MeshReportJson.Serialize(part.Report, indented: false));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("trajectories");
            foreach (Trajectory t in result.Trajectories)
            {
                WriteTrajectory(w, t);
            }

            w.WriteEndArray();
            w.WriteStartArray("landmarks");
            foreach (Landmark landmark in result.Planning.Landmarks)
            {
                w.WriteStartObject();
                w.WriteString("name", landmark.Name);
                Point(w, "position", landmark.PositionLps);
                w.WriteNumber("radiusMm", landmark.RadiusMm);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (result.Implant is { } implant)
            {
                w.WriteStartObject("implant");
                w.WriteNumber("surfaceHu", implant.SurfaceHu);
                w.WriteNumber("marginMm", result.Planning.Implant?.MarginMm ?? 0);
                w.WriteNumber("components", implant.ImplantComponents);
                w.WriteNumber("noiseComponentsDropped", implant.NoiseComponentsDropped);
                w.WriteNumber("fragmentsDropped", implant.FragmentsDropped);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        });
    }

    /// <summary>Serialises a sphere fit: <c>center</c>, <c>radiusMm</c>, <c>rmsMm</c>, <c>maxResidualMm</c>, vertex counts.</summary>
    /// <param name="fit">The fit.</param>
    /// <returns>Indented JSON.</returns>
    public static string Serialize(SphereFit fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        return Build(w => WriteSphere(w, fit));
    }

    /// <summary>Serialises a cup fit: <c>sphere</c>, <c>rimCenter</c>, <c>axis</c>, <c>inclinationDegrees</c>,
    /// <c>anteversionDegrees</c>, rim measures.</summary>
    /// <param name="fit">The fit.</param>
    /// <returns>Indented JSON.</returns>
    public static string Serialize(CupFit fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        return Build(w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("sphere");
            WriteSphere(w, fit.Sphere);
            Point(w, "rimCenter", fit.RimCenterLps);
            Point(w, "axis", fit.AxisLps);
            w.WriteNumber("inclinationDegrees", fit.InclinationDegrees);
            w.WriteNumber("anteversionDegrees", fit.AnteversionDegrees);
            w.WriteNumber("rimRadiusMm", fit.RimRadiusMm);
            w.WriteNumber("rimPlaneRmsMm", fit.RimPlaneRmsMm);
            w.WriteNumber("rimVertices", fit.RimVertices);
            w.WriteNumber("centerToRimPlaneMm", fit.CenterToRimPlaneMm);
            w.WriteEndObject();
        });
    }

    /// <summary>Writes a planning result to a file (UTF-8, through <see cref="AtomicFile"/>).</summary>
    /// <param name="result">The result.</param>
    /// <param name="path">The file.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(PlanningResult result, string path)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(Serialize(result) + "\n");
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    private static void WriteTrajectory(Utf8JsonWriter w, Trajectory t)
    {
        w.WriteStartObject();
        Point(w, "entry", t.EntryLps);
        Point(w, "target", t.TargetLps);
        w.WriteNumber("diameterMm", t.DiameterMm);
        w.WriteNumber("lengthMm", t.LengthMm);
        Point(w, "direction", t.Direction);
        w.WriteNumber("angleToAxialPlaneDegrees", t.AngleToAxialPlaneDegrees);
        w.WriteNumber("angleToSagittalPlaneDegrees", t.AngleToSagittalPlaneDegrees);
        w.WriteNumber("angleToCoronalPlaneDegrees", t.AngleToCoronalPlaneDegrees);
        w.WriteNumber("cranialTiltDegrees", t.CranialTiltDegrees);
        w.WriteNumber("leftwardTiltDegrees", t.LeftwardTiltDegrees);
        w.WriteEndObject();
    }

    private static void WriteSphere(Utf8JsonWriter w, SphereFit fit)
    {
        w.WriteStartObject();
        Point(w, "center", fit.CenterLps);
        w.WriteNumber("radiusMm", fit.RadiusMm);
        w.WriteNumber("rmsMm", fit.RmsMm);
        w.WriteNumber("maxResidualMm", fit.MaxResidualMm);
        w.WriteNumber("verticesInSearch", fit.VerticesInSearch);
        w.WriteNumber("verticesUsed", fit.VerticesUsed);
        w.WriteNumber("iterations", fit.Iterations);
        w.WriteEndObject();
    }

    private static void Point(Utf8JsonWriter w, string name, Vector3D p)
    {
        w.WritePropertyName(name);
        PointValue(w, p);
    }

    private static void PointValue(Utf8JsonWriter w, Vector3D p)
    {
        w.WriteStartArray();
        w.WriteNumberValue(p.X);
        w.WriteNumberValue(p.Y);
        w.WriteNumberValue(p.Z);
        w.WriteEndArray();
    }

    private static string Build(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
