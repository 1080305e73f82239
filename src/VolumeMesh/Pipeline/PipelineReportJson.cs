using System.Text.Json;
using System.Text.Json.Nodes;
using VolumeMesh.Components;
using VolumeMesh.IO;

namespace VolumeMesh.Pipeline;

/// <summary>
/// The JSON report of a pipeline run: every <see cref="Meshing.MeshReport"/> field at the top level (so
/// <see cref="MeshReportJson.Deserialize"/> reads it back), plus what was meshed and the components found and kept.
/// </summary>
public static class PipelineReportJson
{
    /// <summary>Serialises a pipeline result.</summary>
    /// <param name="result">The result.</param>
    /// <returns>Indented JSON.</returns>
    public static string Serialize(VolumeMeshResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        JsonObject root = JsonNode.Parse(MeshReportJson.Serialize(result.Report))!.AsObject();
        root["inside"] = result.Inside;
        if (result.Components.Count > 0)
        {
            var kept = new HashSet<int>(result.KeptLabels);
            var components = new JsonArray();
            foreach (ComponentStatistics c in result.Components)
            {
                components.Add(new JsonObject
                {
                    ["label"] = c.Label,
                    ["kept"] = kept.Contains(c.Label),
                    ["voxels"] = c.VoxelCount,
                    ["volumeMm3"] = c.VolumeMm3,
                    ["centroidLps"] = new JsonArray(c.CentroidLps.X, c.CentroidLps.Y, c.CentroidLps.Z),
                    ["boundsMinIndex"] = new JsonArray(c.BoundsMin.I, c.BoundsMin.J, c.BoundsMin.K),
                    ["boundsMaxIndex"] = new JsonArray(c.BoundsMax.I, c.BoundsMax.J, c.BoundsMax.K),
                });
            }

            root["componentsFound"] = result.Components.Count;
            root["componentsKept"] = result.KeptLabels.Count;
            root["components"] = components;
        }

        root["trianglesMeshed"] = result.TrianglesMeshed;
        root["shellsRemoved"] = result.ShellsRemoved;
        if (result.Decimation is Processing.DecimationResult d)
        {
            root["decimation"] = new JsonObject
            {
                ["trianglesBefore"] = d.TrianglesBefore,
                ["trianglesAfter"] = d.TrianglesAfter,
                ["maxQuadricErrorMm"] = d.MaxQuadricErrorMm,
                ["errorBoundMm"] = d.MeasuredErrorMm,
                ["stopReason"] = d.StopReason.ToString(),
            };
        }

        root["device"] = result.Device;
        var stages = new JsonArray();
        foreach (Execution.StageReport stage in result.Stages)
        {
            stages.Add(new JsonObject
            {
                ["name"] = stage.Stage,
                ["device"] = stage.Device,
                ["seconds"] = stage.Time.TotalSeconds,
                ["note"] = stage.Note,
            });
        }

        root["stages"] = stages;
        root["timingsSeconds"] = new JsonObject
        {
            ["segment"] = result.SegmentTime.TotalSeconds,
            ["mesh"] = result.MeshTime.TotalSeconds,
            ["process"] = result.ProcessTime.TotalSeconds,
            ["report"] = result.ReportTime.TotalSeconds,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Writes the report atomically (temporary file, then moved into place).</summary>
    /// <param name="result">The result.</param>
    /// <param name="path">The JSON file.</param>
    public static void Write(VolumeMeshResult result, string path)
    {
        string json = Serialize(result);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
            writer.Write(json);
        });
    }
}
