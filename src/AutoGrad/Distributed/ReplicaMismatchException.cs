namespace AutoGrad.Distributed;

/// <summary>The ranks of a data-parallel run do not hold the same model, optimizer, data or options, so they cannot train one model together.</summary>
public sealed class ReplicaMismatchException : Exception
{
    /// <summary>Creates the exception with a message that names what differs.</summary>
    /// <param name="message">What the ranks disagree on and what to do.</param>
    public ReplicaMismatchException(string message) : base(message)
    {
    }
}
