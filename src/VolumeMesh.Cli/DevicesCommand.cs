using System.CommandLine;
using VolumeMesh.Compute;

namespace VolumeMesh.Cli;

/// <summary><c>volumemesh devices</c>: the compute devices present (name, memory, kind) and what <c>auto</c> picks.</summary>
internal static class DevicesCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var json = new Option<bool>("--json") { Description = "Print the devices as JSON on standard output." };
        var command = new Command("devices", "List the compute devices for --device: managed CPU, ILGPU CPU accelerator, CUDA and OpenCL devices.") { json };
        command.SetAction((parse, cancellationToken) => Task.FromResult(Program.Guard(stderr, () =>
        {
            DeviceSelection auto = ComputeDevices.Select("auto");
            if (parse.GetValue(json))
            {
                stdout.WriteLine(DevicesJson(auto));
                return Program.Success;
            }

            stdout.Write(ComputeDevices.Describe());
            stdout.WriteLine($"auto → {auto.Device.Id}{(auto.Note is null ? string.Empty : " (" + auto.Note + ")")}");
            return Program.Success;
        })));
        return command;
    }

    private static string DevicesJson(DeviceSelection auto)
    {
        using var buffer = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("auto", auto.Device.Id);
            w.WriteStartArray("devices");
            foreach (ComputeDevice device in ComputeDevices.List())
            {
                w.WriteStartObject();
                w.WriteString("id", device.Id);
                w.WriteString("kind", device.Kind.ToString());
                w.WriteString("name", device.Name);
                w.WriteNumber("memoryBytes", device.MemoryBytes);
                w.WriteBoolean("supported", device.IsSupported);
                if (device.Limitation is not null)
                {
                    w.WriteString("limitation", device.Limitation);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
