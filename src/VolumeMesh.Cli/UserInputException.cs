namespace VolumeMesh.Cli;

/// <summary>A mistake in the arguments or the input the user gave: reported as one line, exit code 2.</summary>
internal sealed class UserInputException(string message) : Exception(message);
