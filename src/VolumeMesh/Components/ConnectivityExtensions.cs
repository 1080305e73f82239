namespace VolumeMesh.Components;

/// <summary>Helpers for <see cref="Connectivity"/>.</summary>
public static class ConnectivityExtensions
{
    /// <summary>
    /// The connectivity to use for the background when the foreground uses <paramref name="connectivity"/>,
    /// so that a closed surface separates inside from outside (the (6, 26), (18, 6) and (26, 6) pairs of digital topology).
    /// </summary>
    /// <param name="connectivity">The foreground connectivity.</param>
    /// <returns>The complementary connectivity.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="connectivity"/> is not 6, 18 or 26.</exception>
    public static Connectivity Complement(this Connectivity connectivity) => connectivity switch
    {
        Connectivity.Six => Connectivity.TwentySix,
        Connectivity.Eighteen => Connectivity.Six,
        Connectivity.TwentySix => Connectivity.Six,
        _ => throw new ArgumentOutOfRangeException(nameof(connectivity), connectivity, "Connectivity must be 6, 18 or 26."),
    };

    /// <summary>The largest number of non-zero offset components a neighbour may have (1, 2 or 3).</summary>
    /// <param name="connectivity">The connectivity.</param>
    /// <returns>1 for 6, 2 for 18, 3 for 26.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="connectivity"/> is not 6, 18 or 26.</exception>
    public static int MaxOffsetComponents(this Connectivity connectivity) => connectivity switch
    {
        Connectivity.Six => 1,
        Connectivity.Eighteen => 2,
        Connectivity.TwentySix => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(connectivity), connectivity, "Connectivity must be 6, 18 or 26."),
    };
}
