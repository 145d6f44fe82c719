namespace AutoGrad.NN;

/// <summary>A checkpoint file that cannot be loaded: not a checkpoint, another format version, truncated or corrupt. The message starts with the file name.</summary>
public sealed class CheckpointFormatException : FormatException
{
    /// <summary>Creates the exception for <paramref name="fileName"/>.</summary>
    /// <param name="fileName">The offending file.</param>
    /// <param name="message">What is wrong with it.</param>
    public CheckpointFormatException(string fileName, string message) : base($"{fileName}: {message}")
    {
        FileName = fileName;
    }

    /// <summary>The offending file.</summary>
    public string FileName { get; }
}
