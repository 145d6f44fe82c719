using System.Diagnostics;

namespace AutoGrad.Mpi;

/// <summary>
/// Bounds every wait in MPI. A blocking MPI call whose partner rank died or hung never returns
/// (MPICH notices a dead process only in some cases), so a background thread watches the call in
/// progress and, once it has waited longer than the timeout, reports which call on which rank
/// and ends the job.
/// </summary>
internal sealed class Watchdog
{
    private readonly long _timeoutTicks;
    private readonly Action<string> _expire;
    private long _deadline;
    private string _operation = "";

    /// <param name="timeout">How long one call may wait.</param>
    /// <param name="expire">Called once, on the watchdog's thread, with the operation that waited too long; it should end the process.</param>
    public Watchdog(TimeSpan timeout, Action<string> expire)
    {
        Timeout = timeout;
        _timeoutTicks = (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        _expire = expire;
        var period = TimeSpan.FromMilliseconds(Math.Clamp(timeout.TotalMilliseconds / 10, 10, 1000));
        new Thread(() => Watch(period)) { IsBackground = true, Name = "AutoGrad MPI watchdog" }.Start();
    }

    /// <summary>How long one call may wait.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>A call starts: it must end within the timeout.</summary>
    /// <param name="operation">What the call does, for the message (a constant string: entering allocates nothing).</param>
    public void Enter(string operation)
    {
        _operation = operation;
        Volatile.Write(ref _deadline, Stopwatch.GetTimestamp() + _timeoutTicks);
    }

    /// <summary>The call has returned.</summary>
    public void Leave() => Volatile.Write(ref _deadline, 0);

    private void Watch(TimeSpan period)
    {
        while (true)
        {
            Thread.Sleep(period);
            long deadline = Volatile.Read(ref _deadline);
            if (deadline != 0 && Stopwatch.GetTimestamp() > deadline)
            {
                _expire(Volatile.Read(ref _operation));
                return;
            }
        }
    }
}
