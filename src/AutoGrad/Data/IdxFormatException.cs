namespace AutoGrad.Data;

/// <summary>An IDX file that is not what it should be: wrong magic number, truncated, or inconsistent with its partner file.</summary>
public sealed class IdxFormatException : FormatException
{
    /// <summary>Creates the exception for <paramref name="fileName"/>; the message starts with the file name.</summary>
    /// <param name="fileName">The offending file.</param>
    /// <param name="message">What is wrong with it.</param>
    /// <param name="innerException">The decoder's own error, if any.</param>
    public IdxFormatException(string fileName, string message, Exception? innerException = null)
        : base($"{fileName}: {message}", innerException)
    {
        FileName = fileName;
    }

    /// <summary>The offending file.</summary>
    public string FileName { get; }
}
