using VolumeMesh.Cli;

namespace VolumeMesh.Tests.Support;

/// <summary>Runs the volumemesh tool in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
