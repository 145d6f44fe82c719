namespace AutoGrad.Mpi;

/// <summary>MPI cannot be used as launched: an unsupported launcher, a missing library, or a rank that stopped answering.</summary>
public sealed class MpiException : Exception
{
    /// <summary>Creates the exception with a message that says what is wrong and what to do.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public MpiException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
