namespace VolumeMesh.Fuzz;

/// <summary>One reader exercised with arbitrary bytes: it must read them or throw one of its documented exceptions.</summary>
/// <remarks>
/// Adding a reader is one subclass (its <see cref="Name"/>, <see cref="Run"/> and, when its documented family differs,
/// <see cref="IsDocumented"/>) and one line in <see cref="FuzzTargets.All"/>; <c>fuzz/run.sh NAME SECONDS</c> then finds
/// its seeds in <c>fuzz/corpus/NAME</c> and its dictionary in <c>fuzz/dict/NAME.dict</c> (or <see cref="Dictionary"/>).
/// </remarks>
public abstract class FuzzTarget
{
    /// <summary>The name on the command line and of the corpus folder, e.g. <c>dicom</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The dictionary file name under <c>fuzz/dict</c> (without extension); the target's name by default.</summary>
    public virtual string Dictionary => Name;

    /// <summary>What the target reads, for <c>--list</c>.</summary>
    public abstract string Description { get; }

    /// <summary>Reads <paramref name="input"/> the way a user's file would be read; exceptions propagate.</summary>
    /// <param name="input">The fuzzer's bytes.</param>
    public abstract void Run(byte[] input);

    /// <summary>Whether <paramref name="exception"/> is one the reader documents for bad input (not a finding).</summary>
    /// <param name="exception">What <see cref="Run"/> threw.</param>
    /// <returns>True by default for the library's input errors: <see cref="InputFormatException"/> (<see cref="Dicom.DicomFormatException"/> among them) and <see cref="NotSupportedException"/>.</returns>
    public virtual bool IsDocumented(Exception exception) =>
        exception is InputFormatException || exception.GetType() == typeof(NotSupportedException);
}
