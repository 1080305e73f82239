using System.Text.Json;
using System.Text.Json.Nodes;
using VolumeMesh.Pipeline;

namespace VolumeMesh.Cli;

/// <summary>The one JSON document of a <c>mesh</c> run, printed by <c>--json</c> and written by <c>--report</c> alike:
/// the pipeline report (<see cref="PipelineReportJson"/>) plus the input, the series, the outputs and every stage with
/// its device and time.</summary>
internal static class MeshRunReport
{
    /// <summary>Builds the document.</summary>
    /// <param name="result">The pipeline result.</param>
    /// <param name="input">The input path.</param>
    /// <param name="seriesUid">The DICOM series meshed, or null.</param>
    /// <param name="output">The mesh file.</param>
    /// <param name="stages">Stage names and times, in order.</param>
    /// <returns>Indented JSON.</returns>
    public static string Serialize(VolumeMeshResult result, string input, string? seriesUid, string output, IReadOnlyList<(string Stage, TimeSpan Time)> stages)
    {
        JsonObject root = JsonNode.Parse(PipelineReportJson.Serialize(result))!.AsObject();
        root["input"] = input;
        root["seriesInstanceUid"] = seriesUid;
        root["output"] = output;
        var array = new JsonArray();
        foreach ((string stage, TimeSpan time) in stages)
        {
            // The device of each pipeline stage as the pipeline reports it; loading and writing run on the CPU.
            VolumeMesh.Execution.StageReport? ran = null;
            foreach (VolumeMesh.Execution.StageReport s in result.Stages)
            {
                ran = s.Stage == stage ? s : ran;
            }

            array.Add(new JsonObject
            {
                ["name"] = stage,
                ["device"] = ran?.Device ?? "cpu",
                ["seconds"] = time.TotalSeconds,
                ["note"] = ran?.Note,
            });
        }

        root["stages"] = array;
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
