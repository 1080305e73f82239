using System.Diagnostics;
using SharpFuzz;

namespace VolumeMesh.Fuzz;

/// <summary>
/// The fuzzing host. <c>VolumeMesh.Fuzz TARGET</c> runs under afl-fuzz (SharpFuzz's out-of-process fork server: one .NET
/// start, then inputs in a loop in a child it restarts after a crash or hang; an undocumented exception is a crash). <c>--replay TARGET FILE...</c> classifies inputs
/// outside the fuzzer; <c>--list</c> prints the targets and <c>--dict TARGET</c> its dictionary's name.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length == 1 && args[0] == "--list")
        {
            foreach (FuzzTarget t in FuzzTargets.All)
            {
                Console.WriteLine($"{t.Name,-10} {t.Description}");
            }

            return 0;
        }

        if (args.Length == 2 && args[0] == "--dict")
        {
            FuzzTarget? named = FuzzTargets.Find(args[1]);
            if (named is null)
            {
                return Unknown(args[1]);
            }

            Console.WriteLine(named.Dictionary);
            return 0;
        }

        if (args.Length >= 2 && args[0] == "--replay")
        {
            FuzzTarget? replayed = FuzzTargets.Find(args[1]);
            return replayed is null ? Unknown(args[1]) : Replay(replayed, args.AsSpan(2));
        }

        if (args.Length != 1)
        {
            Console.Error.WriteLine("usage: VolumeMesh.Fuzz TARGET | --replay TARGET FILE... | --dict TARGET | --list");
            return 2;
        }

        FuzzTarget? target = FuzzTargets.Find(args[0]);
        if (target is null)
        {
            return Unknown(args[0]);
        }

        // Out of process: SharpFuzz's fork-server host restarts the .NET child after a crash of the runtime (a native
        // codec's fault, a stack overflow) or a hang killed by afl-fuzz, instead of losing the whole campaign.
        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            FuzzOutcome.Run(target, buffer.ToArray());
        });
        return 0;
    }

    private static int Replay(FuzzTarget target, ReadOnlySpan<string> files)
    {
        int findings = 0;
        foreach (string file in files)
        {
            byte[] input = File.ReadAllBytes(file);
            var clock = Stopwatch.StartNew();
            try
            {
                Exception? documented = FuzzOutcome.Run(target, input);
                string what = documented is null ? "read" : $"{documented.GetType().Name}: {documented.Message}";
                Console.WriteLine($"{file}: {clock.ElapsedMilliseconds} ms, {what}");
            }
            catch (Exception ex)
            {
                findings++;
                Console.WriteLine($"{file}: {clock.ElapsedMilliseconds} ms, FINDING {ex}");
            }
        }

        return findings == 0 ? 0 : 1;
    }

    private static int Unknown(string name)
    {
        Console.Error.WriteLine($"Unknown fuzz target '{name}'; --list prints them.");
        return 2;
    }
}
