namespace AutoGrad.Tape;

/// <summary>
/// Keeps a <see cref="GradientTape"/> current on this thread; disposing it restores the tape that
/// was current before. Returned by <see cref="GradientTape.Record"/>.
/// </summary>
public readonly struct RecordingScope : IDisposable
{
    private readonly GradientTape? _previous;

    internal RecordingScope(GradientTape? previous) => _previous = previous;

    /// <summary>Restores the tape that was current when the scope was opened.</summary>
    public void Dispose() => GradientTape.Restore(_previous);
}
