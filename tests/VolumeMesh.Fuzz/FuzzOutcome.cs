namespace VolumeMesh.Fuzz;

/// <summary>Runs a target on one input outside the fuzzer, classifying what happened (for replays and tests).</summary>
public static class FuzzOutcome
{
    /// <summary>Runs <paramref name="target"/> on <paramref name="input"/>.</summary>
    /// <param name="target">The target.</param>
    /// <param name="input">The bytes.</param>
    /// <returns>Null when the input was read; the documented exception when one was thrown.</returns>
    /// <exception cref="Exception">Any undocumented exception, unchanged: that is a finding.</exception>
    public static Exception? Run(FuzzTarget target, byte[] input)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(input);
        try
        {
            target.Run(input);
            return null;
        }
        catch (Exception ex) when (target.IsDocumented(ex))
        {
            return ex;
        }
    }
}
