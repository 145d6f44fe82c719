namespace AutoGrad.Benchmarks.Compare;

/// <summary>
/// Strict alternation with another process (bench.py's <c>--turns</c>) over two named pipes
/// (FIFOs): <see cref="Take"/> waits for a byte on one, <see cref="Pass"/> writes one to the
/// other. compare-pytorch.sh gives the first byte to one side, so the two sides' timed repeats
/// interleave, each running while the other waits, and a change in the machine's speed hits both
/// alike. Both pipes are opened for reading and writing, which never blocks on Linux, so the two
/// processes may open them in any order.
/// </summary>
public sealed class Turns : IDisposable
{
    private readonly FileStream _take, _pass;

    /// <summary>Opens the pipe to wait on and the one to pass the turn through.</summary>
    public Turns(string takePath, string passPath)
    {
        _take = new FileStream(takePath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
        _pass = new FileStream(passPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
    }

    /// <summary>Waits until the other side passes the turn.</summary>
    public void Take()
    {
        if (_take.ReadByte() < 0) throw new EndOfStreamException($"The turn pipe {_take.Name} was closed.");
    }

    /// <summary>Passes the turn to the other side.</summary>
    public void Pass() => _pass.WriteByte(1);

    /// <inheritdoc />
    public void Dispose()
    {
        _take.Dispose();
        _pass.Dispose();
    }
}
