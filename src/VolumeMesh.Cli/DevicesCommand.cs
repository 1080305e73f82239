using System.CommandLine;
using VolumeMesh.Compute;

namespace VolumeMesh.Cli;

/// <summary><c>volumemesh devices</c>: the compute devices present (name, memory, kind) and what <c>auto</c> picks.</summary>
internal static class DevicesCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("devices", "List the compute devices for --device: managed CPU, ILGPU CPU accelerator, CUDA and OpenCL devices.");
        command.SetAction((parse, cancellationToken) => Task.FromResult(Program.Guard(stderr, () =>
        {
            stdout.Write(ComputeDevices.Describe());
            DeviceSelection auto = ComputeDevices.Select("auto");
            stdout.WriteLine($"auto → {auto.Device.Id}{(auto.Note is null ? string.Empty : " (" + auto.Note + ")")}");
            return Program.Success;
        })));
        return command;
    }
}
