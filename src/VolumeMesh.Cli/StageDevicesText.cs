using System.Globalization;
using System.Text;
using VolumeMesh.Execution;

namespace VolumeMesh.Cli;

/// <summary>The text report's stage lines: each pipeline stage with the device that ran it, its time and, when it ran off the chosen device, why.</summary>
internal static class StageDevicesText
{
    /// <summary>Formats the stages, one line for all and one per note.</summary>
    /// <param name="stages">The pipeline's stages.</param>
    /// <returns>The lines, each ending in a newline; empty for no stages.</returns>
    public static string Format(IReadOnlyList<StageReport> stages)
    {
        if (stages.Count == 0)
        {
            return string.Empty;
        }

        var text = new StringBuilder("Stages:");
        foreach (StageReport stage in stages)
        {
            text.Append(CultureInfo.InvariantCulture, $" {stage.Stage} [{stage.Device}] {stage.Time.TotalSeconds:F3} s;");
        }

        text.Length--;
        text.AppendLine();
        foreach (StageReport stage in stages)
        {
            if (stage.Note is not null)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {stage.Stage}: {stage.Note}");
            }
        }

        return text.ToString();
    }
}
