namespace VolumeMesh.Execution;

/// <summary>
/// The one thread-count convention of the library. Every <c>MaxDegreeOfParallelism</c> (stage options, pipeline options,
/// <see cref="ComputeContext"/>, the CLI's <c>--threads</c>) means the same: a positive value is the most threads a stage
/// uses; <see cref="AllCores"/> (−1, the default) or 0 uses every core; anything below −1 is refused with an
/// <see cref="ArgumentOutOfRangeException"/>. Results never depend on the value.
/// </summary>
public static class Parallelism
{
    /// <summary>The value that means "every core" (−1, as <see cref="ParallelOptions.MaxDegreeOfParallelism"/> has it).</summary>
    public const int AllCores = -1;

    /// <summary>Checks a thread count against the convention.</summary>
    /// <param name="maxDegreeOfParallelism">The value.</param>
    /// <param name="parameterName">The parameter or option named in the exception.</param>
    /// <returns>The value, unchanged.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is below −1.</exception>
    public static int Validate(int maxDegreeOfParallelism, string parameterName = "MaxDegreeOfParallelism")
    {
        if (maxDegreeOfParallelism < AllCores)
        {
            throw new ArgumentOutOfRangeException(
                parameterName, maxDegreeOfParallelism, $"{parameterName} must be a positive thread count, or −1 (or 0) for every core.");
        }

        return maxDegreeOfParallelism;
    }

    /// <summary>The number of threads a value stands for: the value itself when positive, else <see cref="Environment.ProcessorCount"/>.</summary>
    /// <param name="maxDegreeOfParallelism">The value (see the class remarks).</param>
    /// <returns>At least 1.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is below −1.</exception>
    public static int ThreadCount(int maxDegreeOfParallelism) =>
        Validate(maxDegreeOfParallelism) > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount;

    /// <summary>The value for <see cref="ParallelOptions.MaxDegreeOfParallelism"/>: the value when positive, else −1.</summary>
    /// <param name="maxDegreeOfParallelism">The value (see the class remarks).</param>
    /// <returns>A valid <see cref="ParallelOptions.MaxDegreeOfParallelism"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is below −1.</exception>
    public static int ForParallelOptions(int maxDegreeOfParallelism) =>
        Validate(maxDegreeOfParallelism) > 0 ? maxDegreeOfParallelism : AllCores;

    /// <summary>Parallel options for a value of the convention and a cancellation token.</summary>
    /// <param name="maxDegreeOfParallelism">The value (see the class remarks).</param>
    /// <param name="cancellationToken">The token.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is below −1.</exception>
    public static ParallelOptions Options(int maxDegreeOfParallelism, CancellationToken cancellationToken = default) => new()
    {
        MaxDegreeOfParallelism = ForParallelOptions(maxDegreeOfParallelism),
        CancellationToken = cancellationToken,
    };

    /// <summary>Converts the nullable convention of older options (null = every core) to this one.</summary>
    /// <param name="maxDegreeOfParallelism">The value; null for every core.</param>
    /// <returns>The value, or <see cref="AllCores"/> for null.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is below −1.</exception>
    public static int FromNullable(int? maxDegreeOfParallelism) => maxDegreeOfParallelism is int value ? Validate(value) : AllCores;
}
